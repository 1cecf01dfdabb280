import FluentKit
import SQLKit

/// Speakers removed for good (a re-extraction that left a speaker with no appearance and
/// nothing a user gave), so their shared links answer 410 Gone rather than 404. Merged
/// speakers need no row here: `speaker_merges` leads their links to the kept speaker.
/// Times are ms since 1970 (UTC).
struct CreateSpeakerTombstones: AsyncMigration {
    var name: String { "028_CreateSpeakerTombstones" }

    func prepare(on database: any Database) async throws {
        try await database.sqlDatabase().raw("""
            CREATE TABLE speaker_tombstones (
                speaker_id BIGINT PRIMARY KEY,
                reason TEXT NOT NULL,
                removed_ms BIGINT NOT NULL
            )
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE speaker_tombstones").run()
    }
}
