import FluentKit

struct CreatePipelineRuns: AsyncMigration {
    var name: String { "007_CreatePipelineRuns" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PipelineRun.schema)
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("trigger", .string, .required)
            .field("status", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("stats", .string)
            .field("error", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PipelineRun.schema).delete()
    }
}
