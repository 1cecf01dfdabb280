import AsyncHTTPClient
import Foundation
import NIOCore

/// The OpenAI Embeddings API (`POST {base}/embeddings`); also any OpenAI-compatible server
/// that serves it (Ollama, llama.cpp, vLLM) through `LLM_BASE_URL`. Vectors come back in
/// input order and scaled to unit length (OpenAI's already are; other servers' may not be),
/// so cosine similarity is a dot product as for the local model.
public struct OpenAIEmbeddingsClient: Sendable {
    public let provider: String
    public let model: String
    let apiKey: String?
    let baseURL: String
    let transport: LLMTransport

    public static let defaultModel = "text-embedding-3-small"

    public init(apiKey: String?, model: String?, baseURL: String?, http: HTTPClient, retry: RetryPolicy = RetryPolicy(),
                timeout: TimeAmount = .seconds(120)) {
        self.apiKey = apiKey
        self.model = model ?? Self.defaultModel
        (self.baseURL, self.provider) = OpenAIClient.endpoint(baseURL)
        self.transport = LLMTransport(http: http, retry: retry, timeout: timeout)
    }

    public struct Embeddings: Sendable {
        /// One unit-length vector per input text, in input order.
        public var vectors: [[Float]]
        public var inputTokens: Int
        public var model: String
        public var latency: Duration
        public var retries: Int
    }

    public func embed(_ texts: [String]) async throws -> Embeddings {
        guard !texts.isEmpty else { return Embeddings(vectors: [], inputTokens: 0, model: model, latency: .zero, retries: 0) }
        let body: [String: Any] = ["model": model, "input": texts, "encoding_format": "float"]
        var headers: [(String, String)] = []
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let clock = ContinuousClock()
        let started = clock.now
        let (reply, retries) = try await transport.post(url: baseURL + "/embeddings", headers: headers,
                                                        body: try JSONSerialization.data(withJSONObject: body))
        guard let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
              let data = object["data"] as? [[String: Any]] else {
            throw LLMError.malformed("the embeddings response has no data list")
        }
        guard data.count == texts.count else {
            throw LLMError.malformed("\(data.count) embeddings for \(texts.count) texts")
        }
        var vectors = [[Float]?](repeating: nil, count: texts.count)
        for (position, item) in data.enumerated() {
            let index = (item["index"] as? Int) ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw LLMError.malformed("embedding index \(index) is out of range or repeated")
            }
            guard let numbers = item["embedding"] as? [NSNumber], !numbers.isEmpty else {
                throw LLMError.malformed("embedding \(index) is not a list of numbers")
            }
            var vector = numbers.map { $0.floatValue }
            var norm: Float = 0
            for value in vector { norm += value * value }
            guard norm.isFinite, norm > 0 else { throw LLMError.malformed("embedding \(index) has no length or is not finite") }
            let scale = 1 / norm.squareRoot()
            for i in vector.indices { vector[i] *= scale }
            vectors[index] = vector
        }
        let result = vectors.compactMap { $0 }
        guard let dimension = result.first?.count, result.allSatisfy({ $0.count == dimension }) else {
            throw LLMError.malformed("the embeddings differ in length")
        }
        let usage = object["usage"] as? [String: Any]
        return Embeddings(vectors: result, inputTokens: (usage?["prompt_tokens"] as? Int) ?? (usage?["total_tokens"] as? Int) ?? 0,
                          model: object["model"] as? String ?? model, latency: clock.now - started, retries: retries)
    }
}
