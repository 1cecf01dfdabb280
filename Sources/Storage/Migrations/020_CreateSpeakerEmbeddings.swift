import FluentKit
import SQLKit

/// Sentence embeddings of speakers for semantic search: one vector per speaker and model,
/// float32 little-endian in a blob, with the hash of the text it was computed from so a
/// changed profile (or a new model) is embedded again.
struct CreateSpeakerEmbeddings: AsyncMigration {
    var name: String { "020_CreateSpeakerEmbeddings" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        let blob = try sql.engine() == .postgres ? "BYTEA" : "BLOB"
        try await sql.raw("""
            CREATE TABLE speaker_embeddings (
                speaker_id BIGINT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
                model TEXT NOT NULL,
                text_hash TEXT NOT NULL,
                dimension INTEGER NOT NULL,
                vector \(unsafeRaw: blob) NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (speaker_id, model)
            )
            """).run()
        try await sql.raw("CREATE INDEX speaker_embeddings_model_updated ON speaker_embeddings (model, updated_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE speaker_embeddings").run()
    }
}
