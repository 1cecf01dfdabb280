import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SpeakerCore

/// Plain HTTP fetching with AsyncHTTPClient: browser-like headers, gzip/deflate,
/// redirects followed by hand (`RedirectWalk`: loops are caught, every hop passes the
/// address policy, the final URL is known),
/// connect/read/total timeouts, a body size cap, charset detection and conditional
/// requests (ETag / Last-Modified → 304).
public final class HTTPFetcher: Fetcher {
    public struct Configuration: Sendable {
        public var connectTimeout: TimeAmount = .seconds(10)
        public var readTimeout: TimeAmount = .seconds(30)
        public var totalTimeout: TimeAmount = .seconds(60)
        public var maxBodyBytes = 10 << 20
        public var maxRedirects = 8
        public var userAgent = HTTPFetcher.defaultUserAgent
        /// Which addresses may be fetched; checked before the first request and every redirect.
        public var addresses = AddressPolicy.publicOnly

        public init() {}
    }

    /// Browser-like, but names itself so robots.txt rules for "speakerdb" apply.
    public static let defaultUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 speakerdb/1.0"

    public let name = "http"
    public let configuration: Configuration
    let client: HTTPClient

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: configuration.connectTimeout, read: configuration.readTimeout),
            decompression: .enabled(limit: .size(configuration.maxBodyBytes)))
        clientConfiguration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    /// Content types worth reading: pages, feeds, sitemaps, JSON data of JS-rendered sites.
    static func isReadable(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingWhitespace().lowercased(), !type.isEmpty else {
            return true
        }
        return type.hasPrefix("text/") || type.contains("html") || type.contains("xml") || type.contains("json") || type.contains("calendar")
    }

    public func fetch(_ request: FetchRequest) async throws -> FetchResult {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = NIODeadline.now() + configuration.totalTimeout
        let walk = RedirectWalk(maxRedirects: configuration.maxRedirects, addresses: configuration.addresses)
        let outcome: RedirectWalk.Outcome
        do {
            outcome = try await walk.run(from: request.url) { url, hop in
                var outgoing = HTTPClientRequest(url: url.absoluteString)
                outgoing.headers.add(name: "User-Agent", value: configuration.userAgent)
                outgoing.headers.add(name: "Accept", value: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                outgoing.headers.add(name: "Accept-Language", value: "en-GB,en;q=0.9,*;q=0.5")
                outgoing.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
                if hop == 0 {
                    if let etag = request.etag { outgoing.headers.add(name: "If-None-Match", value: etag) }
                    if let lastModified = request.lastModified { outgoing.headers.add(name: "If-Modified-Since", value: lastModified) }
                }
                do {
                    return try await client.execute(outgoing, deadline: deadline)
                } catch {
                    throw Self.map(error)
                }
            }
        } catch let failure as RedirectWalk.Failure {
            switch failure {
            case .notHTTP(let url): throw FetchError.invalidURL(url.absoluteString)
            case .noLocation(let status): throw FetchError.status(status, retryAfter: nil)
            case .loop(let chain): throw FetchError.redirectLoop(chain)
            case .tooMany(let limit): throw FetchError.tooManyRedirects(limit)
            }
        }
        let (response, url, redirects) = (outcome.response, outcome.url, Array(outcome.chain.dropFirst()))
        let status = Int(response.status.code)
        switch status {
        case 304:
            return FetchResult(requestedURL: request.url, finalURL: url, status: 304, contentType: nil,
                               etag: response.headers.first(name: "ETag") ?? request.etag,
                               lastModified: response.headers.first(name: "Last-Modified") ?? request.lastModified,
                               body: Data(), text: "", charset: nil, notModified: true, redirects: redirects,
                               fetcher: name, duration: clock.now - started)
        case 200..<300:
            let contentType = response.headers.first(name: "Content-Type")
            guard Self.isReadable(contentType) else {
                throw FetchError.notHTML(contentType ?? "unknown")
            }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > configuration.maxBodyBytes {
                throw FetchError.tooLarge(limit: configuration.maxBodyBytes)
            }
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: configuration.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                throw FetchError.tooLarge(limit: configuration.maxBodyBytes)
            } catch {
                throw Self.map(error)
            }
            let data = Data(buffer.readableBytesView)
            if Self.looksBinary(data) {
                throw FetchError.notHTML("binary content")
            }
            let (text, charset) = CharsetDetector.decode(data, contentType: contentType)
            return FetchResult(requestedURL: request.url, finalURL: url, status: status, contentType: contentType,
                               etag: response.headers.first(name: "ETag"), lastModified: response.headers.first(name: "Last-Modified"),
                               body: data, text: text, charset: charset, notModified: false, redirects: redirects,
                               fetcher: name, duration: clock.now - started)
        default:
            throw FetchError.status(status, retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter))
        }
    }

    /// NUL bytes in the first kilobytes mean an image, archive or PDF served as text.
    static func looksBinary(_ data: Data) -> Bool {
        data.prefix(2048).contains(0)
    }

    /// `Retry-After: 120` or an HTTP date.
    public static func parseRetryAfter(_ value: String) -> TimeInterval? {
        let trimmed = value.trimmingWhitespace()
        if let seconds = TimeInterval(trimmed) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func map(_ error: any Error) -> FetchError {
        if let error = error as? FetchError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout:
                return .timeout(String(describing: error))
            default:
                return .network(String(describing: error))
            }
        }
        let text = String(describing: error)
        if text.lowercased().contains("timeout") || text.contains("deadline") { return .timeout(text) }
        return .network(text)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
