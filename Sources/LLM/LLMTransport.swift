import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs JSON to an LLM API with retries. Keys travel only in headers and never appear in
/// errors or logs: error messages come from the API's error body.
struct LLMTransport: Sendable {
    let http: HTTPClient
    let retry: RetryPolicy
    let timeout: TimeAmount

    struct Reply {
        var status: Int
        var body: Data
        var headers: HTTPHeaders
    }

    func post(url: String, headers: [(String, String)], body: Data) async throws -> (Reply, retries: Int) {
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: Array(body)))
            var failure: LLMError
            var retryAfter: Double?
            do {
                let response = try await http.execute(request, timeout: timeout)
                let buffer = try await response.body.collect(upTo: 16 << 20)
                let data = Data(buffer.readableBytesView)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    return (Reply(status: status, body: data, headers: response.headers), attempt - 1)
                }
                failure = Self.apiError(status: status, body: data)
                retryAfter = response.headers.first(name: "retry-after").flatMap(Double.init)
            } catch let error as LLMError {
                failure = error
            } catch {
                failure = .transport(String(describing: type(of: error)) + ": " + Self.safeDescription(error))
            }
            guard failure.isRetryable, attempt < retry.maxAttempts else { throw failure.scrubbing(Self.credentials(headers)) }
            try await Task.sleep(for: .seconds(retry.delay(attempt: attempt, retryAfter: retryAfter)))
        }
    }

    /// `{"error": {"type": …, "message": …}}` (Anthropic) or `{"error": {"type"|"code": …, "message": …}}` (OpenAI).
    static func apiError(status: Int, body: Data) -> LLMError {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        let type = (error?["type"] as? String) ?? (error?["code"] as? String) ?? "error"
        let message = (error?["message"] as? String) ?? String(decoding: body.prefix(200), as: UTF8.self)
        return .api(status: status, type: type, message: message)
    }

    /// The secrets among request headers (an API echoes a wrong key in its error message).
    static func credentials(_ headers: [(String, String)]) -> [String] {
        headers.filter { ["authorization", "x-api-key"].contains($0.0.lowercased()) }
            .map { $0.1.hasPrefix("Bearer ") ? String($0.1.dropFirst(7)) : $0.1 }
            .filter { $0.count >= 6 }
    }

    /// Transport errors describe hosts and states, never request headers.
    static func safeDescription(_ error: any Error) -> String {
        String(String(describing: error).prefix(200))
    }
}

/// Runs `body` with a new HTTP client for API calls and shuts the client down afterwards,
/// whether `body` returns or throws (a client left running traps when it is released).
public func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await body(http)
        try? await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}
