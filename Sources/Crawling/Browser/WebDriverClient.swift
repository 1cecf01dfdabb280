import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A minimal W3C WebDriver client: sessions, navigation, scripts, elements.
/// Speaks JSON over HTTP to chromedriver on loopback.
public struct WebDriverClient: Sendable {
    let base: String
    let http: HTTPClient

    public init(base: String, http: HTTPClient) {
        self.base = base
        self.http = http
    }

    /// A WebDriver error response ({"value": {"error", "message"}}) or a transport failure.
    public struct Failure: Error, CustomStringConvertible {
        public let error: String
        public let message: String
        public var description: String { "\(error): \(message.prefix(300))" }

        /// The session is gone (browser crashed or was closed): replace it.
        public var sessionLost: Bool {
            ["invalid session id", "session not created", "disconnected", "chrome not reachable", "no such window", "unknown error"].contains { error.contains($0) || message.lowercased().contains($0) }
                || error == "transport"
        }
    }

    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, body: Any? = nil, timeout: TimeAmount = .seconds(60)) async throws -> Any? {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if let body {
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        }
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw Failure(error: "transport", message: String(describing: error))
        }
        let json = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
        let value = (json as? [String: Any])?["value"]
        if response.status.code >= 400 || ((value as? [String: Any])?["error"] != nil) {
            let object = value as? [String: Any]
            throw Failure(error: object?["error"] as? String ?? "HTTP \(response.status.code)", message: object?["message"] as? String ?? "")
        }
        return value is NSNull ? nil : value
    }

    public func isReady() async -> Bool {
        guard let value = try? await call(.GET, "/status", timeout: .seconds(2)) as? [String: Any] else { return false }
        return value["ready"] as? Bool ?? false
    }

    /// Starts a session; `capabilities` is the JSON of the `alwaysMatch` object.
    public func newSession(capabilities: Data) async throws -> String {
        let object = try JSONSerialization.jsonObject(with: capabilities)
        let value = try await call(.POST, "/session", body: ["capabilities": ["alwaysMatch": object]], timeout: .seconds(60))
        guard let id = (value as? [String: Any])?["sessionId"] as? String else {
            throw Failure(error: "session not created", message: "no session id in the response")
        }
        return id
    }

    public func deleteSession(_ id: String) async {
        _ = try? await call(.DELETE, "/session/\(id)", timeout: .seconds(10))
    }

    public func setTimeouts(_ id: String, pageLoadMilliseconds: Int, scriptMilliseconds: Int) async throws {
        try await call(.POST, "/session/\(id)/timeouts", body: ["pageLoad": pageLoadMilliseconds, "script": scriptMilliseconds, "implicit": 0])
    }

    public func navigate(_ id: String, to url: String) async throws {
        try await call(.POST, "/session/\(id)/url", body: ["url": url], timeout: .seconds(90))
    }

    public func execute(_ id: String, _ script: String, args: [Any] = []) async throws -> Any? {
        try await call(.POST, "/session/\(id)/execute/sync", body: ["script": script, "args": args])
    }
}
