import FluentKit
import SQLKit

/// What discovery decided about a source's pages and why (JSON; see `DiscoveryPlan` in
/// Crawling): shown by `--explain-discovery` and read by the next run.
struct AddSourceDiscoveryPlan: AsyncMigration {
    var name: String { "024_AddSourceDiscoveryPlan" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Source.schema).field("discovery_plan", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Source.schema).deleteField("discovery_plan").update()
    }
}
