import AsyncHTTPClient
import Foundation
import NIOCore

/// The Anthropic Messages API with tool use as structured output: the model must call a
/// tool whose input schema is the answer's schema.
public struct AnthropicClient: LLMClient {
    public let provider = "anthropic"
    public let model: String
    let apiKey: String
    let baseURL: String
    let transport: LLMTransport

    public static let defaultModel = "claude-sonnet-4-5"
    public static let defaultBaseURL = "https://api.anthropic.com"
    static let apiVersion = "2023-06-01"

    public init(apiKey: String, model: String?, baseURL: String?, http: HTTPClient, retry: RetryPolicy = RetryPolicy(), timeout: TimeAmount = .seconds(120)) {
        self.apiKey = apiKey
        self.model = model ?? Self.defaultModel
        self.baseURL = (baseURL ?? Self.defaultBaseURL).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.transport = LLMTransport(http: http, retry: retry, timeout: timeout)
    }

    /// Output token limits by model family (the API rejects larger max_tokens).
    public var outputTokenLimit: Int {
        let lower = model.lowercased()
        if lower.contains("opus-4") { return 32_000 }
        if lower.contains("sonnet-4") || lower.contains("3-7-sonnet") || lower.contains("haiku-4") { return 64_000 }
        if lower.contains("3-5") { return 8_192 }
        return 4_096
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        guard let schema = try? JSONSerialization.jsonObject(with: Data(request.schemaJSON.utf8)) else {
            throw LLMError.malformed("invalid schema")
        }
        let body: [String: Any] = [
            "model": model,
            "max_tokens": min(request.maxOutputTokens, outputTokenLimit),
            "system": request.system,
            "messages": [["role": "user", "content": request.user]],
            "tools": [["name": request.schemaName, "description": "Record the answer.", "input_schema": schema]],
            "tool_choice": ["type": "tool", "name": request.schemaName],
        ]
        let clock = ContinuousClock()
        let started = clock.now
        let (reply, retries) = try await transport.post(
            url: baseURL + "/v1/messages",
            headers: [("x-api-key", apiKey), ("anthropic-version", Self.apiVersion)],
            body: try JSONSerialization.data(withJSONObject: body))
        guard let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any] else {
            throw LLMError.malformed("the response is not JSON")
        }
        let usage = object["usage"] as? [String: Any]
        let content = object["content"] as? [[String: Any]] ?? []
        var json: String?
        if let tool = content.first(where: { $0["type"] as? String == "tool_use" }), let input = tool["input"] {
            json = (try? JSONSerialization.data(withJSONObject: input)).map { String(decoding: $0, as: UTF8.self) }
        } else if let text = content.first(where: { $0["type"] as? String == "text" })?["text"] as? String {
            json = text
        }
        return LLMResponse(json: json, truncated: object["stop_reason"] as? String == "max_tokens",
                           inputTokens: usage?["input_tokens"] as? Int ?? 0, outputTokens: usage?["output_tokens"] as? Int ?? 0,
                           model: object["model"] as? String ?? model, latency: clock.now - started, retries: retries)
    }
}
