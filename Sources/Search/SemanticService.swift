import Embeddings
import FluentKit
import Foundation
import Storage

/// What a long-running process (the web app) keeps for semantic search: the encoder,
/// loaded once on first use (or the embeddings API, `EMBEDDINGS=openai`), and the
/// in-memory index of its model's stored embeddings, reloaded when the stored vectors
/// change (checked at most every `refreshInterval`).
public actor SemanticService {
    let location: ModelLocation
    let refreshInterval: Duration
    /// Set when queries are embedded by a paid API instead of the local model.
    public nonisolated let api: APIEmbedder?
    private var encoder: (any QueryEmbedder)?
    private var encoderTried = false
    private var index: SemanticIndex?
    private var stamp: (count: Int, newest: Int64?)?
    private var checkedAt: ContinuousClock.Instant?

    public init(location: ModelLocation = ModelLocation(), api: APIEmbedder? = nil, refreshInterval: Duration = .seconds(30)) {
        self.location = location
        self.api = api
        self.refreshInterval = refreshInterval
    }

    /// The query embedder and an up-to-date index of its model's vectors; nil parts when
    /// the model is not installed, or when queries would be embedded by a paid API and
    /// this search may not spend money (`mayPay`).
    public func current(_ db: any Database, mayPay: Bool = true) async throws -> (index: SemanticIndex?, embedder: (any QueryEmbedder)?) {
        if api != nil && !mayPay { return (nil, nil) }
        if !encoderTried {
            encoderTried = true
            encoder = api ?? (try? MiniLMEncoder(location: location))
        }
        guard let encoder else { return (nil, nil) }
        let now = ContinuousClock.now
        if index == nil || checkedAt.map({ now - $0 >= refreshInterval }) ?? true {
            checkedAt = now
            let store = try EmbeddingStore(db)
            let status = try await store.status(model: encoder.model)
            if index == nil || stamp?.count != status.count || stamp?.newest != status.newest {
                index = try await SemanticIndex.load(from: store, for: encoder)
                stamp = status
            }
        }
        return (index, encoder)
    }
}
