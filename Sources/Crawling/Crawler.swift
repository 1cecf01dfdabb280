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
    /// Most pages to read while discovering event pages: listings, indexes, and the event
    /// pages read to learn what they look like (the source's own setting wins when it has one).
    public var maxPages = 500
    public var stopAfterUnchangedPages = 2
    public var ignoreRobots = false
    /// Re-check already fetched event pages with conditional requests.
    public var refresh = false
    public var useSitemaps = true
    /// Read the site to find event pages. Off: fetch only the event pages already queued
    /// (imported or added by hand).
    public var discover = true
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
    /// Event pages read while discovering and stored without a second fetch.
    public var eventsStoredFromDiscovery = 0
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
        case eventsStoredFromDiscovery = "events_stored_from_discovery"
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
        eventsStoredFromDiscovery += other.eventsStoredFromDiscovery
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
        if options.discover {
            let plan = try await discover(source, sourceID: sourceID, fetcher: fetcher, options: options, tracker: tracker, report: report)
            if options.useSitemaps {
                await readSitemaps(source, sourceID: sourceID, fetcher: fetcher, shapes: plan.eventShapes, excluding: Set(plan.notices),
                               options: options, tracker: tracker)
            }
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

    // MARK: discovery

    /// Reads the site from the source's start page, decides which pages are events (by the
    /// source's pattern, or by `EventPageClassifier`), saves the decision on the source,
    /// queues the event pages and stores those already read. Returns the decision.
    func discover(_ source: Source, sourceID: Int, fetcher: any Fetcher, options: CrawlOptions, tracker: StatsTracker,
                  report: @Sendable (String) async -> Void) async throws -> DiscoveryPlan {
        guard let start = URL(string: source.url) else {
            await tracker.update { $0.stoppedBecause = "the source URL is not a URL" }
            return DiscoveryPlan()
        }
        let pattern = try source.eventURLPattern.map { try NSRegularExpression(pattern: $0) }
        let previousPlan = DiscoveryPlan.decode(source.discoveryPlan)
        let exploration = try await explore(source, sourceID: sourceID, start: start, fetcher: fetcher, options: options, plan: previousPlan,
                                            pattern: pattern, tracker: tracker, report: report)
        var decision: EventPageClassifier.Decision
        let incremental = options.mode == .new && previousPlan.map { !$0.families.isEmpty } == true && pattern == nil && !options.refresh
        if incremental, let previousPlan {
            // A later run keeps the decision made when the whole site was read.
            let shapes = Set(previousPlan.eventShapes)
            let events = exploration.known.filter { URL(string: $0).map { shapes.contains(URLShape.of($0)) } == true }
            var plan = previousPlan
            plan.readingSince = nil
            plan.stoppedBecause = exploration.stoppedBecause
            decision = .init(plan: plan, eventURLs: events + previousPlan.programmePages.filter { !events.contains($0) })
        } else {
            var input = EventPageClassifier.Input(start: start, summaries: exploration.summaries, contentLinks: exploration.contentLinks,
                                                  navigationLinks: exploration.navigationLinks, known: exploration.known,
                                                  pattern: pattern, patternText: source.eventURLPattern)
            input.redirectedFrom = exploration.redirectedFrom
            decision = EventPageClassifier().classify(input)
            decision.plan.stoppedBecause = exploration.stoppedBecause
        }
        let eventSet = Set(decision.eventURLs)
        let frontier = FrontierRepository(storage.database)
        let fresh = try await frontier.enqueueEvents(decision.eventURLs, sourceID: sourceID, via: "listing")
        await tracker.update {
            $0.eventsDiscovered += fresh.count
            $0.listingPages += exploration.pages.keys.filter { !eventSet.contains($0) }.count
            $0.stoppedBecause = exploration.stoppedBecause
        }
        try await dropEventPages(sourceID: sourceID, events: eventSet)
        source.discoveryPlan = decision.plan.json()
        try await storage.database.writeTransaction { try await source.save(on: $0) }
        // Event pages discovery could not read: what the attempts showed is kept on the event.
        for (url, failure) in exploration.failedReads where eventSet.contains(url) {
            guard let event = try await Event.query(on: storage.database).filter(\.$url == url).first(),
                  event.fetchState == ItemState.queued.rawValue else { continue }
            if case .notHTML = failure.error {
                try await frontier.recordSkip(event, reason: failure.description)
                await tracker.update { $0.eventsSkipped += 1 }
            } else if failure.error?.isTransient == true {
                event.fetchAttempts += failure.attempts - 1
                try await frontier.recordFailure(event, error: failure.description, retryAfter: 0, permanent: false)
                event.nextFetchAt = nil
                try await frontier.save(event)
            } else {
                try await frontier.recordFailure(event, error: failure.description, retryAfter: nil, permanent: true)
                await tracker.update { $0.eventsFailed += 1 }
            }
        }
        // Event pages read during discovery are stored now, within the run's limit.
        var storedCount = 0
        let limit = options.limit ?? Int.max
        for url in decision.eventURLs where storedCount < limit {
            guard let result = exploration.results[url],
                  let event = try await Event.query(on: storage.database).filter(\.$url == url).first(),
                  event.fetchState == ItemState.queued.rawValue else { continue }
            let changed = try await EventPageStore(storage.database).store(result, into: event)
            storedCount += 1
            await tracker.update {
                $0.eventsFetched += 1
                if changed { $0.eventsChanged += 1 }
            }
        }
        if storedCount > 0 { await tracker.update { $0.eventsStoredFromDiscovery += storedCount } }
        await readFeeds(exploration.feeds, sourceID: sourceID, fetcher: fetcher, options: options, excluding: Set(decision.plan.notices), tracker: tracker)
        return decision.plan
    }

    /// Pages that turned out to be events live in `events` from now on, not in `crawl_pages`.
    func dropEventPages(sourceID: Int, events: Set<String>) async throws {
        guard !events.isEmpty else { return }
        for chunk in Array(events).chunked(into: 400) {
            try await storage.database.writeTransaction { tx in
                try await CrawlPage.query(on: tx).filter(\.$source.$id == sourceID).filter(\.$url ~~ chunk).delete()
            }
        }
    }

    /// iCalendar feeds linked from listing pages: their events' URLs on this host.
    func readFeeds(_ feeds: [URL], sourceID: Int, fetcher: any Fetcher, options: CrawlOptions, excluding notices: Set<String>,
                   tracker: StatsTracker) async {
        var seen = Set<String>()
        for feed in feeds where seen.insert(feed.absoluteString).inserted {
            let allowed = options.ignoreRobots ? true : (await robots.robots(for: feed)).allows(feed)
            guard allowed, let result = try? await fetchPolitely(FetchRequest(url: feed), with: fetchers.http) else { continue }
            let urls = ICalendarReader.eventURLs(result.text, base: result.finalURL)
                .filter { $0.host?.lowercased() == feed.host?.lowercased() }
                .compactMap { URLNormalizer.normalized($0.absoluteString) }
                .filter { !notices.contains($0) }
            if let fresh = try? await FrontierRepository(storage.database).enqueueEvents(urls, sourceID: sourceID, via: "feed") {
                await tracker.update { $0.eventsDiscovered += fresh.count }
            }
        }
    }

    /// sitemap.xml (and those robots.txt names): entries matching the source's pattern,
    /// or the URL shapes discovery took for event pages.
    func readSitemaps(_ source: Source, sourceID: Int, fetcher: any Fetcher, shapes: [String], excluding notices: Set<String>,
                      options: CrawlOptions, tracker: StatsTracker) async {
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
                if matches, let normalized = URLNormalizer.normalized(url.absoluteString), !notices.contains(normalized) { candidates.append(normalized) }
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
        // Event pages stored during discovery count towards the run's limit.
        var remaining = (options.limit ?? Int.max) - (await tracker.stats.eventsStoredFromDiscovery)
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
