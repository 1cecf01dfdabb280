import FluentKit
import SQLKit

/// Enriched facts about speakers — expertise tags, where they are based, languages they
/// speak, and (only from an LLM, only where a source says so) gender — one row per value
/// and origin, with its confidence and evidence. Rows of different origins are all kept;
/// display and search prefer `user`, then `page`, then `bio`, then `event`, then `llm`.
/// `speakers.enriched_at` (ms since 1970, UTC) says when a speaker was last enriched, so
/// stale speakers are re-enriched oldest first.
struct CreateSpeakerAttributes: AsyncMigration {
    var name: String { "021_CreateSpeakerAttributes" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        let id = try sql.engine() == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY"
        try await sql.raw("""
            CREATE TABLE speaker_attributes (
                id \(unsafeRaw: id),
                speaker_id BIGINT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                label TEXT NOT NULL,
                origin TEXT NOT NULL,
                confidence DOUBLE PRECISION NOT NULL,
                event_id BIGINT REFERENCES events(id) ON DELETE SET NULL,
                evidence TEXT,
                created_at BIGINT NOT NULL,
                UNIQUE (speaker_id, kind, value, origin)
            )
            """).run()
        try await sql.raw("CREATE INDEX speaker_attributes_kind_value ON speaker_attributes (kind, value)").run()
        try await sql.raw("ALTER TABLE speakers ADD COLUMN enriched_at BIGINT").run()
        try await sql.raw("CREATE INDEX speakers_enriched_at ON speakers (enriched_at)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.raw("DROP TABLE speaker_attributes").run()
        try await sql.raw("DROP INDEX speakers_enriched_at").run()
        try await sql.raw("ALTER TABLE speakers DROP COLUMN enriched_at").run()
    }
}
