import FluentKit
import SQLKit

/// Search analytics: what people searched for, how many results they got and how long it
/// took. Nothing about who searched (no IP address, no user agent, no session).
struct CreateSearchLog: AsyncMigration {
    var name: String { "017_CreateSearchLog" }

    func prepare(on database: any Database) async throws {
        try await database.schema("search_log")
            .field("id", .int, .identifier(auto: true))
            .field("query", .string, .required)
            .field("filters", .string)
            .field("results", .int, .required)
            .field("latency_ms", .double, .required)
            .field("format", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sqlDatabase().create(index: "search_log_created").on("search_log").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_log").delete()
    }
}
