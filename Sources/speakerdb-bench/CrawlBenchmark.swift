import ArgumentParser
import Crawling
import FluentKit
import Foundation
import SpeakerCore
import Logging
import Storage
import Web

/// Writes a synthetic event site to a folder: listing pages of 50 links and event pages
/// of realistic size (speaker cards, a description, a date), optionally rendered by JS.
enum SyntheticSite {
    static func write(to directory: URL, events: Int, javascript: Bool) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory.appendingPathComponent("events"), withIntermediateDirectories: true)
        let perPage = 50
        let pages = (events + perPage - 1) / perPage
        for page in 1...pages {
            var html = "<!doctype html><html lang=\"en\"><head><title>Events | Bench</title>"
            if page < pages { html += "<link rel=\"next\" href=\"/list/\(page + 1).html\">" }
            html += "</head><body><nav><a href=\"/\">Home</a><a href=\"/about.html\">About</a></nav><main><h1>Events</h1><ul>"
            for index in ((page - 1) * perPage)..<min(events, page * perPage) {
                html += "<li><a href=\"/events/e\(index + 1).html\">Panel \(index + 1): trade, climate and cities</a> <span>12 March 2024</span></li>"
            }
            html += "</ul>"
            if page < pages { html += "<a href=\"/list/\(page + 1).html\">Older events →</a>" }
            html += "</main><footer>Bench site</footer></body></html>"
            let path = page == 1 ? "list/1.html" : "list/\(page).html"
            try manager.createDirectory(at: directory.appendingPathComponent("list"), withIntermediateDirectories: true)
            try html.write(to: directory.appendingPathComponent(path), atomically: false, encoding: .utf8)
        }
        let description = String(repeating: "Leading researchers and practitioners discuss what the evidence says and what policy makers should do next. ", count: 12)
        for index in 1...events {
            var cards = ""
            for speaker in 0..<4 {
                cards += "<div class=\"speaker-card\"><h3>Speaker \(index)-\(speaker) Person</h3><p class=\"role\">Senior Fellow</p><p class=\"org\">Institute \(speaker)</p><p class=\"bio\">Works on trade and climate.</p></div>"
            }
            let body: String
            if javascript {
                let data = "{\"cards\": \(String(reflecting: cards))}"
                try data.write(to: directory.appendingPathComponent("events/e\(index).json"), atomically: false, encoding: .utf8)
                body = "<section class=\"speakers\"><h2>Speakers</h2><div id=\"speaker-list\" data-src=\"/events/e\(index).json\"></div></section><script src=\"/render.js\"></script>"
            } else {
                body = "<section class=\"speakers\"><h2>Speakers</h2>\(cards)</section>"
            }
            let html = """
                <!doctype html><html lang="en"><head><title>Panel \(index) | Bench</title><meta property="og:title" content="Panel \(index)"></head>
                <body><nav><a href="/">Home</a></nav><main><h1>Panel \(index)</h1><p><time datetime="2024-03-12T18:30:00+01:00">Tuesday, 12 March 2024, 18:30 CET</time></p>
                <p>Venue: Meridian House, London</p><p>\(description)</p>\(body)</main><footer>Bench site</footer></body></html>
                """
            try html.write(to: directory.appendingPathComponent("events/e\(index).html"), atomically: false, encoding: .utf8)
        }
        if javascript {
            try """
                const box = document.getElementById('speaker-list');
                fetch(box.dataset.src).then(r => r.json()).then(d => { box.innerHTML = d.cards; });
                """.write(to: directory.appendingPathComponent("render.js"), atomically: false, encoding: .utf8)
        }
    }
}

struct CrawlBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Crawl a local synthetic site (delays off): pages/s for fetch + parse + store, and memory.")

    @ArgumentParser.Option(help: "Event pages in the site.") var pages = 1_000
    @ArgumentParser.Flag(help: "Render event pages with JavaScript and fetch them with headless Chromium.") var browser = false
    @ArgumentParser.Option(help: "Browser sessions.") var pool = 2
    @ArgumentParser.Option(help: "Event pages fetched at once.") var concurrency = 4

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-crawlbench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SyntheticSite.write(to: directory.appendingPathComponent("site"), events: pages, javascript: browser)
        let server = try await StaticSiteServer.start(directory: directory.appendingPathComponent("site").path)
        let logger = Logger(label: "bench")
        let context = try await StorageContext.open(.sqlite(path: directory.appendingPathComponent("speakers.db").path), logger: logger)
        try await context.migrate()
        let source = try await SourceRepository(context.database).upsert(
            SourceSpec(url: server.baseURL + "/list/1.html", fetcher: browser ? .browser : .http))
        // The site is served here on loopback.
        var http = HTTPFetcher.Configuration()
        http.addresses = .any
        var browserConfiguration = BrowserFetcher.Configuration(poolSize: pool)
        browserConfiguration.addresses = .any
        let fetchers = FetcherSet(http: HTTPFetcher(configuration: http), browser: BrowserFetcher(configuration: browserConfiguration))
        let scheduler = HostScheduler(configuration: .init(perHost: max(2, concurrency), delay: 1, noDelayOnLoopback: true))
        let crawler = Crawler(storage: context, fetchers: fetchers, scheduler: scheduler, logger: logger)
        var options = CrawlOptions()
        options.mode = .backfill
        options.concurrency = concurrency
        options.useSitemaps = false
        let clock = ContinuousClock()
        let started = clock.now
        let stats = try await crawler.crawl(source, options: options)
        let elapsed = clock.now - started
        let seconds = elapsed.inSeconds
        let stored = try await Event.query(on: context.database).filter(\.$fetchState == "fetched").count()
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; fetcher: \(browser ? "browser (pool \(pool))" : "http"); concurrency \(concurrency)")
        print(String(format: "crawled %d listing pages + %d event pages in %.2f s: %.1f event pages/s (%.1f pages/s including listings); %d stored, %d failed",
                     stats.listingPages, stats.eventsFetched, seconds, Double(stats.eventsFetched) / seconds,
                     Double(stats.eventsFetched + stats.listingPages) / seconds, stored, stats.eventsFailed))
        if let peak = peakMemoryMiB(pid: ProcessInfo.processInfo.processIdentifier) {
            print(String(format: "peak memory of the crawling process (with the site server in it): %.0f MiB", peak))
        }
        if browser {
            print(String(format: "browser processes (chromedriver + Chromium, pool %d): %.0f MiB resident at the end", pool, await fetchers.browser.residentMemoryMiB()))
        }
        await fetchers.shutdown()
        await context.shutdown()
        await server.stop()
    }
}
