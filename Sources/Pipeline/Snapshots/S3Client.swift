import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The few S3 calls snapshots need — put, get, list, delete, create bucket — signed with
/// SigV4, path-style (`ENDPOINT/BUCKET/KEY`), so it works with AWS S3 and S3-compatible
/// services (MinIO, Cloudflare R2, Backblaze B2, Scaleway…).
public struct S3Client: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Object: Sendable, Equatable {
        public var key: String
        public var size: Int
    }

    let http: HTTPClient
    let endpoint: URL
    let bucket: String
    let signer: SigV4Signer

    public init(http: HTTPClient, endpoint: URL, bucket: String, signer: SigV4Signer) {
        self.http = http
        self.endpoint = endpoint
        self.bucket = bucket
        self.signer = signer
    }

    func send(_ method: HTTPMethod, key: String?, query: [(String, String)] = [], body: Data = Data()) async throws -> (HTTPResponseStatus, Data) {
        var path = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        path += "/" + bucket
        if let key { path += "/" + key }
        guard let host = endpoint.host else { throw Failure(description: "S3_ENDPOINT has no host") }
        let hostHeader = endpoint.port.map { "\(host):\($0)" } ?? host
        let signed = signer.sign(method: method.rawValue, path: path, query: query, headers: ["host": hostHeader],
                                 payloadHash: SigV4Signer.sha256Hex(body), date: Date())
        var components = URLComponents()
        components.scheme = endpoint.scheme
        components.host = host
        components.port = endpoint.port
        components.percentEncodedPath = SigV4Signer.encode(path, keepSlash: true)
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(SigV4Signer.encode($0.0, keepSlash: false))=\(SigV4Signer.encode($0.1, keepSlash: false))" }
                .joined(separator: "&")
        }
        guard let url = components.url?.absoluteString else { throw Failure(description: "cannot build the URL for \(path)") }
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in signed { request.headers.add(name: name, value: value) }
        request.headers.add(name: "host", value: hostHeader)
        if !body.isEmpty || method == .PUT {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.add(name: "content-length", value: String(body.count))
        }
        let response = try await http.execute(request, timeout: .seconds(300))
        let bytes = try await response.body.collect(upTo: 1 << 31)
        return (response.status, Data(buffer: bytes))
    }

    static func describe(_ status: HTTPResponseStatus, _ body: Data) -> String {
        let text = String(decoding: body.prefix(2000), as: UTF8.self)
        let code = text.range(of: "<Code>").flatMap { start in text.range(of: "</Code>", range: start.upperBound..<text.endIndex).map { String(text[start.upperBound..<$0.lowerBound]) } }
        return "S3 answered \(status.code)\(code.map { " \($0)" } ?? "")"
    }

    public func createBucket() async throws {
        let (status, body) = try await send(.PUT, key: nil)
        guard status == .ok || status == .conflict else { throw Failure(description: Self.describe(status, body)) }
    }

    public func put(_ key: String, _ data: Data) async throws {
        let (status, body) = try await send(.PUT, key: key, body: data)
        guard status == .ok else { throw Failure(description: "uploading \(key): \(Self.describe(status, body))") }
    }

    /// The object's bytes, or nil when there is none.
    public func get(_ key: String) async throws -> Data? {
        let (status, body) = try await send(.GET, key: key)
        if status == .notFound { return nil }
        guard status == .ok else { throw Failure(description: "downloading \(key): \(Self.describe(status, body))") }
        return body
    }

    public func delete(_ key: String) async throws {
        let (status, body) = try await send(.DELETE, key: key)
        guard status == .noContent || status == .ok || status == .notFound else { throw Failure(description: "deleting \(key): \(Self.describe(status, body))") }
    }

    /// Objects under `prefix`, sorted by key (ListObjectsV2, following continuation tokens).
    public func list(prefix: String) async throws -> [Object] {
        var objects: [Object] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let (status, body) = try await send(.GET, key: nil, query: query)
            guard status == .ok else { throw Failure(description: "listing \(prefix): \(Self.describe(status, body))") }
            let text = String(decoding: body, as: UTF8.self)
            for contents in Self.elements("Contents", in: text) {
                guard let key = Self.elements("Key", in: contents).first else { continue }
                objects.append(Object(key: Self.unescapeXML(key), size: Int(Self.elements("Size", in: contents).first ?? "") ?? 0))
            }
            token = Self.elements("IsTruncated", in: text).first == "true" ? Self.elements("NextContinuationToken", in: text).first.map(Self.unescapeXML) : nil
        } while token != nil
        return objects.sorted { $0.key < $1.key }
    }

    static func elements(_ name: String, in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            found.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func unescapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
