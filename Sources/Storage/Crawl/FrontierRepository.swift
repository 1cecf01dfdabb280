import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// The crawl frontier in the database: which URLs exist, what state each is in, when to
/// retry. Every operation is one short transaction, so a crash loses nothing and a
/// re-run resumes where the last one stopped.
public struct FrontierRepository: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    /// How many times a URL is tried before it is marked failed.
    public static let maxAttempts = 3

    // MARK: listing, sitemap and feed pages

    public func page(sourceID: Int, url: String, kind: CrawlPage.Kind, pageNumber: Int) async throws -> CrawlPage {
        if let existing = try await CrawlPage.query(on: db).filter(\.$source.$id == sourceID).filter(\.$url == url).first() {
            return existing
        }
        let page = CrawlPage(sourceID: sourceID, url: url, kind: kind, pageNumber: pageNumber)
        try await db.writeTransaction { try await page.create(on: $0) }
        return page
    }

    public func save(_ page: CrawlPage) async throws {
        try await db.writeTransaction { try await page.save(on: $0) }
    }

    /// Saves an event's fetch state.
    public func save(_ event: Event) async throws {
        try await db.writeTransaction { try await event.save(on: $0) }
    }

    // MARK: event pages

    /// Adds event URLs not yet known; returns the ones that were new.
    @discardableResult
    public func enqueueEvents(_ urls: [String], sourceID: Int?, via: String) async throws -> [String] {
        guard !urls.isEmpty else { return [] }
        var seen = Set<String>()
        let unique = urls.filter { seen.insert($0).inserted }
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            var known = Set<String>()
            for chunk in unique.chunked(into: 400) {
                let rows = try await sql.raw("SELECT url FROM events WHERE url IN (\(binds: chunk))").all()
                for row in rows { known.insert(try row.decode(column: "url", as: String.self)) }
            }
            let fresh = unique.filter { !known.contains($0) }
            let now = Date()
            for chunk in fresh.chunked(into: 200) {
                let values = chunk.map { url -> SQLQueryString in
                    "(\(bind: url), \(bind: sourceID), 'queued', 0, 'queued', 0, \(bind: via), \(bind: now), \(bind: now))"
                }
                try await sql.raw("""
                    INSERT INTO events (url, source_id, fetch_state, fetch_attempts, extract_state, extract_attempts, discovered_via, created_at, updated_at)
                    VALUES \(values.joined(separator: ", ")) ON CONFLICT (url) DO NOTHING
                    """).run()
            }
            return fresh
        }
    }

    /// Events waiting to be fetched and due now, oldest first.
    public func dueEvents(sourceID: Int?, limit: Int, now: Date = Date()) async throws -> [Event] {
        var query = Event.query(on: db)
            .filter(\.$fetchState == ItemState.queued.rawValue)
            .group(.or) { $0.filter(\.$nextFetchAt == nil).filter(\.$nextFetchAt <= now) }
        if let sourceID { query = query.filter(\.$source.$id == sourceID) }
        return try await query.sort(\.$id).limit(limit).all()
    }

    /// Events of a source already fetched, for a refresh with conditional requests.
    public func fetchedEvents(sourceID: Int, limit: Int) async throws -> [Event] {
        try await Event.query(on: db).filter(\.$source.$id == sourceID)
            .filter(\.$fetchState == ItemState.fetched.rawValue).sort(\.$fetchedAt).limit(limit).all()
    }

    /// Records a failed attempt: queued again after a backoff, or failed for good.
    public func recordFailure(_ event: Event, error: String, retryAfter: TimeInterval?, permanent: Bool, now: Date = Date()) async throws {
        event.fetchAttempts += 1
        event.fetchError = String(error.prefix(500))
        if permanent || event.fetchAttempts >= Self.maxAttempts {
            event.fetchState = ItemState.failed.rawValue
            event.nextFetchAt = nil
        } else {
            event.fetchState = ItemState.queued.rawValue
            event.nextFetchAt = now.addingTimeInterval(retryAfter ?? Self.backoff(attempt: event.fetchAttempts))
        }
        try await save(event)
    }

    public func recordSkip(_ event: Event, reason: String) async throws {
        event.fetchState = ItemState.skipped.rawValue
        event.fetchError = String(reason.prefix(500))
        event.nextFetchAt = nil
        try await save(event)
    }

    /// Exponential backoff with jitter: ~30 s, 2 min, 8 min … capped at an hour.
    public static func backoff(attempt: Int) -> TimeInterval {
        let base = min(3600, 30 * pow(4, Double(max(0, attempt - 1))))
        return base * Double.random(in: 0.8...1.2)
    }

    /// Puts failed events back in the queue (`crawl --retry-failed`); returns how many.
    @discardableResult
    public func retryFailed(sourceID: Int?) async throws -> Int {
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            let scope: SQLQueryString = sourceID.map { "AND source_id = \(bind: $0)" } ?? ""
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM events WHERE fetch_state = 'failed' \(scope)").first()?.decode(column: "n", as: Int.self) ?? 0
            try await sql.raw("""
                UPDATE events SET fetch_state = 'queued', fetch_attempts = 0, next_fetch_at = NULL WHERE fetch_state = 'failed' \(scope)
                """).run()
            return count
        }
    }

    public struct Counts: Sendable, Codable, Equatable {
        public var queued = 0
        public var fetched = 0
        public var failed = 0
        public var skipped = 0
    }

    public func counts(sourceID: Int?) async throws -> Counts {
        let sql = try db.sqlDatabase()
        let scope: SQLQueryString = sourceID.map { "WHERE source_id = \(bind: $0)" } ?? ""
        var counts = Counts()
        for row in try await sql.raw("SELECT fetch_state, COUNT(*) AS n FROM events \(scope) GROUP BY fetch_state").all() {
            let n = try row.decode(column: "n", as: Int.self)
            switch try row.decode(column: "fetch_state", as: String.self) {
            case "queued": counts.queued = n
            case "fetched": counts.fetched = n
            case "failed": counts.failed = n
            case "skipped": counts.skipped = n
            default: break
            }
        }
        return counts
    }

    // MARK: hosts

    public func preferredFetcher(host: String) async throws -> String? {
        try await HostFetcher.find(host, on: db)?.fetcher
    }

    public func rememberFetcher(host: String, fetcher: String, reason: String) async throws {
        try await db.writeTransaction { tx in
            if let existing = try await HostFetcher.find(host, on: tx) {
                existing.fetcher = fetcher
                existing.reason = reason
                try await existing.save(on: tx)
            } else {
                try await HostFetcher(host: host, fetcher: fetcher, reason: reason).create(on: tx)
            }
        }
    }
}
