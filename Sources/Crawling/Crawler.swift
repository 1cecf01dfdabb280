import FluentKit
import Foundation
import HTMLParsing
import Logging
import SpeakerCore
import Storage

public struct CrawlOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Stop after `stopAfterUnchangedPages` listing pages in a row with nothing new.
        case new
        /// Keep paging back through the listing's history.
        case backfill
    }

    public var mode: Mode = .new
    /// Most event pages to fetch in this run (nil: all that are due).
    public var limit: Int?
    /// Most listing pages to walk (the source's own setting wins when it has one).
    public var maxPages = 50
    public var stopAfterUnchangedPages = 2
    public var ignoreRobots = false
    /// Re-check already fetched event pages with conditional requests.
    public var refresh = false
    public var useSitemaps = true
    /// Event pages fetched at the same time.
    public var concurrency = 4

    public init() {}
}

public struct CrawlStats: Sendable, Codable, Equatable {
    public var listingPages = 0
    public var listingPagesNotModified = 0
    public var eventsDiscovered = 0
    public var eventsFetched = 0
    public var eventsChanged = 0
    public var eventsNotModified = 0
    public var eventsFailed = 0
    public var eventsSkipped = 0
    public var bytes = 0
    public var seconds = 0.0
    public var stoppedBecause: String?
    public var hostsSwitchedToBrowser: [String: String] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case listingPages = "listing_pages"
        case listingPagesNotModified = "listing_pages_not_modified"
        case eventsDiscovered = "events_discovered"
        case eventsFetched = "events_fetched"
        case eventsChanged = "events_changed"
        case eventsNotModified = "events_not_modified"
        case eventsFailed = "events_failed"
        case eventsSkipped = "events_skipped"
        case bytes, seconds
        case stoppedBecause = "stopped_because"
        case hostsSwitchedToBrowser = "hosts_switched_to_browser"
    }

    public mutating func add(_ other: CrawlStats) {
        listingPages += other.listingPages
        listingPagesNotModified += other.listingPagesNotModified
        eventsDiscovered += other.eventsDiscovered
        eventsFetched += other.eventsFetched
        eventsChanged += other.eventsChanged
        eventsNotModified += other.eventsNotModified
        eventsFailed += other.eventsFailed
        eventsSkipped += other.eventsSkipped
        bytes += other.bytes
        seconds += other.seconds
        hostsSwitchedToBrowser.merge(other.hostsSwitchedToBrowser) { $1 }
    }
}

/// A snapshot for the progress display.
public struct CrawlProgress: Sendable {
    public var source: String
    public var phase: String
    public var stats: CrawlStats
    public var queued: Int
    public var elapsed: Double
}

/// Walks one source: its listing pages (with pagination), sitemaps and feeds, then every
/// event page that is due — politely, resumably, and recording every outcome per URL.
public final class Crawler: Sendable {
    let storage: StorageContext
    let fetchers: FetcherSet
    let scheduler: HostScheduler
    let robots: RobotsCache
    let logger: Logger
    let progress: (@Sendable (CrawlProgress) -> Void)?

    public init(storage: StorageContext, fetchers: FetcherSet, scheduler: HostScheduler, logger: Logger,
                progress: (@Sendable (CrawlProgress) -> Void)? = nil) {
        self.storage = storage
        self.fetchers = fetchers
        self.scheduler = scheduler
        self.robots = RobotsCache(fetcher: fetchers.http)
        self.logger = logger
        self.progress = progress
    }

    public func crawl(_ source: Source, options: CrawlOptions) async throws -> CrawlStats {
        let clock = ContinuousClock()
        let started = clock.now
        let sourceID = try source.requireID()
        let fetcher = try await fetchers.fetcher(for: FetcherChoice(rawValue: source.fetcher) ?? .auto, storage: storage)
        let tracker = StatsTracker()
        let report: @Sendable (String) async -> Void = { [progress] phase in
            guard let progress else { return }
            let stats = await tracker.stats
            let queued = (try? await FrontierRepository(self.storage.database).counts(sourceID: sourceID).queued) ?? 0
            progress(CrawlProgress(source: source.name ?? source.url, phase: phase, stats: stats, queued: queued,
                                   elapsed: (clock.now - started).inSeconds))
        }
        let shapes = try await walkListing(source, sourceID: sourceID, fetcher: fetcher, options: options, tracker: tracker, report: report)
        if options.useSitemaps {
            await readSitemaps(source, sourceID: sourceID, fetcher: fetcher, shapes: shapes, options: options, tracker: tracker)
        }
        try await fetchEvents(sourceID: sourceID, fetcher: fetcher, options: options, tracker: tracker, report: report)
        if let auto = fetcher as? AutoFetcher {
            let switched = await auto.switchedHosts
            for (host, reason) in switched {
                try await FrontierRepository(storage.database).rememberFetcher(host: host, fetcher: "browser", reason: reason)
            }
            await tracker.update { $0.hostsSwitchedToBrowser = switched }
        }
        await tracker.update { $0.seconds = (clock.now - started).inSeconds }
        await report("done")
        return await tracker.stats
    }

    // MARK: listing pages

    /// Walks listing pages; returns the URL shapes of the event links it found.
    func walkListing(_ source: Source, sourceID: Int, fetcher: any Fetcher, options: CrawlOptions,
                     tracker: StatsTracker, report: @Sendable (String) async -> Void) async throws -> [String] {
        let frontier = FrontierRepository(storage.database)
        let bodies = PageBodyStore(storage.database)
        let analyzer = try ListingAnalyzer(eventPattern: source.eventURLPattern)
        let maxPages = source.maxPages ?? options.maxPages
        var next: URL? = URL(string: source.url)
        var pageNumber = 1
        var visited = Set<String>()
        var seenContent = Set<String>()
        var unchangedStreak = 0
        var repeatStreak = 0
        var linkedThisCrawl = Set<String>()
        var shapes = Set<String>()
        var feeds: [URL] = []
        while let url = next {
            next = nil
            guard pageNumber <= maxPages else {
                await tracker.update { $0.stoppedBecause = "reached --max-pages \(maxPages)" }
                break
            }
            guard visited.insert(url.absoluteString).inserted else { break }
            let page = try await frontier.page(sourceID: sourceID, url: url.absoluteString, kind: .listing, pageNumber: pageNumber)
            if !options.ignoreRobots, !(await robots.robots(for: url)).allows(url) {
                page.state = ItemState.skipped.rawValue
                page.lastError = FetchError.blockedByRobots(url).description
                try await frontier.save(page)
                await tracker.update { $0.stoppedBecause = "robots.txt disallows \(url.path)" }
                break
            }
            let result: FetchResult
            do {
                result = try await fetchPolitely(FetchRequest(url: url, etag: page.etag, lastModified: page.lastModified), with: fetcher)
            } catch {
                page.attempts += 1
                page.state = ItemState.failed.rawValue
                page.lastError = "\(error)"
                try await frontier.save(page)
                logger.warning("listing page failed", metadata: ["url": .string(url.absoluteString), "error": .string("\(error)")])
                await tracker.update { $0.stoppedBecause = "listing page \(pageNumber) failed: \(error)" }
                break
            }
            var html = result.text
            if result.notModified, let hash = page.bodyHash, let stored = try await bodies.load(hash) {
                html = String(decoding: stored, as: UTF8.self)
                await tracker.update { $0.listingPagesNotModified += 1 }
            } else if !result.notModified {
                page.bodyHash = try await bodies.store(Data(html.utf8))
                page.contentHash = page.bodyHash
                await tracker.update { $0.bytes += result.body.count }
            }
            page.state = ItemState.fetched.rawValue
            page.httpStatus = result.status
            page.etag = result.etag
            page.lastModified = result.lastModified
            page.fetcher = result.fetcher
            page.fetchedAt = Date()
            page.attempts += 1
            page.lastError = nil
            await tracker.update { $0.listingPages += 1 }
            // The same content under another URL is a pagination trap (or the end).
            guard seenContent.insert(PageBodyStore.hash(Data(html.utf8))).inserted else {
                try await frontier.save(page)
                await tracker.update { $0.stoppedBecause = "listing page \(pageNumber) repeats an earlier page" }
                break
            }
            guard let document = try? HTMLDocument(html: html, url: result.finalURL) else {
                page.lastError = "listing page is not HTML"
                try await frontier.save(page)
                break
            }
            var links = analyzer.analyze(document, pageURL: result.finalURL)
            if links.events.isEmpty && pageNumber == 1 && links.nextPages.isEmpty {
                // A schedule page that shows its events inline: the page is the event page.
                links.events = [result.finalURL]
            }
            shapes.formUnion(links.eventShapes)
            feeds.append(contentsOf: links.feeds)
            let fresh = try await frontier.enqueueEvents(links.events.map(\.absoluteString), sourceID: sourceID, via: "listing")
            page.linksFound = links.events.count
            page.newLinks = fresh.count
            try await frontier.save(page)
            await tracker.update { $0.eventsDiscovered += fresh.count }
            await report("listing page \(pageNumber)")
            if links.events.isEmpty && pageNumber > 1 {
                await tracker.update { $0.stoppedBecause = "listing page \(pageNumber) has no events" }
                break
            }
            // Pages that only repeat links seen earlier in this crawl: a pagination trap.
            let unseen = links.events.filter { linkedThisCrawl.insert($0.absoluteString).inserted }
            repeatStreak = unseen.isEmpty ? repeatStreak + 1 : 0
            if repeatStreak >= 2 {
                await tracker.update { $0.stoppedBecause = "listing pages \(pageNumber - 1)–\(pageNumber) only repeat earlier links" }
                break
            }
            if options.mode == .new {
                unchangedStreak = fresh.isEmpty ? unchangedStreak + 1 : 0
                if unchangedStreak >= options.stopAfterUnchangedPages {
                    await tracker.update { $0.stoppedBecause = "\(unchangedStreak) listing pages in a row with nothing new" }
                    break
                }
            }
            next = links.nextPages.first { !visited.contains($0.absoluteString) }
            pageNumber += 1
            if next == nil {
                await tracker.update { $0.stoppedBecause = "no further listing page" }
            }
        }
        await readFeeds(feeds, sourceID: sourceID, fetcher: fetcher, options: options, tracker: tracker)
        return Array(shapes)
    }

    /// iCalendar feeds linked from listing pages: their events' URLs on this host.
    func readFeeds(_ feeds: [URL], sourceID: Int, fetcher: any Fetcher, options: CrawlOptions, tracker: StatsTracker) async {
        var seen = Set<String>()
        for feed in feeds where seen.insert(feed.absoluteString).inserted {
            let allowed = options.ignoreRobots ? true : (await robots.robots(for: feed)).allows(feed)
            guard allowed, let result = try? await fetchPolitely(FetchRequest(url: feed), with: fetchers.http) else { continue }
            let urls = ICalendarReader.eventURLs(result.text, base: result.finalURL)
                .filter { $0.host?.lowercased() == feed.host?.lowercased() }
                .compactMap { URLNormalizer.normalized($0.absoluteString) }
            if let fresh = try? await FrontierRepository(storage.database).enqueueEvents(urls, sourceID: sourceID, via: "feed") {
                await tracker.update { $0.eventsDiscovered += fresh.count }
            }
        }
    }

    /// sitemap.xml (and those robots.txt names): entries matching the source's pattern,
    /// or the URL shapes of the event links found on its listing pages.
    func readSitemaps(_ source: Source, sourceID: Int, fetcher: any Fetcher, shapes: [String], options: CrawlOptions, tracker: StatsTracker) async {
        guard let start = URL(string: source.url), let host = start.host?.lowercased() else { return }
        let pattern = source.eventURLPattern.flatMap { try? NSRegularExpression(pattern: $0) }
        guard pattern != nil || !shapes.isEmpty else { return }
        var queue = (await robots.robots(for: start)).sitemaps.compactMap { URL(string: $0, relativeTo: start)?.absoluteURL }
        if queue.isEmpty, let root = URL(string: "/sitemap.xml", relativeTo: start)?.absoluteURL { queue.append(root) }
        var fetched = 0
        var candidates: [String] = []
        while let sitemap = queue.first, fetched < 10 {
            queue.removeFirst()
            fetched += 1
            let allowed = options.ignoreRobots ? true : (await robots.robots(for: sitemap)).allows(sitemap)
            guard sitemap.host?.lowercased() == host, allowed, let result = try? await fetchPolitely(FetchRequest(url: sitemap), with: fetchers.http) else { continue }
            let entries = SitemapReader.read(result.text, base: result.finalURL)
            queue.append(contentsOf: entries.sitemaps)
            for url in entries.pages where url.host?.lowercased() == host {
                let matches = pattern.map { ListingAnalyzer.matches($0, url) } ?? shapes.contains(URLShape.of(url))
                if matches, let normalized = URLNormalizer.normalized(url.absoluteString) { candidates.append(normalized) }
            }
        }
        if let fresh = try? await FrontierRepository(storage.database).enqueueEvents(candidates, sourceID: sourceID, via: "sitemap") {
            await tracker.update { $0.eventsDiscovered += fresh.count }
        }
    }

    // MARK: event pages

    func fetchEvents(sourceID: Int, fetcher: any Fetcher, options: CrawlOptions, tracker: StatsTracker,
                     report: @Sendable (String) async -> Void) async throws {
        let frontier = FrontierRepository(storage.database)
        var remaining = options.limit ?? Int.max
        var refreshed = Set<Int>()
        if options.refresh {
            let fetched = try await frontier.fetchedEvents(sourceID: sourceID, limit: min(remaining, 100_000))
            for event in fetched {
                event.fetchState = ItemState.queued.rawValue
                event.nextFetchAt = nil
                try await frontier.save(event)
                refreshed.insert(try event.requireID())
            }
        }
        while remaining > 0 {
            // Stopping (a worker's shutdown): leave the rest queued for the next run.
            try Task.checkCancellation()
            let batch = try await frontier.dueEvents(sourceID: sourceID, limit: min(remaining, 64))
            guard !batch.isEmpty else { break }
            remaining -= batch.count
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for event in batch {
                    if running >= options.concurrency {
                        try await group.next()
                        running -= 1
                    }
                    group.addTask { await self.fetchEvent(event, fetcher: fetcher, options: options, tracker: tracker) }
                    running += 1
                }
                try await group.waitForAll()
            }
            await report("event pages")
        }
    }

    func fetchEvent(_ event: Event, fetcher: any Fetcher, options: CrawlOptions, tracker: StatsTracker) async {
        let frontier = FrontierRepository(storage.database)
        guard let url = URL(string: event.url) else {
            try? await frontier.recordSkip(event, reason: "invalid URL")
            await tracker.update { $0.eventsSkipped += 1 }
            return
        }
        if !options.ignoreRobots, !(await robots.robots(for: url)).allows(url) {
            try? await frontier.recordSkip(event, reason: FetchError.blockedByRobots(url).description)
            await tracker.update { $0.eventsSkipped += 1 }
            return
        }
        var attempt = 0
        while true {
            attempt += 1
            // A cancelled crawl leaves the page as it was: queued, no attempt counted.
            if Task.isCancelled { return }
            do {
                let result = try await fetchPolitely(FetchRequest(url: url, etag: event.etag, lastModified: event.lastModified), with: fetcher)
                let changed = try await EventPageStore(storage.database).store(result, into: event)
                await tracker.update {
                    $0.eventsFetched += 1
                    $0.bytes += result.body.count
                    if result.notModified { $0.eventsNotModified += 1 } else if changed { $0.eventsChanged += 1 }
                }
                return
            } catch where Task.isCancelled || error is CancellationError {
                return
            } catch let error as FetchError where error.isTransient && event.fetchAttempts + 1 < FrontierRepository.maxAttempts {
                // Retry within the run after Retry-After or a short backoff with jitter.
                let wait = min(60, error.retryAfter ?? pow(2, Double(attempt)) * Double.random(in: 0.5...1.0))
                if let host = url.host { await scheduler.pause(host, until: Date().addingTimeInterval(wait)) }
                event.fetchAttempts += 1
                event.fetchError = error.description
                try? await frontier.save(event)
                logger.info("retrying", metadata: ["url": .string(event.url), "error": .string(error.description), "wait_s": .stringConvertible(Int(wait))])
                continue
            } catch {
                let fetchError = error as? FetchError
                let permanent = !(fetchError?.isTransient ?? false)
                try? await frontier.recordFailure(event, error: "\(error)", retryAfter: fetchError?.retryAfter, permanent: permanent)
                if permanent, case .notHTML = fetchError {
                    try? await frontier.recordSkip(event, reason: "\(error)")
                    await tracker.update { $0.eventsSkipped += 1 }
                } else {
                    await tracker.update { $0.eventsFailed += 1 }
                }
                logger.warning("event page failed", metadata: ["url": .string(event.url), "error": .string("\(error)")])
                return
            }
        }
    }

    /// Takes a politeness slot for the URL's host, fetches, and releases the slot.
    func fetchPolitely(_ request: FetchRequest, with fetcher: any Fetcher) async throws -> FetchResult {
        let host = request.url.host?.lowercased() ?? ""
        if let delay = (await robots.robots(for: request.url)).crawlDelay {
            await scheduler.setCrawlDelay(delay, for: host)
        }
        await scheduler.acquire(host)
        do {
            let result = try await fetcher.fetch(request)
            await scheduler.release(host)
            return result
        } catch let error as FetchError {
            if let retryAfter = error.retryAfter {
                await scheduler.pause(host, until: Date().addingTimeInterval(min(retryAfter, 300)))
            }
            await scheduler.release(host)
            throw error
        } catch {
            await scheduler.release(host)
            throw error
        }
    }
}

/// Counters shared by the concurrent fetch tasks of one crawl.
actor StatsTracker {
    private(set) var stats = CrawlStats()

    func update(_ change: (inout CrawlStats) -> Void) {
        change(&stats)
    }
}
