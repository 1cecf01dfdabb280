import Foundation

/// What to fetch, with validators from the last fetch for a conditional request.
public struct FetchRequest: Sendable {
    public var url: URL
    public var etag: String?
    public var lastModified: String?
    /// A CSS selector the browser waits for (ignored by HTTP).
    public var waitForSelector: String?
    /// A CSS selector of a "load more" control the browser clicks until it disappears.
    public var loadMoreSelector: String?

    public init(url: URL, etag: String? = nil, lastModified: String? = nil,
                waitForSelector: String? = nil, loadMoreSelector: String? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.waitForSelector = waitForSelector
        self.loadMoreSelector = loadMoreSelector
    }
}

/// A fetched page: the final URL after redirects, status, validators and decoded text.
public struct FetchResult: Sendable {
    public var requestedURL: URL
    public var finalURL: URL
    public var status: Int
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    /// The raw bytes as received (after content-encoding is undone).
    public var body: Data
    /// The body decoded to text with the detected charset.
    public var text: String
    public var charset: String?
    /// True when the server answered 304 to a conditional request.
    public var notModified: Bool
    public var redirects: [URL]
    /// `http` or `browser`.
    public var fetcher: String
    public var duration: Duration

    public init(requestedURL: URL, finalURL: URL, status: Int, contentType: String?, etag: String?, lastModified: String?,
                body: Data, text: String, charset: String?, notModified: Bool, redirects: [URL], fetcher: String, duration: Duration) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.body = body
        self.text = text
        self.charset = charset
        self.notModified = notModified
        self.redirects = redirects
        self.fetcher = fetcher
        self.duration = duration
    }
}

/// Why a fetch did not produce a page, and whether trying again later may help.
public enum FetchError: Error, CustomStringConvertible, Sendable {
    case invalidURL(String)
    case status(Int, retryAfter: TimeInterval?)
    case redirectLoop([URL])
    case tooManyRedirects(Int)
    case tooLarge(limit: Int)
    case notHTML(String)
    case timeout(String)
    case network(String)
    case blockedByRobots(URL)
    case browser(String)
    /// The host is, or resolves to, a loopback, private or link-local address (`AddressPolicy`).
    case forbiddenAddress(host: String, address: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL: \(url.prefix(200))"
        case .status(let code, _): "HTTP \(code)"
        case .redirectLoop(let chain): "redirect loop: \(chain.map(\.absoluteString).joined(separator: " → ").prefix(400))"
        case .tooManyRedirects(let count): "more than \(count) redirects"
        case .tooLarge(let limit): "body larger than \(limit / 1_048_576) MiB"
        case .notHTML(let type): "not an HTML page (\(type))"
        case .timeout(let what): "timed out (\(what))"
        case .network(let message): "network error: \(message.prefix(200))"
        case .blockedByRobots(let url): "disallowed by robots.txt: \(url.path)"
        case .browser(let message): "browser error: \(message.prefix(300))"
        case .forbiddenAddress(let host, let address):
            "refused: \(host.prefix(100)) is a loopback, private or link-local address (\(address)); set ALLOW_PRIVATE_ADDRESSES=true to crawl such sites"
        }
    }

    /// Whether a later attempt may succeed (429, 5xx, timeouts, network).
    public var isTransient: Bool {
        switch self {
        case .status(let code, _): code == 429 || code == 408 || code >= 500
        case .timeout, .network, .browser: true
        default: false
        }
    }

    public var retryAfter: TimeInterval? {
        if case .status(_, let retryAfter) = self { return retryAfter }
        return nil
    }
}

/// Fetches pages. One live implementation per kind (HTTP, browser); tests point them at
/// local servers.
public protocol Fetcher: Sendable {
    var name: String { get }
    func fetch(_ request: FetchRequest) async throws -> FetchResult
    func shutdown() async
}
