import FluentKit
import Foundation
import SQLKit

public struct DatabaseCounts: Sendable, Codable, Equatable {
    public var speakers: Int
    public var events: Int
    public var appearances: Int
    public var sources: Int

    public init(speakers: Int, events: Int, appearances: Int, sources: Int) {
        self.speakers = speakers
        self.events = events
        self.appearances = appearances
        self.sources = sources
    }
}

/// A month ("2024-05") and a count, for the charts.
public struct MonthCount: Sendable, Codable, Equatable {
    public var month: String
    public var count: Int

    public init(month: String, count: Int) {
        self.month = month
        self.count = count
    }
}

/// What the statistics page is drawn from. The series hold every month that has data
/// (no limit): the page fills the gaps and picks the bin width.
public struct DatabaseStats: Sendable, Codable, Equatable {
    public var counts: DatabaseCounts
    /// Events by the month they start in ("2024-05"), ascending.
    public var eventsPerMonth: [MonthCount]
    /// Events without a start date (in no month).
    public var undatedEvents: Int
    /// Speakers by the month of their first dated appearance, ascending.
    public var firstAppearancesPerMonth: [MonthCount]
    /// Speakers with no dated appearance (in no month).
    public var speakersWithoutDatedAppearance: Int
    /// Speakers per affiliation as stored, most first (at most `affiliationLimit`): the
    /// page groups spellings of one organisation.
    public var affiliations: [FacetValue]
    public var roles: [FacetValue]

    enum CodingKeys: String, CodingKey {
        case counts
        case eventsPerMonth = "events_per_month"
        case undatedEvents = "undated_events"
        case firstAppearancesPerMonth = "first_appearances_per_month"
        case speakersWithoutDatedAppearance = "speakers_without_dated_appearance"
        case affiliations
        case roles
    }
}

/// A speaker and how often they appeared in a period, for the leaderboard.
public struct SpeakerTally: Sendable, Codable, Equatable {
    public var id: Int
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var appearances: Int
    public var events: Int
}

/// LLM spend summed from the recorded API calls (never estimated), by UTC day and month.
public struct SpendSummary: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var key: String
        public var calls: Int
        public var micros: Int
    }

    public var today = 0, month = 0, total = 0, calls = 0
    /// The last 30 days with calls, newest first ("2026-12-07").
    public var days: [Bucket] = []
    /// Every month with calls, newest first ("2026-12").
    public var months: [Bucket] = []

    public init() {}
}

public struct StatsQueries: Sendable {
    let sql: any SQLDatabase
    let engine: Engine

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
        self.engine = try sql.engine()
    }

    public func counts() async throws -> DatabaseCounts {
        let row = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM speakers) AS speakers,
                   (SELECT COUNT(*) FROM events) AS events,
                   (SELECT COUNT(*) FROM appearances) AS appearances,
                   (SELECT COUNT(*) FROM sources) AS sources
            """).first()
        guard let row else { return DatabaseCounts(speakers: 0, events: 0, appearances: 0, sources: 0) }
        return try row.decode(model: DatabaseCounts.self)
    }

    /// What every recorded paid call since `date` cost, in micro-dollars (all runs, searches
    /// and commands): what the rolling daily cap counts.
    public func spentMicros(since date: Date) async throws -> Int {
        try await sql.raw("SELECT CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) AS micros FROM api_calls WHERE created_at >= \(bind: date)")
            .first()?.decode(column: "micros", as: Int.self) ?? 0
    }

    /// What each run spent on LLM calls, in micro-dollars: the sum of its recorded calls
    /// (runs without calls are absent).
    /// The spend summary of the admin overview, summed in SQL.
    public func spendSummary(now: Date = Date()) async throws -> SpendSummary {
        func key(_ format: (sqlite: String, postgres: String)) -> String {
            engine == .sqlite ? "strftime('\(format.sqlite)', created_at, 'unixepoch')" : "to_char(created_at AT TIME ZONE 'UTC', '\(format.postgres)')"
        }
        func buckets(_ keyExpression: String, since: Date?) async throws -> [SpendSummary.Bucket] {
            let window: SQLQueryString = since.map { "AND created_at >= \(bind: $0)" } ?? ""
            return try await sql.raw("""
                SELECT \(unsafeRaw: keyExpression) AS k, COUNT(*) AS calls, CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) AS micros
                FROM api_calls WHERE created_at IS NOT NULL \(window) GROUP BY k ORDER BY k DESC
                """).all().map { row in
                SpendSummary.Bucket(key: try row.decode(column: "k", as: String.self), calls: try row.decode(column: "calls", as: Int.self),
                                    micros: try row.decode(column: "micros", as: Int.self))
            }
        }
        var summary = SpendSummary()
        if let row = try await sql.raw("SELECT COUNT(*) AS calls, CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) AS micros FROM api_calls").first() {
            summary.calls = try row.decode(column: "calls", as: Int.self)
            summary.total = try row.decode(column: "micros", as: Int.self)
        }
        summary.days = try await buckets(key((sqlite: "%Y-%m-%d", postgres: "YYYY-MM-DD")), since: now.addingTimeInterval(-30 * 86_400))
        summary.months = try await buckets(key((sqlite: "%Y-%m", postgres: "YYYY-MM")), since: nil)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        let dayKey = String(format: "%04d-%02d-%02d", today.year ?? 0, today.month ?? 0, today.day ?? 0)
        summary.today = summary.days.first { $0.key == dayKey }?.micros ?? 0
        summary.month = summary.months.first { $0.key == String(dayKey.prefix(7)) }?.micros ?? 0
        return summary
    }

    public func spentMicros(runIDs: [Int]) async throws -> [Int: Int] {
        var spent: [Int: Int] = [:]
        for chunk in runIDs.chunked(into: 1_000) {
            for row in try await sql.raw("""
                SELECT run_id, CAST(SUM(cost_micros) AS BIGINT) AS micros FROM api_calls WHERE run_id IN (\(binds: chunk)) GROUP BY run_id
                """).all() {
                spent[try row.decode(column: "run_id", as: Int.self)] = try row.decode(column: "micros", as: Int.self)
            }
        }
        return spent
    }

    /// Distinct affiliation spellings read for grouping, most common first.
    public static let affiliationLimit = 5_000

    /// Everything the stats page shows: every dated event and every speaker is counted.
    public func stats() async throws -> DatabaseStats {
        async let counts = counts()
        async let eventsPerMonth = sql.raw("""
            SELECT substr(starts_on, 1, 7) AS month, COUNT(*) AS count FROM events
            WHERE starts_on IS NOT NULL GROUP BY substr(starts_on, 1, 7) ORDER BY month
            """).all(decoding: MonthCount.self)
        async let undated = sql.raw("SELECT COUNT(*) AS n FROM events WHERE starts_on IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        async let firstAppearances = sql.raw("""
            SELECT first.month AS month, COUNT(*) AS count FROM (
                SELECT a.speaker_id, MIN(substr(e.starts_on, 1, 7)) AS month FROM appearances a JOIN events e ON e.id = a.event_id
                WHERE e.starts_on IS NOT NULL GROUP BY a.speaker_id
            ) first GROUP BY first.month ORDER BY month
            """).all(decoding: MonthCount.self)
        async let affiliations = sql.raw("""
            SELECT affiliation AS value, COUNT(*) AS count FROM speakers WHERE affiliation IS NOT NULL
            GROUP BY affiliation ORDER BY count DESC, value LIMIT \(literal: Self.affiliationLimit)
            """).all(decoding: FacetValue.self)
        async let roles = sql.raw("""
            SELECT role AS value, COUNT(*) AS count FROM appearances GROUP BY role ORDER BY count DESC, value
            """).all(decoding: FacetValue.self)
        let totals = try await counts
        let firsts = try await firstAppearances
        return try await DatabaseStats(counts: totals, eventsPerMonth: eventsPerMonth, undatedEvents: undated,
                                       firstAppearancesPerMonth: firsts,
                                       speakersWithoutDatedAppearance: max(0, totals.speakers - firsts.reduce(0) { $0 + $1.count }),
                                       affiliations: affiliations, roles: roles)
    }

    /// The speakers who appeared most, at events starting on or after `since` ("YYYY-MM-DD";
    /// nil: all time, undated events included), most first, then by name.
    public func topSpeakers(since: String?, limit: Int) async throws -> [SpeakerTally] {
        let period: SQLQueryString = since.map { "WHERE e.starts_on >= \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT s.id, s.name, s.title, s.affiliation, COUNT(*) AS appearances, COUNT(DISTINCT a.event_id) AS events
            FROM appearances a JOIN events e ON e.id = a.event_id JOIN speakers s ON s.id = a.speaker_id
            \(period)
            GROUP BY s.id, s.name, s.title, s.affiliation
            ORDER BY events DESC, appearances DESC, s.name, s.id LIMIT \(literal: limit)
            """).all(decoding: SpeakerTally.self)
    }
}
