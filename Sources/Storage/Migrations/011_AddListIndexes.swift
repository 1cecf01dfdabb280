import FluentKit
import SQLKit

/// Indexes that let the events list be read in date order without sorting every row.
struct AddListIndexes: AsyncMigration {
    var name: String { "011_AddListIndexes" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.create(index: "events_starts_on_id").on(Event.schema).column("starts_on").column("id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.drop(index: "events_starts_on_id").run()
    }
}
