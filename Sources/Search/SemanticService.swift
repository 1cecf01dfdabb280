import Embeddings
import FluentKit
import Foundation
import Storage

/// What a long-running process (the web app) keeps for semantic search: the encoder,
/// loaded once on first use, and the in-memory index of stored embeddings, reloaded when
/// the stored vectors change (checked at most every `refreshInterval`).
public actor SemanticService {
    let location: ModelLocation
    let refreshInterval: Duration
    private var encoder: MiniLMEncoder?
    private var encoderTried = false
    private var index: SemanticIndex?
    private var stamp: (count: Int, newest: Int64?)?
    private var checkedAt: ContinuousClock.Instant?

    public init(location: ModelLocation = ModelLocation(), refreshInterval: Duration = .seconds(30)) {
        self.location = location
        self.refreshInterval = refreshInterval
    }

    /// The encoder and an up-to-date index; nil parts when the model is not installed.
    public func current(_ db: any Database) async throws -> (index: SemanticIndex?, embedder: (any QueryEmbedder)?) {
        if !encoderTried {
            encoderTried = true
            encoder = try? MiniLMEncoder(location: location)
        }
        guard let encoder else { return (nil, nil) }
        let now = ContinuousClock.now
        if index == nil || checkedAt.map({ now - $0 >= refreshInterval }) ?? true {
            checkedAt = now
            let store = try EmbeddingStore(db)
            let status = try await store.status(model: MiniLMEncoder.modelID)
            if index == nil || stamp?.count != status.count || stamp?.newest != status.newest {
                index = try await SemanticIndex.load(from: store)
                stamp = status
            }
        }
        return (index, encoder)
    }
}
