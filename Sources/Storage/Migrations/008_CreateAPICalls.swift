import FluentKit
import SQLKit

struct CreateAPICalls: AsyncMigration {
    var name: String { "008_CreateAPICalls" }

    func prepare(on database: any Database) async throws {
        try await database.schema(APICall.schema)
            .field("id", .int, .identifier(auto: true))
            .field("run_id", .int, .references(PipelineRun.schema, "id", onDelete: .setNull))
            .field("event_id", .int, .references(Event.schema, "id", onDelete: .setNull))
            .field("provider", .string, .required)
            .field("model", .string, .required)
            .field("purpose", .string, .required)
            .field("input_tokens", .int, .required)
            .field("output_tokens", .int, .required)
            .field("cost_micros", .int, .required)
            .field("price_version", .string, .required)
            .field("latency_ms", .int, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "api_calls_run").on(APICall.schema).column("run_id").run()
        try await sql.create(index: "api_calls_event").on(APICall.schema).column("event_id").run()
        try await sql.create(index: "api_calls_created").on(APICall.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APICall.schema).delete()
    }
}
