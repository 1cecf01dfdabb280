import FluentKit
import SQLKit

/// The full-text index over speakers. Engine-specific by necessity: SQLite FTS5 or a
/// PostgreSQL tsvector column with a GIN index. `SpeakerSearchIndex` is its only user.
struct CreateSpeakerSearchIndex: AsyncMigration {
    var name: String { "009_CreateSpeakerSearchIndex" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        switch try database.engine() {
        case .sqlite:
            try await sql.raw("""
                CREATE VIRTUAL TABLE speaker_fts USING fts5(
                    name, title, affiliation, bio, tags, event_titles,
                    tokenize = 'porter unicode61 remove_diacritics 2',
                    prefix = '2 3'
                )
                """).run()
        case .postgres:
            try await sql.raw("""
                CREATE TABLE speaker_search (
                    speaker_id BIGINT PRIMARY KEY REFERENCES speakers(id) ON DELETE CASCADE,
                    document TSVECTOR NOT NULL
                )
                """).run()
            try await sql.raw("CREATE INDEX speaker_search_document ON speaker_search USING GIN (document)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        switch try database.engine() {
        case .sqlite: try await sql.raw("DROP TABLE speaker_fts").run()
        case .postgres: try await sql.raw("DROP TABLE speaker_search").run()
        }
    }
}
