import Crawling
import FluentKit
import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import NIOConcurrencyHelpers

@Suite("Crawler against local servers")
struct CrawlerTests {
    @Test func followsPaginationAndStoresEveryEventOnce() async throws {
        try await FixtureServer.with(routes:{ paginatedSite($0, pages: 3, perPage: 4) }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events")
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                #expect(stats.listingPages == 3)
                #expect(stats.eventsDiscovered == 12)
                #expect(stats.eventsFetched == 12)
                let events = try await Event.query(on: database.db).all()
                #expect(events.count == 12)
                // Tracking parameters and fragments are normalised away.
                #expect(events.allSatisfy { !$0.url.contains("utm_") && !$0.url.contains("#") })
                #expect(events.allSatisfy { $0.fetchState == "fetched" && $0.title?.hasPrefix("Talk ") == true && $0.startsOn == "2024-03-12" })
                for id in 1...12 { #expect(server.requests("/events/2024/talk-\(id)") == 1) }
            }
        }
    }

    @Test func newModeStopsAtKnownPagesAndRefreshUsesConditionalRequests() async throws {
        try await FixtureServer.with(routes:{ paginatedSite($0, pages: 5, perPage: 3) }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events")
                _ = try await crawler.crawl(source, options: options())
                let second = try await crawler.crawl(source, options: options { $0.mode = .new; $0.stopAfterUnchangedPages = 2 })
                #expect(second.listingPages == 2)
                #expect(second.eventsFetched == 0)
                #expect(second.stoppedBecause?.contains("nothing new") == true)
                let refreshed = try await crawler.crawl(source, options: options { $0.mode = .new; $0.refresh = true })
                await fetchers.shutdown()
                #expect(refreshed.eventsFetched == 15)
                #expect(refreshed.eventsNotModified == 15)
                #expect(refreshed.eventsChanged == 0)
            }
        }
    }

    @Test func limitAndMaxPagesBoundTheCrawl() async throws {
        try await FixtureServer.with(routes:{ paginatedSite($0, pages: 6, perPage: 5) }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events")
                // Discovery reads three pages: the listing, its next page, and one talk to see what talks look like.
                let stats = try await crawler.crawl(source, options: options { $0.limit = 7; $0.maxPages = 3 })
                await fetchers.shutdown()
                #expect(stats.listingPages == 2)
                #expect(stats.eventsFetched == 7)
                #expect(try await FrontierRepository(database.db).counts(sourceID: source.id).queued == 3)
            }
        }
    }

    @Test func endlessPaginationIsCut() async throws {
        try await FixtureServer.with(routes: { app in
            // Every page links to the "next" page forever, with the same events.
            app.get("trap", ":n") { request -> Response in
                let n = Int(request.parameters.get("n") ?? "1") ?? 1
                return .html("<html><head><link rel=next href=\"/trap/\(n + 1)\"></head><body><main><a href=\"/e/talk-1\">Talk one here</a><a href=\"/e/talk-2\">Talk two here</a><p>page</p></main></body></html>")
            }
            app.get("e", ":slug") { request in
                Response.html("<html><body><h1>Talk \(request.parameters.get("slug") ?? "")</h1><p>12 March 2024, 18:30</p></body></html>")
            }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/trap/1")
                let stats = try await crawler.crawl(source, options: options { $0.maxPages = 200 })
                await fetchers.shutdown()
                #expect(stats.listingPages <= 3, "walked \(stats.listingPages) pages of a trap")
                #expect(stats.eventsFetched == 2)
            }
        }
    }

    @Test func redirectsAreFollowedAndLoopsRecorded() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("events") { _ in Response.html("<html><body><main><a href=\"/old/a\">Moved event A</a><a href=\"/old/b\">Looping event B</a><a href=\"/old/c\">Another event C</a></main></body></html>") }
            app.get("old", "a") { $0.redirect(to: "/new/a", redirectType: .permanent) }
            app.get("new", "a") { _ in Response.html("<html><head><title>Event A</title></head><body><h1>Event A</h1></body></html>") }
            app.get("old", "b") { $0.redirect(to: "/loop/b") }
            app.get("loop", "b") { $0.redirect(to: "/old/b") }
            app.get("old", "c") { $0.redirect(to: "/new/c", redirectType: .temporary) }
            app.get("new", "c") { _ in Response.html("<html><head><title>Event C</title></head><body><h1>Event C</h1></body></html>") }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events", pattern: "^/old/")
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                #expect(stats.eventsFetched == 2)
                #expect(stats.eventsFailed == 1)
                let looped = try #require(try await Event.query(on: database.db).filter(\.$url == server.base + "/old/b").first())
                #expect(looped.fetchState == "failed")
                #expect(looped.fetchError?.contains("redirect loop") == true)
                // A moved page is stored under the address it redirects to.
                let moved = try #require(try await Event.query(on: database.db).filter(\.$url == server.base + "/new/a").first())
                #expect(try await Event.query(on: database.db).filter(\.$url == server.base + "/old/a").count() == 0)
                #expect(moved.title == "Event A")
            }
        }
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("events") { _ in Response.html("<html><body><main><a href=\"/busy/1\">Busy event one</a><a href=\"/busy/2\">Busy event two</a></main></body></html>") }
            let hits = NIOLockedValueBox(0)
            app.get("busy", ":id") { request -> Response in
                let count = hits.withLockedValue { $0 += 1; return $0 }
                if count == 1 {
                    return Response(status: .tooManyRequests, headers: ["Retry-After": "1"])
                }
                return .html("<html><body><h1>Busy \(request.parameters.get("id") ?? "")</h1></body></html>")
            }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events", pattern: "^/busy/")
                let clock = ContinuousClock()
                let started = clock.now
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                #expect(stats.eventsFetched == 2)
                #expect(stats.eventsFailed == 0)
                #expect(clock.now - started >= .milliseconds(900), "Retry-After was not waited for")
            }
        }
    }

    @Test func persistentServerErrorsAreMarkedFailedWithTheirError() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("events") { _ in Response.html("<html><body><main><a href=\"/broken/1\">Broken event one</a><a href=\"/broken/2\">Broken event two</a></main></body></html>") }
            app.get("broken", ":id") { _ in Response(status: .serviceUnavailable) }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events", pattern: "^/broken/")
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                #expect(stats.eventsFailed == 2)
                for event in try await Event.query(on: database.db).all() {
                    #expect(event.fetchState == "failed")
                    #expect(event.fetchAttempts == FrontierRepository.maxAttempts)
                    #expect(event.fetchError == "HTTP 503")
                }
                #expect(server.requests("/broken/1") == FrontierRepository.maxAttempts)
            }
        }
    }

    @Test func slowHugeBinaryAndMalformedPagesAreRecordedAndTheCrawlGoesOn() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("events") { _ in Response.html("""
                <html><body><main><a href="/p/slow">Slow page</a><a href="/p/huge">Huge page</a><a href="/p/binary">Binary page</a>
                <a href="/p/broken">Broken markup page</a><a href="/p/fine">Fine page</a><a href="/p/latin">Latin page</a></main></body></html>
                """) }
            app.get("p", "slow") { _ async throws -> Response in
                try await Task.sleep(for: .seconds(4))
                return .html("<html><body>late</body></html>")
            }
            app.get("p", "huge") { _ in Response.html("<html><body>" + String(repeating: "x", count: 2 << 20) + "</body></html>") }
            app.get("p", "binary") { _ in Response(status: .ok, headers: ["Content-Type": "application/pdf"], body: .init(data: Data([0x25, 0x50, 0x44, 0x46, 0, 1, 2]))) }
            app.get("p", "broken") { _ in Response.html("<html><body><h1>Unclosed <div><p>text <b>bold <table><tr><td>cell</body>") }
            app.get("p", "fine") { _ in Response.html("<html><head><title>Fine</title></head><body><h1>Fine</h1></body></html>") }
            app.get("p", "latin") { _ in Response.html("<html><head><title>Café Müller</title></head><body><h1>Café Müller</h1></body></html>",
                                                         charset: "iso-8859-1", encoding: .isoLatin1) }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database, timeout: 1, maxBody: 1 << 20)
                let source = try await addSource(database, url: server.base + "/events", pattern: "^/p/")
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                func event(_ path: String) async throws -> Event {
                    try #require(try await Event.query(on: database.db).filter(\.$url == server.base + path).first())
                }
                #expect(try await event("/p/fine").fetchState == "fetched")
                #expect(try await event("/p/broken").fetchState == "fetched")
                #expect(try await event("/p/latin").title == "Café Müller")
                #expect(try await event("/p/slow").fetchError?.contains("timed out") == true)
                #expect(try await event("/p/huge").fetchError?.contains("larger than") == true)
                #expect(try await event("/p/binary").fetchState == "skipped")
                #expect(stats.eventsFetched == 3)
            }
        }
    }

    @Test func robotsTxtIsObeyedUnlessIgnored() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("robots.txt") { _ in Response(status: .ok, body: .init(string: "User-agent: *\nDisallow: /private/\n")) }
            app.get("events") { _ in Response.html("<html><body><main><a href=\"/private/1\">Private event one</a><a href=\"/public/1\">Public event one</a></main></body></html>") }
            app.get("private", ":id") { _ in Response.html("<html><body><h1>Private</h1></body></html>") }
            app.get("public", ":id") { _ in Response.html("<html><body><h1>Public</h1></body></html>") }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events", pattern: "^/(private|public)/")
                let stats = try await crawler.crawl(source, options: options())
                #expect(stats.eventsFetched == 1)
                #expect(stats.eventsSkipped == 1)
                #expect(server.requests("/private/1") == 0)
                let skipped = try #require(try await Event.query(on: database.db).filter(\.$url == server.base + "/private/1").first())
                #expect(skipped.fetchError?.contains("robots.txt") == true)
                _ = try await FrontierRepository(database.db).enqueueEvents([server.base + "/private/2"], sourceID: source.id, via: "test")
                let ignoring = try await crawler.crawl(source, options: options { $0.ignoreRobots = true })
                await fetchers.shutdown()
                #expect(ignoring.eventsFetched == 1)
                #expect(server.requests("/private/2") == 1)
            }
        }
    }

    @Test func sitemapAndCalendarFeedsAddEvents() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("robots.txt") { _ in Response(status: .ok, body: .init(string: "User-agent: *\nAllow: /\nSitemap: /maps/index.xml\n")) }
            app.get("events") { _ in Response.html("""
                <html><head><link rel="alternate" type="text/calendar" href="/cal.ics"></head><body><main>
                <a href="/talks/2024/alpha-talk">Alpha talk on trade</a><a href="/talks/2024/beta-talk">Beta talk on trade</a></main></body></html>
                """) }
            app.get("maps", "index.xml") { _ in Response(status: .ok, body: .init(string: "<sitemapindex><sitemap><loc>/maps/talks.xml</loc></sitemap></sitemapindex>")) }
            app.get("maps", "talks.xml") { _ in Response(status: .ok, body: .init(string: "<urlset><url><loc>/talks/2023/gamma-talk</loc></url><url><loc>/about</loc></url></urlset>")) }
            app.get("cal.ics") { _ in Response(status: .ok, body: .init(string: "BEGIN:VCALENDAR\nBEGIN:VEVENT\nURL:/talks/2022/delta-talk\nEND:VEVENT\nEND:VCALENDAR\n")) }
            app.get("talks", ":year", ":slug") { request in
                Response.html("<html><body><h1>\(request.parameters.get("slug") ?? "")</h1><p>Speaker: Jo Lee</p><p>4 May 2024, 10:00</p></body></html>")
            }
        }) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events")
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                let urls = Set(try await Event.query(on: database.db).all().map(\.url))
                #expect(urls == Set(["alpha-talk", "beta-talk"].map { server.base + "/talks/2024/" + $0 } + [server.base + "/talks/2023/gamma-talk", server.base + "/talks/2022/delta-talk"]))
                #expect(stats.eventsFetched == 4)
            }
        }
    }

    @Test func theBundledSampleSiteIsCrawledCompletelyOverHTTP() async throws {
        try await FixtureServer.with(directory: PackageRoot.url.appendingPathComponent("SampleSite").path) { server in
            try await TestDatabase.with { database in
                let (crawler, fetchers) = makeCrawler(database)
                let source = try await addSource(database, url: server.base + "/events/index.html")
                let stats = try await crawler.crawl(source, options: options())
                await fetchers.shutdown()
                let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: PackageRoot.url.appendingPathComponent("SampleSite/truth.json"))) as? [String: Any]
                let truthPaths = Set(((truth?["events"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }.filter { !$0.hasPrefix("/events/live/") })
                let stored = Set(try await Event.query(on: database.db).filter(\.$fetchState == "fetched").all().compactMap { URL(string: $0.url)?.path })
                #expect(truthPaths.isSubset(of: stored), "missing: \(truthPaths.subtracting(stored).sorted())")
                // Every listing page was read, and no page that is not an event was stored as one.
                #expect(stats.listingPages >= 5)
                #expect(stored.isSubset(of: truthPaths.union(((truth?["events"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String })),
                        "not events: \(stored.subtracting(truthPaths).sorted())")
                #expect(stats.eventsFailed == 0)
            }
        }
    }
}
