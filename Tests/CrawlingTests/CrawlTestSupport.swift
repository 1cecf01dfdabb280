import Crawling
import Foundation
import Logging
import Pipeline
import SpeakerCore
import Storage
import TestSupport
import Vapor

/// A crawler wired to a test database, with delays off for loopback and short timeouts.
/// The fixture sites are on loopback, so the crawler is allowed private addresses.
func makeCrawler(_ database: TestDatabase, timeout: Int64 = 5, maxBody: Int = 1 << 20, browser: BrowserFetcher = BrowserFetcher(configuration: .loopback())) -> (Crawler, FetcherSet) {
    var configuration = HTTPFetcher.Configuration()
    configuration.addresses = .any
    configuration.readTimeout = .seconds(timeout)
    configuration.totalTimeout = .seconds(timeout * 2)
    configuration.connectTimeout = .seconds(2)
    configuration.maxBodyBytes = maxBody
    let fetchers = FetcherSet(http: HTTPFetcher(configuration: configuration), browser: browser)
    let scheduler = HostScheduler(configuration: .init(perHost: 2, delay: 1, noDelayOnLoopback: true))
    return (Crawler(storage: database.context, fetchers: fetchers, scheduler: scheduler, logger: Logger(label: "test")), fetchers)
}

func addSource(_ database: TestDatabase, url: String, pattern: String? = nil, fetcher: FetcherChoice = .http, maxPages: Int? = nil) async throws -> Source {
    try await SourceRepository(database.db).upsert(SourceSpec(url: url, eventURLPattern: pattern, fetcher: fetcher, maxPages: maxPages))
}

func options(_ change: (inout CrawlOptions) -> Void = { _ in }) -> CrawlOptions {
    var options = CrawlOptions()
    options.mode = .backfill
    change(&options)
    return options
}

/// A small paginated site: `pages` listing pages with `perPage` events each.
func paginatedSite(_ app: Application, pages: Int, perPage: Int, eventBody: @escaping @Sendable (Int) -> String = { "<p>Event \($0) with a conversation.</p>" }) {
    for page in 1...pages {
        let path = page == 1 ? "events" : "events/page/\(page)"
        app.get(path.pathComponents) { _ -> Response in
            var html = "<html><head><title>Events | Fixture</title>"
            if page < pages { html += "<link rel=\"next\" href=\"/events/page/\(page + 1)\">" }
            html += "</head><body><nav><a href=\"/\">Home</a><a href=\"/about\">About</a></nav><main><ul>"
            for index in 0..<perPage {
                let id = (page - 1) * perPage + index + 1
                html += "<li><a href=\"/events/2024/talk-\(id)?utm_source=listing#top\">Talk number \(id) on policy</a></li>"
            }
            html += "</ul></main></body></html>"
            return .html(html)
        }
    }
    app.get("events", "2024", ":slug") { request -> Response in
        let slug = request.parameters.get("slug") ?? ""
        let id = Int(slug.split(separator: "-").last ?? "") ?? 0
        let etag = "\"talk-\(id)\""
        if request.headers.first(name: .ifNoneMatch) == etag {
            return Response(status: .notModified, headers: ["ETag": etag])
        }
        return .html("<html><head><title>Talk \(id) | Fixture</title></head><body><main><h1>Talk \(id)</h1><p>12 March 2024, 18:30</p>\(eventBody(id))</main></body></html>",
                     headers: [("ETag", etag)])
    }
}

extension BrowserFetcher.Configuration {
    /// A browser pool allowed to load the loopback fixture sites.
    static func loopback(poolSize: Int = 2) -> Self {
        var configuration = Self(poolSize: poolSize)
        configuration.addresses = .any
        return configuration
    }
}
