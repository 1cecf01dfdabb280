import FluentKit
import SQLKit

struct CreateEvents: AsyncMigration {
    var name: String { "002_CreateEvents" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Event.schema)
            .field("id", .int, .identifier(auto: true))
            .field("source_id", .int, .references(Source.schema, "id", onDelete: .setNull))
            .field("url", .string, .required)
            .field("title", .string)
            .field("starts_on", .string)
            .field("start_time", .string)
            .field("ends_on", .string)
            .field("end_time", .string)
            .field("starts_at", .datetime)
            .field("time_zone", .string)
            .field("date_text", .string)
            .field("location", .string)
            .field("venue", .string)
            .field("language", .string)
            .field("main_text", .string)
            .field("content_hash", .string)
            .field("fetch_state", .string, .required, .sql(.default("queued")))
            .field("fetch_attempts", .int, .required, .sql(.default(0)))
            .field("fetch_error", .string)
            .field("fetched_at", .datetime)
            .field("extract_state", .string, .required, .sql(.default("queued")))
            .field("extract_attempts", .int, .required, .sql(.default(0)))
            .field("extract_error", .string)
            .field("extracted_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "url")
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "events_starts_on").on(Event.schema).column("starts_on").run()
        try await sql.create(index: "events_source_id").on(Event.schema).column("source_id").run()
        try await sql.create(index: "events_fetch_state").on(Event.schema).column("fetch_state").run()
        try await sql.create(index: "events_extract_state").on(Event.schema).column("extract_state").run()
        try await sql.create(index: "events_created_at").on(Event.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Event.schema).delete()
    }
}
