import FluentKit
import SQLKit

/// Covering indexes for the facets of a broad search: a speaker's roles and the years of
/// their events are read from small index pages instead of the wide appearance and event
/// rows (an event row carries the page's main text).
struct AddFacetIndexes: AsyncMigration {
    var name: String { "014_AddFacetIndexes" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.create(index: "appearances_speaker_role_event").on(Appearance.schema)
            .column("speaker_id").column("role").column("event_id").run()
        try await sql.create(index: "events_id_starts_on").on(Event.schema).column("id").column("starts_on").run()
        // Fresh statistics, so the planner sees the new indexes as the cheaper path on a
        // database that already holds data (the same statement on both engines).
        try await sql.raw("ANALYZE").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.drop(index: "events_id_starts_on").run()
        try await sql.drop(index: "appearances_speaker_role_event").run()
    }
}
