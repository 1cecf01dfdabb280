import AsyncHTTPClient
import Foundation
import NIOCore

/// The OpenAI Chat Completions API with a JSON-schema response format; also any
/// OpenAI-compatible server (Ollama, llama.cpp, vLLM) through `LLM_BASE_URL`.
public struct OpenAIClient: LLMClient {
    public let provider: String
    public let model: String
    let apiKey: String?
    let baseURL: String
    let transport: LLMTransport

    public static let defaultModel = "gpt-4o-mini"
    public static let defaultBaseURL = "https://api.openai.com/v1"

    public init(apiKey: String?, model: String?, baseURL: String?, http: HTTPClient, retry: RetryPolicy = RetryPolicy(), timeout: TimeAmount = .seconds(120)) {
        self.apiKey = apiKey
        self.model = model ?? Self.defaultModel
        (self.baseURL, self.provider) = Self.endpoint(baseURL)
        self.transport = LLMTransport(http: http, retry: retry, timeout: timeout)
    }

    /// The base URL to call (OpenAI's unless `baseURL` is given) and the provider name
    /// recorded with each call: "openai", or "openai-compatible" for any other server.
    static func endpoint(_ baseURL: String?) -> (base: String, provider: String) {
        let base = (baseURL ?? defaultBaseURL).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return (base, baseURL == nil || base == defaultBaseURL ? "openai" : "openai-compatible")
    }

    public var outputTokenLimit: Int {
        let lower = model.lowercased()
        if lower.hasPrefix("gpt-4o") { return 16_384 }
        if lower.hasPrefix("gpt-4.1") { return 32_768 }
        if lower.hasPrefix("gpt-5") || lower.hasPrefix("o4") || lower.hasPrefix("o3") { return 100_000 }
        return 4_096
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        guard let schema = try? JSONSerialization.jsonObject(with: Data(request.schemaJSON.utf8)) else {
            throw LLMError.malformed("invalid schema")
        }
        let body: [String: Any] = [
            "model": model,
            "max_tokens": min(request.maxOutputTokens, outputTokenLimit),
            "temperature": 0,
            "messages": [["role": "system", "content": request.system], ["role": "user", "content": request.user]],
            "response_format": ["type": "json_schema", "json_schema": ["name": request.schemaName, "strict": true, "schema": schema]],
        ]
        var headers: [(String, String)] = []
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let clock = ContinuousClock()
        let started = clock.now
        let (reply, retries) = try await transport.post(url: baseURL + "/chat/completions", headers: headers,
                                                        body: try JSONSerialization.data(withJSONObject: body))
        guard let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any] else {
            throw LLMError.malformed("the response is not JSON")
        }
        let choice = (object["choices"] as? [[String: Any]])?.first
        let message = choice?["message"] as? [String: Any]
        let usage = object["usage"] as? [String: Any]
        if let refusal = message?["refusal"] as? String, !refusal.isEmpty {
            throw LLMError.malformed("the model refused: \(refusal)")
        }
        return LLMResponse(json: message?["content"] as? String, truncated: choice?["finish_reason"] as? String == "length",
                           inputTokens: usage?["prompt_tokens"] as? Int ?? 0, outputTokens: usage?["completion_tokens"] as? Int ?? 0,
                           model: object["model"] as? String ?? model, latency: clock.now - started, retries: retries)
    }
}
