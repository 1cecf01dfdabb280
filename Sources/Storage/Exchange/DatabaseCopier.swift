import FluentKit
import Foundation
import SQLKit

/// Copies a whole SQLite database into PostgreSQL: every table, every row with its id,
/// in an order that satisfies the foreign keys. Rows already in the target (same primary
/// key) are left alone, so an interrupted copy can be run again. Afterwards the
/// PostgreSQL id sequences are moved past the copied ids, the search index is rebuilt,
/// and the row counts of both sides are compared.
public struct DatabaseCopier: Sendable {
    /// Tables in dependency order, with their primary key. The migrations table, the
    /// search index and the speakers' embeddings are not copied: the target runs its own
    /// migrations, builds its own index, and `speakerdb embed` computes the embeddings.
    public static let tables: [(name: String, key: String)] = [
        ("sources", "id"), ("page_bodies", "hash"), ("events", "id"), ("crawl_pages", "id"), ("host_fetchers", "host"),
        ("speakers", "id"), ("appearances", "id"), ("affiliation_aliases", "id"), ("field_provenance", "id"),
        ("pipeline_runs", "id"), ("api_calls", "id"), ("llm_cache", "key"), ("speaker_merges", "id"), ("identity_candidates", "id"),
        ("search_log", "id"), ("jobs", "id"), ("schedule_slots", "id"),
        ("users", "id"), ("sessions", "token_hash"), ("speaker_attributes", "id"), ("corrections", "id"),
        ("photos", "speaker_id"), ("speaker_tombstones", "speaker_id"),
    ]

    /// Tables deliberately left behind: the target's own migration record, the search
    /// index and facet values (rebuilt after the copy), embeddings (`speakerdb embed`),
    /// the sign-in throttle's short-lived failures and attempts, and SQLite's internal tables.
    public static let notCopied: Set<String> = [
        "_fluent_migrations", "speaker_search", "speaker_facet_values", "speaker_embeddings", "login_failures", "login_attempts",
        "sqlite_sequence", "sqlite_stat1",
    ]

    public struct TableCount: Sendable, Equatable {
        public var table: String
        public var source: Int
        public var target: Int
    }

    public struct Mismatch: Error, CustomStringConvertible {
        public var counts: [TableCount]
        public var description: String {
            "the copy is incomplete: " + counts.filter { $0.source != $0.target }
                .map { "\($0.table) has \($0.source) rows in the source and \($0.target) in the target" }.joined(separator: "; ")
        }
    }

    let source: any Database
    let target: any Database

    public init(from source: any Database, to target: any Database) {
        self.source = source
        self.target = target
    }

    /// Copies every table; returns the verified counts.
    @discardableResult
    public func run(progress: (@Sendable (String, Int) -> Void)? = nil) async throws -> [TableCount] {
        let from = try source.sqlDatabase(), to = try target.sqlDatabase()
        guard try from.engine() == .sqlite, try to.engine() == .postgres else {
            throw StorageError.unsupportedDialect("copying needs a SQLite source and a PostgreSQL target")
        }
        for (table, key) in Self.tables {
            let types = try await columnTypes(of: table, on: to)
            let columns = try await from.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                .map { try $0.decode(column: "name", as: String.self) }.filter { types[$0] != nil }
            guard !columns.isEmpty else { continue }
            var copied = 0
            var lastKey: String?
            // Paged by primary key, so memory stays flat on large tables.
            while true {
                let after: SQLQueryString = lastKey.map { "WHERE CAST(\(ident: key) AS TEXT) > \(bind: $0)" } ?? ""
                let rows = try await from.raw("""
                    SELECT \(unsafeRaw: columns.map { "\"\($0)\"" }.joined(separator: ", ")), CAST(\(ident: key) AS TEXT) AS copy_key
                    FROM \(ident: table) \(after) ORDER BY CAST(\(ident: key) AS TEXT) LIMIT 500
                    """).all()
                guard let last = rows.last else { break }
                lastKey = try last.decode(column: "copy_key", as: String.self)
                var values: [SQLQueryString] = []
                for row in rows {
                    let bound = try columns.map { try Self.value(row, column: $0, as: types[$0]!) }
                    values.append("(" + bound.joined(separator: ", ") + ")")
                }
                let insert: SQLQueryString = """
                    INSERT INTO \(ident: table) (\(unsafeRaw: columns.map { "\"\($0)\"" }.joined(separator: ", ")))
                    VALUES \(values.joined(separator: ", ")) ON CONFLICT DO NOTHING
                    """
                try await target.writeTransaction { tx in try await tx.sqlDatabase().raw(insert).run() }
                copied += rows.count
                progress?(table, copied)
            }
        }
        try await IdentitySequences.resync(on: target)
        // The copied counts plus the triggers' counting of every copied appearance.
        try await SpeakerAppearanceCounts.recount(on: to)
        try await SpeakerSearchIndex.refresh(speakerIDs: nil, on: target)
        var counts: [TableCount] = []
        for (table, _) in Self.tables {
            let n = { (row: (any SQLRow)?) throws -> Int in try row?.decode(column: "n", as: Int.self) ?? 0 }
            counts.append(TableCount(table: table,
                                     source: try n(try await from.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()),
                                     target: try n(try await to.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first())))
        }
        // The target may hold more (rows it had before); it must not hold fewer.
        guard counts.allSatisfy({ $0.target >= $0.source }) else { throw Mismatch(counts: counts) }
        return counts
    }

    /// PostgreSQL data types of a table's columns.
    func columnTypes(of table: String, on sql: any SQLDatabase) async throws -> [String: String] {
        var types: [String: String] = [:]
        for row in try await sql.raw("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)
            """).all() {
            types[try row.decode(column: "column_name", as: String.self)] = try row.decode(column: "data_type", as: String.self)
        }
        return types
    }

    /// A SQLite value bound as the PostgreSQL column's type: timestamps are stored by
    /// SQLite as seconds since 1970, booleans as 0/1, bodies as blobs.
    static func value(_ row: any SQLRow, column: String, as type: String) throws -> SQLQueryString {
        if try row.decodeNil(column: column) { return "NULL" }
        switch type {
        case "timestamp with time zone", "timestamp without time zone":
            return "\(bind: Date(timeIntervalSince1970: try row.decode(column: column, as: Double.self)))"
        case "boolean":
            return "\(bind: try row.decode(column: column, as: Int.self) != 0)"
        case "bigint", "integer", "smallint":
            return "\(bind: try row.decode(column: column, as: Int.self))"
        case "double precision", "real", "numeric":
            return "\(bind: try row.decode(column: column, as: Double.self))"
        case "bytea":
            return "\(bind: try row.decode(column: column, as: Data.self))"
        default:
            return "\(bind: try row.decode(column: column, as: String.self))"
        }
    }
}
