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

public struct DatabaseStats: Sendable, Codable, Equatable {
    public var counts: DatabaseCounts
    public var eventsPerMonth: [MonthCount]
    public var speakersAddedPerMonth: [MonthCount]
    public var topAffiliations: [FacetValue]
    public var roles: [FacetValue]

    enum CodingKeys: String, CodingKey {
        case counts
        case eventsPerMonth = "events_per_month"
        case speakersAddedPerMonth = "speakers_added_per_month"
        case topAffiliations = "top_affiliations"
        case roles
    }
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

    /// Everything the stats page shows. `months` bounds the monthly series (latest months).
    public func stats(months: Int = 24) async throws -> DatabaseStats {
        let createdMonth: SQLQueryString = switch engine {
        case .sqlite: "strftime('%Y-%m', created_at, 'unixepoch')"
        case .postgres: "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')"
        }
        async let counts = counts()
        async let eventsPerMonth = sql.raw("""
            SELECT substr(starts_on, 1, 7) AS month, COUNT(*) AS count FROM events
            WHERE starts_on IS NOT NULL GROUP BY substr(starts_on, 1, 7) ORDER BY month DESC LIMIT \(literal: months)
            """).all(decoding: MonthCount.self)
        async let speakersPerMonth = sql.raw("""
            SELECT \(createdMonth) AS month, COUNT(*) AS count FROM speakers
            WHERE created_at IS NOT NULL GROUP BY \(createdMonth) ORDER BY month DESC LIMIT \(literal: months)
            """).all(decoding: MonthCount.self)
        async let topAffiliations = sql.raw("""
            SELECT affiliation AS value, COUNT(*) AS count FROM speakers WHERE affiliation IS NOT NULL
            GROUP BY affiliation ORDER BY count DESC, value LIMIT 10
            """).all(decoding: FacetValue.self)
        async let roles = sql.raw("""
            SELECT role AS value, COUNT(*) AS count FROM appearances GROUP BY role ORDER BY count DESC, value
            """).all(decoding: FacetValue.self)
        return try await DatabaseStats(counts: counts, eventsPerMonth: eventsPerMonth.reversed(),
                                       speakersAddedPerMonth: speakersPerMonth.reversed(),
                                       topAffiliations: topAffiliations, roles: roles)
    }
}
