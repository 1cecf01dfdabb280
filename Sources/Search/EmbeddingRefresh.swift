import Embeddings
import FluentKit
import Storage

/// Embeds the speakers whose text changed, or who have no vector yet, in batches: the one
/// loop behind `speakerdb embed`, the pipeline's embed stage and the benchmark.
public enum EmbeddingRefresh {
    /// Embeds at most `limit` stale speakers, `batch` at a time (each batch stored before
    /// the next); returns how many it embedded. Checks for cancellation between batches.
    /// The vectors are stored under the encoder's model id.
    @discardableResult
    public static func run(on db: any Database, encoder: any DocumentEmbedder, limit: Int = .max, batch: Int = 64) async throws -> Int {
        let store = try EmbeddingStore(db)
        var done = 0, after = 0
        while done < limit {
            try Task.checkCancellation()
            let documents = try await store.stale(model: encoder.model, limit: min(batch, limit - done), after: after)
            guard let last = documents.last else { break }
            let vectors = try await encoder.embed(documents: documents.map(\.text))
            guard vectors.count == documents.count else { throw EmbeddingError.countMismatch(vectors.count, documents.count) }
            try await store.save(Array(zip(documents, vectors)).map { (document: $0.0, vector: $0.1) }, model: encoder.model)
            done += documents.count
            after = last.speakerID
        }
        return done
    }
}

public enum EmbeddingError: Error, CustomStringConvertible {
    case countMismatch(Int, Int)

    public var description: String {
        switch self {
        case .countMismatch(let got, let asked): "the embedder returned \(got) vectors for \(asked) texts"
        }
    }
}
