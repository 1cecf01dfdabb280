import FluentKit

/// The host and process id that records each pipeline run, so a run whose process is gone
/// (killed, crashed) is marked interrupted instead of showing "running" for ever.
struct AddRunProcess: AsyncMigration {
    var name: String { "026_AddRunProcess" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(PipelineRun.schema).field("host", .string).update()
        try await database.schema(PipelineRun.schema).field("pid", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PipelineRun.schema).deleteField("pid").update()
        try await database.schema(PipelineRun.schema).deleteField("host").update()
    }
}
