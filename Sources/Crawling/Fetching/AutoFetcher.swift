import SpeakerCore
import Foundation
import HTMLParsing

/// HTTP first; the real browser when HTTP is refused (401/403), gets a bot challenge, or
/// gets an empty JavaScript shell. A host that refuses plain clients gets the browser for
/// every page from then on; on a host whose pages are rendered by JavaScript each page is
/// still asked for over HTTP first, and only the pages that need it are rendered (a site's
/// static pages stay fast). The choice is reported so the crawler can store it for later runs.
public actor AutoFetcher: Fetcher {
    public nonisolated let name = "auto"
    let http: any Fetcher
    let browser: any Fetcher
    private var preferBrowser: [String: String] = [:]
    /// Hosts switched to the browser during this run, with the reason.
    public private(set) var switchedHosts: [String: String] = [:]

    public init(http: any Fetcher, browser: any Fetcher, knownBrowserHosts: [String: String] = [:]) {
        self.http = http
        self.browser = browser
        self.preferBrowser = knownBrowserHosts
    }

    /// Whether a remembered reason means plain HTTP is refused (rather than that pages need JavaScript).
    static func refusesPlainClients(_ reason: String) -> Bool {
        reason.hasPrefix("HTTP 4") || reason.hasPrefix("bot challenge")
    }

    public func fetch(_ request: FetchRequest) async throws -> FetchResult {
        let host = request.url.host?.lowercased() ?? ""
        if let reason = preferBrowser[host], Self.refusesPlainClients(reason) {
            return try await browser.fetch(request)
        }
        do {
            let result = try await http.fetch(request)
            if !result.notModified, let reason = PageSignals.needsBrowser(result) {
                remember(host, reason: reason)
                return try await browser.fetch(request)
            }
            return result
        } catch let error as FetchError {
            if case .status(let code, _) = error, code == 401 || code == 403 {
                remember(host, reason: "HTTP \(code) to plain HTTP")
                return try await browser.fetch(request)
            }
            throw error
        }
    }

    func remember(_ host: String, reason: String) {
        preferBrowser[host] = reason
        switchedHosts[host] = reason
    }

    public func shutdown() async {
        await http.shutdown()
        await browser.shutdown()
    }
}

/// Signs, in a plain-HTTP response, that only a real browser will see the content.
public enum PageSignals {
    static let challengeMarkers = ["cf-browser-verification", "cf_chl_", "challenge-platform", "just a moment...",
                                   "attention required! | cloudflare", "please enable javascript and cookies",
                                   "checking your browser", "ddos-guard", "captcha-delivery", "px-captcha"]
    /// Container ids and classes that JavaScript apps fill in.
    static let appContainers = ["root", "app", "__next", "__nuxt", "speakers", "speaker-list", "schedule", "events", "event-list", "listing", "program", "programme"]

    /// Why this response needs the browser, or nil when plain HTTP got the real page.
    public static func needsBrowser(_ result: FetchResult) -> String? {
        let type = result.contentType?.lowercased() ?? "text/html"
        guard type.contains("html") else { return nil }
        let lower = result.text.prefix(20_000).lowercased()
        if let marker = challengeMarkers.first(where: { lower.contains($0) }) {
            return "bot challenge page (\(marker))"
        }
        guard let document = try? HTMLDocument(html: result.text, url: result.finalURL) else { return nil }
        let scripts = document.select("script[src]").count + document.select("script").count
        guard scripts > 0, let body = document.first("body") else { return nil }
        let visible = body.visibleText
        if visible.count < 200 && document.select("a[href]").count < 5 {
            return "empty JavaScript shell (\(visible.count) characters of text)"
        }
        // A container that scripts fill (named like one, or pointing at its data) and that is
        // still (nearly) empty: the content arrives only with JavaScript.
        for container in document.select("[id], [class], [data-render], [data-src]") {
            let marker = ((container["id"] ?? "") + " " + (container["class"] ?? "")).lowercased()
            let words = marker.split(separator: " ")
            let named = appContainers.contains { name in words.contains { $0 == name || $0.hasSuffix("-" + name) || $0.hasPrefix(name + "-") } }
            let dataDriven = container["data-render"] != nil || container["data-src"] != nil
            guard named || dataDriven else { continue }
            let text = container.visibleText.trimmed()
            if text.count < 40 && container.select("a[href]").isEmpty {
                return "content container \(container["id"].map { "#" + $0 } ?? container["class"] ?? "?") is filled by JavaScript"
            }
        }
        let noscript = document.select("noscript").map { $0.text.lowercased() }.joined(separator: " ")
        if noscript.contains("javascript") && visible.count < 1500 {
            return "page asks for JavaScript"
        }
        return nil
    }
}
