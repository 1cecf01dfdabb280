import FluentKit
import SQLKit

/// Failed sign-ins counted per (username, client address), so that failures from one
/// address lock that address out of the account and nobody else. The username is the
/// normalised one typed, whether or not such an account exists, so a lock says nothing
/// about which accounts exist. Times are ms since 1970 (UTC).
struct CreateLoginFailures: AsyncMigration {
    var name: String { "025_CreateLoginFailures" }

    func prepare(on database: any Database) async throws {
        try await database.sqlDatabase().raw("""
            CREATE TABLE login_failures (
                username TEXT NOT NULL,
                client TEXT NOT NULL,
                failures INTEGER NOT NULL,
                locked_until_ms BIGINT,
                updated_ms BIGINT NOT NULL,
                PRIMARY KEY (username, client)
            )
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE login_failures").run()
    }
}
