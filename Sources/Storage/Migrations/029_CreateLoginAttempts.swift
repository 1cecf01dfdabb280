import FluentKit
import SQLKit

/// Sign-in attempts per client address, for the per-address throttle
/// (`AccountStore.allowAttempt`). Kept in the database so that every web process shares
/// one count and a restart does not reset it. Rows older than the window are pruned as
/// attempts arrive. Times are ms since 1970 (UTC).
struct CreateLoginAttempts: AsyncMigration {
    var name: String { "029_CreateLoginAttempts" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.raw("""
            CREATE TABLE login_attempts (
                client TEXT NOT NULL,
                at_ms BIGINT NOT NULL
            )
            """).run()
        try await sql.raw("CREATE INDEX login_attempts_client ON login_attempts (client, at_ms)").run()
        try await sql.raw("CREATE INDEX login_attempts_at ON login_attempts (at_ms)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE login_attempts").run()
    }
}
