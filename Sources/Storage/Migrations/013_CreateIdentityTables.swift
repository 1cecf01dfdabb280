import FluentKit
import SQLKit

/// Merges with everything needed to undo them, and the review queue of candidate pairs.
struct CreateIdentityTables: AsyncMigration {
    var name: String { "013_CreateIdentityTables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SpeakerMerge.schema)
            .field("id", .int, .identifier(auto: true))
            .field("kept_speaker_id", .int, .references(Speaker.schema, "id", onDelete: .setNull))
            .field("merged_speaker_id", .int, .required)
            .field("snapshot", .string, .required)
            .field("probability", .double)
            .field("reasons", .string)
            .field("decided_by", .string, .required)
            .field("created_at", .datetime)
            .field("undone_at", .datetime)
            .create()
        try await database.schema(IdentityCandidate.schema)
            .field("id", .int, .identifier(auto: true))
            .field("speaker_a", .int, .required, .references(Speaker.schema, "id", onDelete: .cascade))
            .field("speaker_b", .int, .required, .references(Speaker.schema, "id", onDelete: .cascade))
            .field("probability", .double, .required)
            .field("reasons", .string, .required)
            .field("status", .string, .required, .sql(.default("pending")))
            .field("created_at", .datetime)
            .field("decided_at", .datetime)
            .unique(on: "speaker_a", "speaker_b")
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "identity_candidates_status").on(IdentityCandidate.schema).column("status").run()
        try await sql.create(index: "speaker_merges_kept").on(SpeakerMerge.schema).column("kept_speaker_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IdentityCandidate.schema).delete()
        try await database.schema(SpeakerMerge.schema).delete()
    }
}
