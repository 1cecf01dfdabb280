import FluentKit
import Foundation
import HTMLParsing
import Logging
import SpeakerCore
import Storage

/// What reading a site's pages found: the evidence about each page read, the links between
/// them, every URL seen, and the pages' bodies (so event pages read here are not fetched
/// twice).
struct Exploration: Sendable {
    var summaries: [PageSummary] = []
    var contentLinks: [String: [String]] = [:]
    /// How many pages read link to each URL from their navigation, header or footer.
    var navigationLinks: [String: Int] = [:]
    var known: [String] = []
    var results: [String: FetchResult] = [:]
    var resultBytes = 0
    var feeds: [URL] = []
    /// Links that redirected elsewhere: the page they land on counts, not them.
    var redirected = Set<String>()
    var redirectedFrom: [String: [String]] = [:]
    /// Pages that could not be read, so an event page among them is not tried again in
    /// vain (a 404), or is tried only as often as is left (a 503).
    var failedReads: [String: FailedRead] = [:]
    var failures = 0
    var stoppedBecause: String?
    /// Crawl pages (non-event pages read), saved once the plan says which pages are events.
    var pages: [String: CrawlPageRecord] = [:]

    /// Keeps at most this many bytes of page bodies; past it, event pages are fetched again.
    static let maxKeptBytes = 192 << 20
}

struct FailedRead: Sendable {
    var description: String
    var attempts: Int
    var error: FetchError?
}

/// A page read during discovery, to be saved as a `CrawlPage` unless it is an event page.
struct CrawlPageRecord: Sendable {
    var url: String
    var status: Int
    var etag: String?
    var lastModified: String?
    var fetcher: String
    var bodyHash: String?
    var links: Int
    var newLinks: Int
    var depth: Int
}

extension Crawler {
    /// One fetched (or stored) page, or why there is none.
    enum ReadOutcome: Sendable {
        case fetched(FetchResult)
        /// An event page fetched in an earlier run: its stored body, not fetched again.
        case stored(url: URL, text: String)
        /// A page an interrupted run read: its stored body.
        case resumed(url: URL, text: String, page: CrawlPage)
        case notModified(FetchResult, storedText: String)
        /// What went wrong, after how many requests, and the fetch error when there is one.
        case failed(String, attempts: Int, error: FetchError?)
        case disallowed
    }

    /// Reads the source's site from its start page, within the discovery budget, and
    /// returns what it found (see `ExplorationFrontier` for the order).
    func explore(_ source: Source, sourceID: Int, start: URL, fetcher: any Fetcher, options: CrawlOptions, plan: DiscoveryPlan?,
                 pattern: NSRegularExpression?, tracker: StatsTracker, report: @Sendable (String) async -> Void) async throws -> Exploration {
        let budget = max(1, source.maxPages ?? options.maxPages)
        let storedEvents = try await storedEventBodies(sourceID: sourceID)
        let previousPages = try await CrawlPage.query(on: storage.database).filter(\.$source.$id == sourceID).all()
        let previous = Dictionary(previousPages.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        let bodies = PageBodyStore(storage.database)
        // Mark the reading as under way; a run killed before deciding left such a mark, and
        // the pages it read since then are reused, not fetched again.
        let resumeSince = plan?.readingSince
        var marked = plan ?? DiscoveryPlan()
        marked.readingSince = resumeSince ?? Date()
        source.discoveryPlan = marked.json()
        try await storage.database.writeTransaction { try await source.save(on: $0) }
        // A later run in "new" mode re-reads only the pages that led to events, and stops
        // when they stop leading to new ones.
        let incremental = options.mode == .new && plan.map { !$0.families.isEmpty } == true && !options.refresh
        let eventShapes = Set(plan?.eventShapes ?? [])
        let listingShapes = Set(plan?.listingShapes ?? [])
        var frontier = ExplorationFrontier(start: start)
        var exploration = Exploration()
        exploration.known.append(URLNormalizer.normalized(start.absoluteString) ?? start.absoluteString)
        var seenContent = Set<String>()
        var unchangedStreak = 0
        var chainRepeats = 0
        var aliases = Set<String>()
        var read = 0
        let summarizer = PageSummarizer()

        exploring: while read < budget {
            try Task.checkCancellation()
            var batch = frontier.next(min(options.concurrency, budget - read))
            if incremental {
                batch = batch.filter { $0.tier == 0 || listingShapes.contains($0.shape) }
            }
            if batch.isEmpty {
                if frontier.isEmpty { break }
                continue
            }
            let outcomes = await withTaskGroup(of: (Int, ReadOutcome).self) { group in
                for (index, item) in batch.enumerated() {
                    group.addTask {
                        (index, await self.read(item.url, key: item.key, stored: storedEvents[item.key], previous: previous[item.key],
                                                resumeSince: resumeSince, fetcher: fetcher, options: options, bodies: bodies))
                    }
                }
                var results: [(Int, ReadOutcome)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            var readThisBatch: [(CrawlPageRecord, String)] = []
            for (item, outcome) in zip(batch, outcomes) {
                read += 1
                let text: String
                let finalURL: URL
                var record: CrawlPageRecord?
                switch outcome {
                case .disallowed, .failed:
                    exploration.failures += 1
                    if case .failed(let description, let attempts, let error) = outcome {
                        logger.info("discovery could not read a page", metadata: ["url": .string(item.key), "error": .string(description)])
                        exploration.failedReads[item.key] = FailedRead(description: description, attempts: attempts, error: error)
                    }
                    if item.depth == 0 {
                        exploration.stoppedBecause = outcome.isDisallowed ? "robots.txt disallows \(start.path)" : "the start page failed"
                        if case .failed(let description, _, _) = outcome { exploration.stoppedBecause! += ": \(description)" }
                        break exploring
                    }
                    continue
                case .stored(let url, let stored):
                    text = stored
                    finalURL = url
                case .resumed(let url, let stored, let page):
                    text = stored
                    finalURL = url
                    record = CrawlPageRecord(url: item.key, status: page.httpStatus ?? 200, etag: page.etag, lastModified: page.lastModified,
                                             fetcher: page.fetcher ?? "http", bodyHash: page.bodyHash, links: 0, newLinks: 0, depth: item.depth)
                    // Kept like a fetched page, so an event page among them is stored without a new fetch.
                    let body = Data(stored.utf8)
                    if exploration.resultBytes + body.count <= Exploration.maxKeptBytes {
                        exploration.results[item.key] = FetchResult(
                            requestedURL: url, finalURL: url, status: page.httpStatus ?? 200, contentType: "text/html; charset=utf-8",
                            etag: page.etag, lastModified: page.lastModified, body: body, text: stored, charset: "utf-8", notModified: false,
                            redirects: [], fetcher: page.fetcher ?? "http", duration: .zero)
                        exploration.resultBytes += body.count
                    }
                case .notModified(let result, let stored):
                    text = stored
                    finalURL = result.finalURL
                    record = CrawlPageRecord(url: item.key, status: result.status, etag: result.etag, lastModified: result.lastModified,
                                             fetcher: result.fetcher, bodyHash: previous[item.key]?.bodyHash, links: 0, newLinks: 0, depth: item.depth)
                    await tracker.update { $0.listingPagesNotModified += 1 }
                case .fetched(let result):
                    text = result.text
                    finalURL = result.finalURL
                    record = CrawlPageRecord(url: item.key, status: result.status, etag: result.etag, lastModified: result.lastModified,
                                             fetcher: result.fetcher, bodyHash: nil, links: 0, newLinks: 0, depth: item.depth)
                    if exploration.resultBytes + result.body.count <= Exploration.maxKeptBytes {
                        exploration.results[item.key] = result
                        exploration.resultBytes += result.body.count
                    }
                    await tracker.update { $0.bytes += result.body.count }
                }
                // A link that redirects ("/talks" → "/talks/") stands for the page it lands on.
                let key = URLNormalizer.normalized(finalURL.absoluteString) ?? item.key
                if key != item.key {
                    exploration.redirected.insert(item.key)
                    exploration.redirectedFrom[key, default: []].append(item.key)
                    if frontier.markSeen(finalURL) { exploration.known.append(key) }
                    if let result = exploration.results.removeValue(forKey: item.key) { exploration.results[key] = result }
                    record?.url = key
                }
                // The same content under another URL: a pagination trap, or an alias.
                guard seenContent.insert(PageBodyStore.hash(Data(text.utf8))).inserted,
                      let document = try? HTMLDocument(html: text, url: finalURL) else { continue }
                if item.depth == 0 { aliases = PageSummarizer.aliasHosts(document, pageURL: finalURL) }
                let (summary, links) = summarizer.summarize(document, url: finalURL, depth: item.depth, aliases: aliases)
                var summaryForItem = summary
                summaryForItem.url = key
                exploration.summaries.append(summaryForItem)
                exploration.feeds.append(contentsOf: ListingAnalyzer.feeds(document, pageURL: finalURL))
                var fresh = 0
                for link in links where !frontier.knows(URLNormalizer.normalized(link.url.absoluteString) ?? "") {
                    exploration.known.append(URLNormalizer.normalized(link.url.absoluteString) ?? link.url.absoluteString)
                    fresh += 1
                }
                // A "next page" that brings nothing new but another "next page", twice: a
                // pagination trap; its next links are not followed.
                if item.tier == 0 && item.depth > 0 {
                    let freshBesideNext = links.filter { !$0.isNextPage && !frontier.knows(URLNormalizer.normalized($0.url.absoluteString) ?? "") }.count
                    chainRepeats = freshBesideNext == 0 ? chainRepeats + 1 : 0
                }
                frontier.add(links: chainRepeats >= 2 ? links.filter { !$0.isNextPage } : links, from: item)
                exploration.contentLinks[key] = links.filter { !$0.inChrome }.compactMap { URLNormalizer.normalized($0.url.absoluteString) }
                for link in links where link.inChrome {
                    if let key = URLNormalizer.normalized(link.url.absoluteString) { exploration.navigationLinks[key, default: 0] += 1 }
                }
                if var record {
                    record.links = links.count
                    record.newLinks = fresh
                    exploration.pages[key] = record
                    readThisBatch.append((record, text))
                }
                if incremental {
                    let newEvents = links.filter { link in
                        let key = URLNormalizer.normalized(link.url.absoluteString) ?? ""
                        return eventShapes.contains(URLShape.of(link.url)) && storedEvents[key] == nil
                    }
                    unchangedStreak = newEvents.isEmpty ? unchangedStreak + 1 : 0
                    if unchangedStreak >= options.stopAfterUnchangedPages {
                        exploration.stoppedBecause = "\(unchangedStreak) listing pages in a row with nothing new"
                        break exploring
                    }
                }
            }
            try await savePages(readThisBatch, sourceID: sourceID, bodies: bodies)
            await report("discovery: \(read) pages read, \(frontier.queued) queued")
        }
        exploration.known.removeAll { exploration.redirected.contains($0) }
        if exploration.stoppedBecause == nil {
            exploration.stoppedBecause = frontier.isEmpty ? "every linked page read" : "read \(budget) pages (the discovery budget, --max-pages)"
        }
        return exploration
    }

    /// Reads one page: an event page stored earlier, or a page read by an interrupted run,
    /// comes from storage; anything else is fetched, conditionally when an earlier run saved
    /// its validators.
    func read(_ url: URL, key: String, stored: String?, previous: CrawlPage?, resumeSince: Date?, fetcher: any Fetcher, options: CrawlOptions,
              bodies: PageBodyStore) async -> ReadOutcome {
        if let stored, let data = try? await bodies.load(stored) {
            return .stored(url: url, text: String(decoding: data, as: UTF8.self))
        }
        if let resumeSince, let previous, let fetchedAt = previous.fetchedAt, fetchedAt >= resumeSince,
           let hash = previous.bodyHash, let data = try? await bodies.load(hash) {
            return .resumed(url: url, text: String(decoding: data, as: UTF8.self), page: previous)
        }
        if !options.ignoreRobots, !(await robots.robots(for: url)).allows(url) { return .disallowed }
        var attempts = 0
        do {
            let request = FetchRequest(url: url, etag: previous?.etag, lastModified: previous?.lastModified)
            let result: FetchResult
            do {
                attempts += 1
                result = try await fetchPolitely(request, with: fetcher)
            } catch let error as FetchError where error.isTransient {
                // Once more after a pause (the host's Retry-After, when it sent one).
                try await Task.sleep(for: .seconds(min(10, error.retryAfter ?? 1)))
                attempts += 1
                result = try await fetchPolitely(request, with: fetcher)
            }
            if result.notModified, let hash = previous?.bodyHash, let data = try? await bodies.load(hash) {
                return .notModified(result, storedText: String(decoding: data, as: UTF8.self))
            }
            if result.notModified {
                return .fetched(try await fetchPolitely(FetchRequest(url: url), with: fetcher))
            }
            return .fetched(result)
        } catch {
            return .failed("\(error)", attempts: max(1, attempts), error: error as? FetchError)
        }
    }

    /// Body hashes of the source's event pages already fetched, by URL. Discovery reads
    /// these from storage; a refresh re-fetches them in the event stage, conditionally.
    func storedEventBodies(sourceID: Int) async throws -> [String: String] {
        let events = try await Event.query(on: storage.database).filter(\.$source.$id == sourceID)
            .filter(\.$fetchState == ItemState.fetched.rawValue).field(\.$url).field(\.$bodyHash).all()
        var result: [String: String] = [:]
        for event in events {
            if let hash = event.bodyHash { result[event.url] = hash }
        }
        return result
    }
}

extension Crawler.ReadOutcome {
    var isDisallowed: Bool {
        if case .disallowed = self { return true }
        return false
    }
}

extension Crawler {
    /// Saves pages discovery read (body, validators, link counts), a batch at a time, so a
    /// run killed while reading loses at most the pages in flight.
    func savePages(_ pages: [(CrawlPageRecord, String)], sourceID: Int, bodies: PageBodyStore) async throws {
        guard !pages.isEmpty else { return }
        var stored: [String: String] = [:]
        for (record, text) in pages where record.bodyHash == nil {
            stored[record.url] = try await bodies.store(Data(text.utf8))
        }
        let hashes = stored
        let urls = pages.map(\.0.url)
        try await storage.database.writeTransaction { tx in
            let existing = try await CrawlPage.query(on: tx).filter(\.$source.$id == sourceID).filter(\.$url ~~ urls).all()
            let byURL = Dictionary(existing.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
            for (record, _) in pages {
                let page = byURL[record.url] ?? CrawlPage(sourceID: sourceID, url: record.url, kind: .listing, pageNumber: record.depth + 1)
                page.bodyHash = record.bodyHash ?? hashes[record.url]
                page.contentHash = page.bodyHash
                page.state = ItemState.fetched.rawValue
                page.httpStatus = record.status
                page.etag = record.etag
                page.lastModified = record.lastModified
                page.fetcher = record.fetcher
                page.fetchedAt = Date()
                page.attempts += 1
                page.lastError = nil
                page.linksFound = record.links
                page.newLinks = record.newLinks
                try await page.save(on: tx)
            }
        }
    }
}
