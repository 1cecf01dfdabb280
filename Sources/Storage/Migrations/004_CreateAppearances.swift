import FluentKit
import SQLKit

struct CreateAppearances: AsyncMigration {
    var name: String { "004_CreateAppearances" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Appearance.schema)
            .field("id", .int, .identifier(auto: true))
            .field("speaker_id", .int, .required, .references(Speaker.schema, "id", onDelete: .cascade))
            .field("event_id", .int, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("role", .string, .required, .sql(.default("speaker")))
            .field("raw", .string)
            .field("extractor", .string)
            .field("confidence", .double)
            .field("created_at", .datetime)
            .unique(on: "speaker_id", "event_id")
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "appearances_event_id").on(Appearance.schema).column("event_id").run()
        try await sql.create(index: "appearances_role_speaker").on(Appearance.schema).column("role").column("speaker_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Appearance.schema).delete()
    }
}
