import Foundation

/// Sentence embeddings with sentence-transformers/all-MiniLM-L6-v2, computed locally:
/// WordPiece tokens → BERT (6 layers, hidden 384) → mean pooling → L2 normalisation.
/// Matches `SentenceTransformer.encode` on the same text (each text encoded alone; input
/// beyond 256 word pieces, [CLS] and [SEP] included, is ignored).
///
/// The weights are loaded once and never mutated, so one encoder can serve any number of
/// concurrent callers; each call allocates its own scratch space. Matrix products go
/// through BLAS, which may use several threads itself (OpenBLAS: `OPENBLAS_NUM_THREADS`).
public final class MiniLMEncoder: Sendable {
    public static let modelID = "sentence-transformers/all-MiniLM-L6-v2"
    /// Length of every embedding.
    public static let dimension = 384
    /// Longest input in word pieces, [CLS] and [SEP] included (sentence-transformers' `max_seq_length`).
    public static let maxSequenceLength = 256
    /// At most this many tokens go through one stacked forward pass in `embed(batch:)`
    /// (bounds the scratch memory to about 30 MB).
    public static let maxTokensPerPass = 2048

    public let tokenizer: WordPieceTokenizer
    public let directory: URL
    private let model: BertModel

    /// Why the model files could not be loaded.
    public struct LoadError: Error, CustomStringConvertible {
        public let directory: URL
        public let reason: String
        public var description: String { "cannot load all-MiniLM-L6-v2 from \(directory.path): \(reason)" }
    }

    /// Loads `model.safetensors`, `vocab.txt` and `config.json` from `modelDirectory`
    /// (see `ModelLocation`). Throws `ModelLocation.Missing` (which says to run
    /// scripts/fetch-model.sh) if a file is absent, and a descriptive error if one is damaged.
    public init(modelDirectory: URL) throws {
        let location = ModelLocation(directory: modelDirectory)
        _ = try location.requireAvailable()
        let configuration = try BertConfiguration.load(from: location.file("config.json"))
        try configuration.requireMatches(.miniLML6, path: location.file("config.json").path)
        let tokenizer = try WordPieceTokenizer(vocabularyURL: location.file("vocab.txt"))
        guard tokenizer.vocabularySize == configuration.vocabSize else {
            throw LoadError(directory: modelDirectory,
                            reason: "vocab.txt has \(tokenizer.vocabularySize) tokens but config.json says \(configuration.vocabSize)")
        }
        let weights = try SafeTensors(contentsOf: location.file("model.safetensors"))
        self.model = try BertModel(weights: weights, configuration: configuration)
        self.tokenizer = tokenizer
        self.directory = modelDirectory
    }

    /// Loads the model from `location` (by default: `$SPEAKERDB_MODEL_DIR`, else the cache folder).
    public convenience init(location: ModelLocation = ModelLocation()) throws {
        try self.init(modelDirectory: location.requireAvailable())
    }

    /// The embedding of `text`: 384 floats of unit length (the empty text has one too).
    public func embed(_ text: String) -> [Float] {
        embed(tokenIDs: tokenizer.encode(text, maxLength: Self.maxSequenceLength))
    }

    /// The embeddings of `texts`, in order. Same results as `embed(_:)` one by one, but
    /// faster: the texts' tokens go through the network together.
    public func embed(batch texts: [String]) -> [[Float]] {
        let sequences = texts.map { tokenizer.encode($0, maxLength: Self.maxSequenceLength) }
        var results: [[Float]] = []
        results.reserveCapacity(sequences.count)
        var start = 0
        while start < sequences.count {
            var end = start
            var tokens = 0
            while end < sequences.count, end == start || tokens + sequences[end].count <= Self.maxTokensPerPass {
                tokens += sequences[end].count
                end += 1
            }
            for pooled in model.meanPooled(Array(sequences[start..<end])) {
                results.append(Self.normalized(pooled))
            }
            start = end
        }
        return results
    }

    /// The embedding of already tokenised input (`[CLS] … [SEP]`, as `tokenizer.encode` makes).
    /// Ids outside the vocabulary become [UNK]; input is cut to `maxSequenceLength` ids.
    public func embed(tokenIDs: [Int32]) -> [Float] {
        var ids = tokenIDs.prefix(Self.maxSequenceLength).map { id in
            id >= 0 && Int(id) < tokenizer.vocabularySize ? id : tokenizer.unknownID
        }
        if ids.isEmpty { ids = [tokenizer.classID, tokenizer.separatorID] }
        return Self.normalized(model.meanPooled([ids])[0])
    }

    /// `vector / max(‖vector‖, 1e-12)`, as `torch.nn.functional.normalize`.
    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { BLAS.dot($0, $0, count: buffer.count).squareRoot() } ?? 0
        }
        let scale = 1 / max(norm, 1e-12)
        return vector.map { $0 * scale }
    }
}
