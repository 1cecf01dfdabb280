import FluentKit
import SQLKit

/// Keeps PostgreSQL identity sequences ahead of explicitly inserted ids (imports and
/// database copies insert rows with their original ids). SQLite needs nothing.
public enum IdentitySequences {
    public static let tables = ["sources", "events", "speakers", "appearances", "affiliation_aliases", "search_log",
                                "field_provenance", "pipeline_runs", "api_calls", "crawl_pages",
                                "speaker_merges", "identity_candidates", "jobs", "schedule_slots", "users",
                                "speaker_attributes", "corrections"]

    public static func resync(on db: any Database, tables: [String] = IdentitySequences.tables) async throws {
        let sql = try db.sqlDatabase()
        guard try sql.engine() == .postgres else { return }
        for table in tables {
            try await sql.raw("""
                SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'),
                              GREATEST((SELECT COALESCE(MAX(id), 0) FROM \(ident: table)), 1),
                              (SELECT COUNT(*) > 0 FROM \(ident: table)))
                """).run()
        }
    }
}
