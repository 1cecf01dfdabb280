import FluentKit
import SQLKit

struct CreateFieldProvenance: AsyncMigration {
    var name: String { "006_CreateFieldProvenance" }

    func prepare(on database: any Database) async throws {
        try await database.schema(FieldProvenance.schema)
            .field("id", .int, .identifier(auto: true))
            .field("speaker_id", .int, .required, .references(Speaker.schema, "id", onDelete: .cascade))
            .field("field", .string, .required)
            .field("value", .string)
            .field("origin", .string, .required)
            .field("event_id", .int, .references(Event.schema, "id", onDelete: .setNull))
            .field("extractor", .string)
            .field("confidence", .double, .required)
            .field("created_at", .datetime)
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "field_provenance_speaker").on(FieldProvenance.schema).column("speaker_id").column("field").run()
        try await sql.create(index: "field_provenance_event").on(FieldProvenance.schema).column("event_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FieldProvenance.schema).delete()
    }
}
