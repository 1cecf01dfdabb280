import Crawling
import FluentKit
import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor

/// Real Chromium through chromedriver (Debian packages chromium, chromium-driver; the test
/// command installs them). Pages here have content only after JavaScript runs.
@Suite("Real browser fetching", .serialized)
struct BrowserTests {
    static func jsSite(_ app: Application) {
        app.get("app.js") { _ in
            Response(status: .ok, headers: ["Content-Type": "application/javascript"], body: .init(string: """
                fetch('/data.json').then(r => r.json()).then(items => {
                  const list = document.getElementById('events');
                  items.forEach(i => { const a = document.createElement('a'); a.href = i.url; a.textContent = i.title; list.appendChild(a); });
                });
                """))
        }
        app.get("data.json") { _ in
            Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: """
                [{"url": "/shows/2024/first-show", "title": "First show of the season"}, {"url": "/shows/2024/second-show", "title": "Second show of the season"}]
                """))
        }
        app.get("listing") { _ in Response.html("<html><body><main><h1>Shows</h1><div id=\"events\"></div></main><script src=\"/app.js\"></script></body></html>") }
        app.get("shows", "2024", ":slug") { request in
            Response.html("<html><head><title>\(request.parameters.get("slug") ?? "")</title></head><body><h1>\(request.parameters.get("slug") ?? "")</h1><p>Saturday 5 October 2024, 19:30</p></body></html>")
        }
        app.get("more.js") { _ in
            Response(status: .ok, headers: ["Content-Type": "application/javascript"], body: .init(string: """
                let n = 0;
                document.getElementById('more').addEventListener('click', () => {
                  n += 1; const p = document.createElement('p'); p.textContent = 'Item ' + n; document.getElementById('list').appendChild(p);
                  if (n >= 3) { document.getElementById('more').remove(); }
                });
                """))
        }
        app.get("paged") { _ in Response.html("<html><body><div id=\"list\"></div><button id=\"more\">Load more</button><script src=\"/more.js\"></script></body></html>") }
    }

    @Test func rendersJavaScriptOnlyContent() async throws {
        try await FixtureServer.with(routes:{ Self.jsSite($0) }) { server in
            let browser = BrowserFetcher(configuration: .loopback(poolSize: 2))
            let result = try await browser.fetch(FetchRequest(url: server.url("/listing")))
            #expect(result.fetcher == "browser")
            #expect(result.text.contains("First show of the season"))
            #expect(result.text.contains("/shows/2024/second-show"))
            // Two sessions serve concurrent requests.
            async let a = browser.fetch(FetchRequest(url: server.url("/shows/2024/first-show")))
            async let b = browser.fetch(FetchRequest(url: server.url("/shows/2024/second-show")))
            let pages = try await [a, b]
            #expect(pages.map { $0.text.contains("<h1>") } == [true, true])
            await browser.shutdown()
        }
    }

    /// Fetches that arrive together on a cold pool share one chromedriver, and shutting
    /// down leaves no chromedriver or browser process running.
    @Test func oneDriverForConcurrentFirstFetchesAndNothingLeftAfterShutdown() async throws {
        try await FixtureServer.with(routes:{ Self.jsSite($0) }) { server in
            let browser = BrowserFetcher(configuration: .loopback(poolSize: 2))
            async let a = browser.fetch(FetchRequest(url: server.url("/shows/2024/first-show")))
            async let b = browser.fetch(FetchRequest(url: server.url("/shows/2024/second-show")))
            async let c = browser.fetch(FetchRequest(url: server.url("/listing")))
            _ = try await [a, b, c]
            let processes = await browser.processIDs()
            #expect(processes.count > 1, "chromedriver and its browsers")
            // Counted by the fetcher: another suite of this test process may run a browser at
            // the same time, so the process's chromedriver children are not all this test's.
            #expect(await browser.driverLaunches == 1, "chromedriver processes started by this fetcher")
            await browser.shutdown()
            let alive = processes.filter { kill($0, 0) == 0 && !Self.command(of: $0).isEmpty && !Self.isZombie($0) }
            #expect(alive.isEmpty, "still running after shutdown: \(alive.map { "\($0) \(Self.command(of: $0))" })")
        }
    }

    static func command(of pid: Int32) -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmed() ?? ""
    }

    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    @Test func clicksLoadMoreUntilItIsGone() async throws {
        try await FixtureServer.with(routes:{ Self.jsSite($0) }) { server in
            let browser = BrowserFetcher(configuration: .loopback(poolSize: 1))
            let result = try await browser.fetch(FetchRequest(url: server.url("/paged"), loadMoreSelector: "#more"))
            await browser.shutdown()
            #expect(result.text.contains("Item 3"))
            #expect(!result.text.contains("id=\"more\""))
        }
    }

    @Test func replacesASessionThatCrashed() async throws {
        try await FixtureServer.with(routes:{ Self.jsSite($0) }) { server in
            let browser = BrowserFetcher(configuration: .loopback(poolSize: 1))
            _ = try await browser.fetch(FetchRequest(url: server.url("/listing")))
            await browser.simulateCrash()
            let result = try await browser.fetch(FetchRequest(url: server.url("/listing")))
            #expect(result.text.contains("First show of the season"))
            #expect(await browser.replacedSessions >= 1)
            await browser.shutdown()
        }
    }

    @Test func autoSwitchesAJavaScriptSiteToTheBrowserAndRemembersIt() async throws {
        try await FixtureServer.with(routes:{ Self.jsSite($0) }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database, browser: BrowserFetcher(configuration: .loopback(poolSize: 2)))
                let source = try await addSource(database, url: server.base + "/listing", fetcher: .auto)
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                #expect(stats.eventsFetched == 2)
                #expect(stats.hostsSwitchedToBrowser["127.0.0.1"] != nil)
                #expect(try await FrontierRepository(database.db).preferredFetcher(host: "127.0.0.1") == "browser")
                let titles = Set(try await Event.query(on: database.db).all().compactMap(\.title))
                #expect(titles == ["first-show", "second-show"])
            }
        }
    }

    @Test func theSampleSitesJavaScriptListingIsCrawled() async throws {
        try await FixtureServer.with(directory: PackageRoot.url.appendingPathComponent("SampleSite").path) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database, browser: BrowserFetcher(configuration: .loopback(poolSize: 2)))
                let source = try await addSource(database, url: server.base + "/events/live/index.html", fetcher: .auto)
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                #expect(stats.eventsFetched >= 5)
                let panel = try #require(try await Event.query(on: database.db).filter(\.$url == server.base + "/events/live/rendered-panel.html").first())
                #expect(panel.fetcher == "browser")
                // Speakers exist only after render-speakers.js ran; the stored page has them.
                let body = try #require(try await PageBodyStore(database.db).load(panel.bodyHash ?? ""))
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: PackageRoot.url.appendingPathComponent("SampleSite/events/live/rendered-panel.json")))
                let firstName = ((((json as? [String: Any])?["speakers"] as? [[String: Any]])?.first)?["name"] as? String) ?? "?"
                #expect(String(decoding: body, as: UTF8.self).contains(firstName))
            }
        }
    }
}
