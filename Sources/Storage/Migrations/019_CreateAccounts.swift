import FluentKit
import SQLKit

/// People who may sign in, and their sessions. Passwords are stored only as bcrypt
/// hashes; sessions only as the SHA-256 of their token (a stolen database holds no usable
/// cookie). Times are milliseconds since 1970 (UTC), like the job tables.
struct CreateAccounts: AsyncMigration {
    var name: String { "019_CreateAccounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            // Lower-cased; unique.
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            // admin, editor or viewer
            .field("role", .string, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until_ms", .int64)
            .field("last_login_ms", .int64)
            .field("created_ms", .int64, .required)
            .unique(on: "username")
            .create()
        try await database.schema("sessions")
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_ms", .int64, .required)
            .field("expires_ms", .int64, .required)
            .create()
        try await database.sqlDatabase().create(index: "sessions_user").on("sessions").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
        try await database.schema("users").delete()
    }
}
