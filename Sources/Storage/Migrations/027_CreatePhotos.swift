import FluentKit
import SQLKit

/// Speakers' photos, fetched once by the pipeline from the page's photo link, checked and
/// served by the app itself (so a reader's browser never contacts the third-party site,
/// and the Content-Security-Policy allows images from the app only). A failed fetch is
/// recorded too, so it is not retried on every run. Times are ms since 1970 (UTC).
struct CreatePhotos: AsyncMigration {
    var name: String { "027_CreatePhotos" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        let blob = try sql.engine() == .postgres ? "BYTEA" : "BLOB"
        try await sql.raw("""
            CREATE TABLE photos (
                speaker_id BIGINT PRIMARY KEY REFERENCES speakers(id) ON DELETE CASCADE,
                source_url TEXT NOT NULL,
                content_type TEXT,
                bytes \(unsafeRaw: blob),
                error TEXT,
                fetched_ms BIGINT NOT NULL
            )
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE photos").run()
    }
}
