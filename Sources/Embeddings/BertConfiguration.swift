import Foundation

/// The fields of a Hugging Face BERT `config.json` that the forward pass depends on.
public struct BertConfiguration: Sendable, Equatable, Decodable {
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var maxPositionEmbeddings: Int
    public var vocabSize: Int
    public var typeVocabSize: Int
    public var layerNormEps: Double
    public var hiddenAct: String
    /// Absent in old configs, where it means "absolute".
    public var positionEmbeddingType: String?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case vocabSize = "vocab_size"
        case typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps"
        case hiddenAct = "hidden_act"
        case positionEmbeddingType = "position_embedding_type"
    }

    /// sentence-transformers/all-MiniLM-L6-v2 (its base, nreimers/MiniLM-L6-H384-uncased).
    public static let miniLML6 = BertConfiguration(
        hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12, intermediateSize: 1536,
        maxPositionEmbeddings: 512, vocabSize: 30522, typeVocabSize: 2, layerNormEps: 1e-12,
        hiddenAct: "gelu", positionEmbeddingType: "absolute"
    )

    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Why a `config.json` cannot be used.
    public struct Mismatch: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads `config.json`.
    public static func load(from url: URL) throws -> BertConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Mismatch(path: url.path, reason: "cannot read it: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch {
            throw Mismatch(path: url.path, reason: "not a BERT config.json: \(error)")
        }
    }

    /// Throws unless `self` describes the same architecture as `expected` (the fields that
    /// shape the computation; the vocabulary size is checked against vocab.txt elsewhere).
    public func requireMatches(_ expected: BertConfiguration, path: String) throws {
        func check<T: Equatable>(_ name: String, _ actual: T, _ wanted: T) throws {
            if actual != wanted {
                throw Mismatch(path: path, reason: "\(name) is \(actual), expected \(wanted) (not all-MiniLM-L6-v2?)")
            }
        }
        try check("hidden_size", hiddenSize, expected.hiddenSize)
        try check("num_hidden_layers", numHiddenLayers, expected.numHiddenLayers)
        try check("num_attention_heads", numAttentionHeads, expected.numAttentionHeads)
        try check("intermediate_size", intermediateSize, expected.intermediateSize)
        try check("max_position_embeddings", maxPositionEmbeddings, expected.maxPositionEmbeddings)
        try check("vocab_size", vocabSize, expected.vocabSize)
        try check("type_vocab_size", typeVocabSize, expected.typeVocabSize)
        try check("layer_norm_eps", layerNormEps, expected.layerNormEps)
        try check("hidden_act", hiddenAct, expected.hiddenAct)
        try check("position_embedding_type", positionEmbeddingType ?? "absolute", expected.positionEmbeddingType ?? "absolute")
    }
}
