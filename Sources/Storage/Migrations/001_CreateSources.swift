import FluentKit

struct CreateSources: AsyncMigration {
    var name: String { "001_CreateSources" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Source.schema)
            .field("id", .int, .identifier(auto: true))
            .field("url", .string, .required)
            .field("name", .string)
            .field("event_url_pattern", .string)
            .field("fetcher", .string, .required, .sql(.default("auto")))
            .field("max_pages", .int)
            .field("paused", .bool, .required, .sql(.default(false)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "url")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Source.schema).delete()
    }
}
