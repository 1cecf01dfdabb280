import Foundation
import Logging
import Storage

/// The fetchers of one process: HTTP always, the browser started only when first needed,
/// and `auto` combining them with what earlier runs learned about hosts.
public final class FetcherSet: Sendable {
    public let http: HTTPFetcher
    public let browser: BrowserFetcher

    public init(http: HTTPFetcher = HTTPFetcher(), browser: BrowserFetcher = BrowserFetcher()) {
        self.http = http
        self.browser = browser
    }

    public func fetcher(for choice: FetcherChoice, storage: StorageContext) async throws -> any Fetcher {
        switch choice {
        case .http: return http
        case .browser: return browser
        case .auto:
            let rows = try await HostFetcher.query(on: storage.database).all()
            var known: [String: String] = [:]
            for row in rows where row.fetcher == "browser" { known[row.id ?? ""] = row.reason ?? "remembered" }
            return AutoFetcher(http: http, browser: browser, knownBrowserHosts: known)
        }
    }

    public func shutdown() async {
        await http.shutdown()
        await browser.shutdown()
    }
}
