import FluentKit
import SQLKit

/// What extraction needs beyond the foundation: a note per event ("3 people (cards)" or
/// "no speakers found"), profile links per speaker, and the cache of LLM answers.
struct AddExtractionState: AsyncMigration {
    var name: String { "012_AddExtractionState" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Event.schema).field("extract_note", .string).update()
        try await database.schema(Speaker.schema).field("links", .string).update()
        try await database.schema(LLMCacheEntry.schema)
            .field("key", .string, .identifier(auto: false))
            .field("response", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LLMCacheEntry.schema).delete()
        try await database.schema(Speaker.schema).deleteField("links").update()
        try await database.schema(Event.schema).deleteField("extract_note").update()
    }
}
