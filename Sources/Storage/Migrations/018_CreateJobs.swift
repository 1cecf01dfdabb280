import FluentKit
import SQLKit

/// The durable job queue and the scheduler's claimed slots.
///
/// Times in these two tables are whole milliseconds since 1970 (UTC) in BIGINT columns,
/// so the claim and lease comparisons are the same plain integer SQL on both engines.
struct CreateJobs: AsyncMigration {
    var name: String { "018_CreateJobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            // queued, running, succeeded, failed
            .field("status", .string, .required)
            .field("trigger", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_after_ms", .int64, .required)
            .field("lease_owner", .string)
            .field("lease_expires_ms", .int64)
            .field("last_error", .string)
            // Who ran it last (kept after the lease is released), and the run it recorded.
            .field("worked_by", .string)
            .field("run_id", .int, .references(PipelineRun.schema, "id", onDelete: .setNull))
            // At most one queued or running job per key (one pipeline per source at a time).
            .field("dedupe_key", .string)
            .field("created_ms", .int64, .required)
            .field("started_ms", .int64)
            .field("finished_ms", .int64)
            .create()
        let sql = try database.sqlDatabase()
        try await sql.raw("CREATE INDEX jobs_claim ON jobs (status, run_after_ms, id)").run()
        try await sql.raw("CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running')").run()

        try await database.schema("schedule_slots")
            .field("id", .int, .identifier(auto: true))
            .field("task", .string, .required)
            .field("slot_ms", .int64, .required)
            // false for the baseline recorded the first time a schedule is seen.
            .field("fired", .bool, .required)
            .field("owner", .string, .required)
            .field("claimed_ms", .int64, .required)
            .unique(on: "task", "slot_ms")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("schedule_slots").delete()
        try await database.schema("jobs").delete()
    }
}
