import Foundation

/// One structured-output request: the model answers by filling `schema`.
public struct LLMRequest: Sendable {
    public var system: String
    public var user: String
    /// The JSON schema of the answer object.
    public var schemaJSON: String
    public var schemaName: String
    public var maxOutputTokens: Int

    public init(system: String, user: String, schemaJSON: String, schemaName: String, maxOutputTokens: Int) {
        self.system = system
        self.user = user
        self.schemaJSON = schemaJSON
        self.schemaName = schemaName
        self.maxOutputTokens = maxOutputTokens
    }
}

/// The answer, with the usage the provider reported.
public struct LLMResponse: Sendable {
    /// The answer object as JSON text (not yet validated against the schema).
    public var json: String?
    /// True when the model stopped because it ran out of output tokens.
    public var truncated: Bool
    public var inputTokens: Int
    public var outputTokens: Int
    public var model: String
    public var latency: Duration
    /// Calls that failed and were retried before this one succeeded.
    public var retries: Int
}

public enum LLMError: Error, CustomStringConvertible, Sendable {
    /// The API answered with an error status and body (`type` and `message` from it).
    case api(status: Int, type: String, message: String)
    case transport(String)
    case malformed(String)
    case budgetExhausted

    public var description: String {
        switch self {
        case .api(let status, let type, let message): "API error \(status) \(type): \(message.prefix(300))"
        case .transport(let message): "network error: \(message.prefix(300))"
        case .malformed(let message): "unusable answer: \(message.prefix(300))"
        case .budgetExhausted: "the --max-cost budget is spent"
        }
    }

    /// The error with every given secret in its message replaced by `****`.
    func scrubbing(_ secrets: [String]) -> LLMError {
        guard case .api(let status, let type, var message) = self else { return self }
        for secret in secrets { message = message.replacingOccurrences(of: secret, with: "****") }
        return .api(status: status, type: type, message: message)
    }

    var isRetryable: Bool {
        switch self {
        case .api(let status, _, _): status == 429 || status == 408 || status == 409 || status >= 500
        case .transport: true
        default: false
        }
    }
}

/// One API call's outcome, for cost accounting (a row of `api_calls`): what the provider
/// reported, or zero tokens and status "error" for a call that failed.
public struct LLMCall: Sendable {
    public var provider: String
    public var model: String
    public var inputTokens: Int
    public var outputTokens: Int
    public var latency: Duration
    public var status: String

    public init(provider: String, model: String, inputTokens: Int, outputTokens: Int, latency: Duration, status: String) {
        self.provider = provider
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latency = latency
        self.status = status
    }
}

/// A language-model API speaking structured output. One live implementation per wire
/// format (Anthropic Messages, OpenAI Chat Completions); tests point them at local servers.
public protocol LLMClient: Sendable {
    var provider: String { get }
    var model: String { get }
    /// The largest `maxOutputTokens` the model accepts.
    var outputTokenLimit: Int { get }
    func complete(_ request: LLMRequest) async throws -> LLMResponse
}

/// Retries on 429, 5xx and network errors with exponential backoff and jitter, honouring
/// `retry-after`.
public struct RetryPolicy: Sendable {
    public var maxAttempts = 4
    public var baseDelay: Double = 1
    public var maxDelay: Double = 60

    public init(maxAttempts: Int = 4, baseDelay: Double = 1, maxDelay: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    func delay(attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        return min(maxDelay, baseDelay * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1.0))
    }
}
