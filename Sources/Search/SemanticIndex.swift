import Embeddings
import Foundation
import Storage

/// The stored speaker embeddings of one model, held in memory as one matrix for exact
/// cosine search (vectors are unit length, so cosine is the dot product). At 100,000
/// speakers the matrix is 147 MiB of float32.
public final class SemanticIndex: Sendable {
    public let model: String
    public let dimension: Int
    let ids: [Int]
    let vectors: [Float]

    public init(model: String, dimension: Int, ids: [Int], vectors: [Float]) {
        precondition(vectors.count == ids.count * dimension, "one vector per id")
        self.model = model
        self.dimension = dimension
        self.ids = ids
        self.vectors = vectors
    }

    /// Reads every stored vector of `model`.
    public static func load(from store: EmbeddingStore, model: String = MiniLMEncoder.modelID,
                            dimension: Int = MiniLMEncoder.dimension) async throws -> SemanticIndex {
        let (ids, vectors) = try await store.matrix(model: model, dimension: dimension)
        return SemanticIndex(model: model, dimension: dimension, ids: ids, vectors: vectors)
    }

    /// Reads every stored vector of the embedder's model (of whatever length that model's
    /// vectors have; an API model's is known only from what it returned).
    public static func load(from store: EmbeddingStore, for embedder: any QueryEmbedder) async throws -> SemanticIndex {
        let dimension = try await store.dimension(model: embedder.model) ?? 0
        return try await load(from: store, model: embedder.model, dimension: dimension)
    }

    public var count: Int { ids.count }

    /// The `limit` speakers closest to `query`, best first, with their cosine similarity.
    public func nearest(to query: [Float], limit: Int) -> [(speakerID: Int, cosine: Float)] {
        guard query.count == dimension, !ids.isEmpty else { return [] }
        return VectorMath.topK(query: query, in: vectors, dimension: dimension, k: limit).map { (ids[$0.index], $0.score) }
    }
}
