import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// Search analytics (`search_log`): every search of the speakers list, its result count
/// and latency — and nothing about who searched.
public struct SearchLog: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    /// One search as logged.
    public struct Entry: Sendable {
        public var query: String
        public var filters: String?
        public var results: Int
        public var latency: Duration
        public var format: String
        public var date: Date

        public init(query: String, filters: String?, results: Int, latency: Duration, format: String, date: Date = Date()) {
            self.query = query
            self.filters = filters
            self.results = results
            self.latency = latency
            self.format = format
            self.date = date
        }
    }

    /// Records searches in one transaction. Queries are cut to 200 characters.
    public func record(_ entries: [Entry]) async throws {
        guard !entries.isEmpty else { return }
        try await db.writeTransaction { tx in
            for chunk in entries.chunked(into: 100) {
                let rows: [SQLQueryString] = chunk.map { entry in
                    "(\(bind: String(entry.query.replacingOccurrences(of: "\u{0}", with: "").prefix(200))), \(bind: entry.filters?.replacingOccurrences(of: "\u{0}", with: "")), \(bind: entry.results), \(bind: entry.latency.inMilliseconds), \(bind: entry.format), \(bind: entry.date))"
                }
                try await tx.sqlDatabase().raw("""
                    INSERT INTO search_log (query, filters, results, latency_ms, format, created_at) VALUES \(rows.joined(separator: ", "))
                    """).run()
            }
        }
    }

    /// Deletes searches recorded before `date` (`SEARCH_LOG_RETENTION_DAYS`, applied by the
    /// worker); returns how many.
    @discardableResult
    public func prune(before date: Date) async throws -> Int {
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("DELETE FROM search_log WHERE created_at < \(bind: date) RETURNING id").all().count
        }
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var searches: Int
        public var zeroResults: Int
        public var p50Milliseconds: Double?
        public var p95Milliseconds: Double?
        public var topQueries: [FacetValue]
        public var topZeroResultQueries: [FacetValue]

        enum CodingKeys: String, CodingKey {
            case searches
            case zeroResults = "zero_results"
            case p50Milliseconds = "p50_ms"
            case p95Milliseconds = "p95_ms"
            case topQueries = "top_queries"
            case topZeroResultQueries = "top_zero_result_queries"
        }
    }

    /// Searches since `since`: counts, latency percentiles, the commonest queries and the
    /// commonest queries that found nobody (what the database is missing).
    public func summary(since: Date, limit: Int = 10) async throws -> Summary {
        let sql = try db.sqlDatabase()
        let latencies = try await sql.raw("SELECT latency_ms FROM search_log WHERE created_at >= \(bind: since) ORDER BY latency_ms")
            .all().map { try $0.decode(column: "latency_ms", as: Double.self) }
        func percentile(_ p: Double) -> Double? {
            latencies.isEmpty ? nil : latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
        }
        func top(_ zeroOnly: Bool) async throws -> [FacetValue] {
            let zero: SQLQueryString = zeroOnly ? "AND results = 0" : ""
            return try await sql.raw("""
                SELECT lower(query) AS value, COUNT(*) AS count FROM search_log WHERE created_at >= \(bind: since) \(zero)
                GROUP BY lower(query) ORDER BY count DESC, value LIMIT \(literal: limit)
                """).all(decoding: FacetValue.self)
        }
        let zero = try await sql.raw("SELECT COUNT(*) AS n FROM search_log WHERE created_at >= \(bind: since) AND results = 0")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return Summary(searches: latencies.count, zeroResults: zero, p50Milliseconds: percentile(0.5), p95Milliseconds: percentile(0.95),
                       topQueries: try await top(false), topZeroResultQueries: try await top(true))
    }
}
