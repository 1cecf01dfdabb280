import AsyncHTTPClient
import Embeddings
import LLM
import SpeakerCore
import Storage

/// Turns speaker profiles into embeddings, in batches: the local MiniLM encoder, or an
/// embeddings API (`APIEmbedder`). Vectors are stored under `model`, so the two never mix.
public protocol DocumentEmbedder: QueryEmbedder {
    func embed(documents: [String]) async throws -> [[Float]]
}

extension MiniLMEncoder: DocumentEmbedder {
    public func embed(documents: [String]) async throws -> [[Float]] { embed(batch: documents) }
}

/// Embeddings from the OpenAI API or an OpenAI-compatible server (`EMBEDDINGS=openai`).
/// Every call is recorded (`record`, with purpose `embed` for profiles and `search` for
/// queries) and asked for first (`allowed`, the spend budget): the API costs money.
/// Vectors are stored under "provider/model" ("openai/text-embedding-3-small").
public struct APIEmbedder: DocumentEmbedder {
    let client: OpenAIEmbeddingsClient
    let allowed: @Sendable () async -> Bool
    let record: @Sendable (LLMCall, _ purpose: String) async -> Void

    public init(client: OpenAIEmbeddingsClient, allowed: @escaping @Sendable () async -> Bool = { true },
                record: @escaping @Sendable (LLMCall, _ purpose: String) async -> Void) {
        self.client = client
        self.allowed = allowed
        self.record = record
    }

    /// The configured API embedder, or nil unless `EMBEDDINGS=openai`.
    public static func configured(settings: Settings, http: HTTPClient, allowed: @escaping @Sendable () async -> Bool = { true },
                                  record: @escaping @Sendable (LLMCall, _ purpose: String) async -> Void) -> APIEmbedder? {
        guard settings.embeddingsAPI else { return nil }
        let client = OpenAIEmbeddingsClient(apiKey: settings.openAIAPIKey, model: settings.embeddingsModel,
                                            baseURL: settings.llmBaseURL, http: http)
        return APIEmbedder(client: client, allowed: allowed, record: record)
    }

    public var model: String { "\(client.provider)/\(client.model)" }

    public func embed(documents: [String]) async throws -> [[Float]] {
        try await call(documents, purpose: "embed")
    }

    public func embedQuery(_ text: String) async throws -> [Float] {
        try await call([text], purpose: "search")[0]
    }

    func call(_ texts: [String], purpose: String) async throws -> [[Float]] {
        guard await allowed() else { throw LLMError.budgetExhausted }
        let started = ContinuousClock.now
        do {
            let result = try await client.embed(texts)
            await record(LLMCall(provider: client.provider, model: result.model, inputTokens: result.inputTokens, outputTokens: 0,
                                 latency: result.latency, status: "ok"), purpose)
            return result.vectors
        } catch {
            await record(LLMCall(provider: client.provider, model: client.model, inputTokens: 0, outputTokens: 0,
                                 latency: ContinuousClock.now - started, status: "error"), purpose)
            throw error
        }
    }
}
