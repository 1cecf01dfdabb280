import FluentKit
import SQLKit

struct CreateSpeakers: AsyncMigration {
    var name: String { "003_CreateSpeakers" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Speaker.schema)
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("title", .string)
            .field("affiliation", .string)
            .field("bio", .string)
            .field("photo_url", .string)
            .field("location", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "speakers_name_key").on(Speaker.schema).column("name_key").run()
        try await sql.create(index: "speakers_affiliation").on(Speaker.schema).column("affiliation").run()
        try await sql.create(index: "speakers_location").on(Speaker.schema).column("location").run()
        try await sql.create(index: "speakers_created_at").on(Speaker.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Speaker.schema).delete()
    }
}
