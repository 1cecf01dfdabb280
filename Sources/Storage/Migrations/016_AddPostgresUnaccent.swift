import FluentKit
import SQLKit

/// PostgreSQL: accent-insensitive search like SQLite's `remove_diacritics`. The search
/// documents are built from `unaccent()`ed text (the query terms are already folded),
/// so existing documents are rebuilt. Nothing to do on SQLite.
struct AddPostgresUnaccent: AsyncMigration {
    var name: String { "016_AddPostgresUnaccent" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        guard try sql.engine() == .postgres else { return }
        try await sql.raw("CREATE EXTENSION IF NOT EXISTS unaccent").run()
        try await SpeakerSearchIndex.refresh(speakerIDs: nil, on: database, withTags: false)
    }

    func revert(on database: any Database) async throws {}
}
