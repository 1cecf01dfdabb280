import FluentKit
import SQLKit

/// Each speaker's facet values (affiliation, location, every role and every event year),
/// one row per distinct value, kept beside the search index by `SpeakerSearchIndex`. A
/// search's facets are then one grouped range read per matching speaker instead of joins
/// through speakers, appearances and events (3.5 → 1.2 ms for 180 speakers; see
/// docs/PERFORMANCE.md).
struct CreateSpeakerFacetValues: AsyncMigration {
    var name: String { "023_CreateSpeakerFacetValues" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        let rowid: SQLQueryString = try sql.engine() == .sqlite ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE speaker_facet_values (
                speaker_id BIGINT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
                facet TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (speaker_id, facet, value)
            )\(rowid)
            """).run()
        try await SpeakerSearchIndex.refreshFacets(speakerIDs: nil, sql: sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase().raw("DROP TABLE speaker_facet_values").run()
    }
}
