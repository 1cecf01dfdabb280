import FluentKit
import SQLKit

/// Suggested edits to speaker profiles: anyone allowed to view may suggest one, an editor
/// approves or rejects it. An approved value is stored with provenance `user` and wins
/// over every extracted or enriched value. Times are ms since 1970 (UTC).
struct CreateCorrections: AsyncMigration {
    var name: String { "022_CreateCorrections" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        let id = try sql.engine() == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY"
        try await sql.raw("""
            CREATE TABLE corrections (
                id \(unsafeRaw: id),
                speaker_id BIGINT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
                field TEXT NOT NULL,
                value TEXT NOT NULL,
                previous TEXT,
                note TEXT,
                status TEXT NOT NULL DEFAULT 'pending',
                suggested_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
                suggested_by_name TEXT,
                reviewed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
                review_note TEXT,
                created_ms BIGINT NOT NULL,
                reviewed_ms BIGINT
            )
            """).run()
        try await sql.raw("CREATE INDEX corrections_status ON corrections (status, created_ms)").run()
        try await sql.raw("CREATE INDEX corrections_speaker ON corrections (speaker_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE corrections").run()
    }
}
