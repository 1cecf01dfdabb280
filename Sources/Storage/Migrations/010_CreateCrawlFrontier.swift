import FluentKit
import SQLKit

/// The crawl frontier: listing, sitemap and feed pages with their state, raw page bodies
/// stored once per content hash, the fetcher that works per host, and the columns events
/// need to be re-fetched conditionally and retried with backoff.
struct CreateCrawlFrontier: AsyncMigration {
    var name: String { "010_CreateCrawlFrontier" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PageBody.schema)
            .field("hash", .string, .identifier(auto: false))
            .field("encoding", .string, .required)
            .field("size", .int, .required)
            .field("body", .data, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(CrawlPage.schema)
            .field("id", .int, .identifier(auto: true))
            .field("source_id", .int, .required, .references(Source.schema, "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("kind", .string, .required)
            .field("page_number", .int, .required, .sql(.default(1)))
            .field("state", .string, .required, .sql(.default("queued")))
            .field("attempts", .int, .required, .sql(.default(0)))
            .field("next_attempt_at", .datetime)
            .field("last_error", .string)
            .field("http_status", .int)
            .field("etag", .string)
            .field("last_modified", .string)
            .field("content_hash", .string)
            .field("body_hash", .string, .references(PageBody.schema, "hash", onDelete: .setNull))
            .field("links_found", .int, .required, .sql(.default(0)))
            .field("new_links", .int, .required, .sql(.default(0)))
            .field("fetcher", .string)
            .field("fetched_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "source_id", "url")
            .create()
        try await database.schema(HostFetcher.schema)
            .field("host", .string, .identifier(auto: false))
            .field("fetcher", .string, .required)
            .field("reason", .string)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(Event.schema).field("next_fetch_at", .datetime).update()
        try await database.schema(Event.schema).field("http_status", .int).update()
        try await database.schema(Event.schema).field("etag", .string).update()
        try await database.schema(Event.schema).field("last_modified", .string).update()
        try await database.schema(Event.schema).field("fetcher", .string).update()
        try await database.schema(Event.schema).field("body_hash", .string).update()
        try await database.schema(Event.schema).field("discovered_via", .string).update()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "crawl_pages_state").on(CrawlPage.schema).column("source_id").column("state").run()
        try await sql.create(index: "events_next_fetch").on(Event.schema).column("fetch_state").column("next_fetch_at").run()
        try await sql.create(index: "events_body_hash").on(Event.schema).column("body_hash").run()
    }

    func revert(on database: any Database) async throws {
        for column in ["next_fetch_at", "http_status", "etag", "last_modified", "fetcher", "body_hash", "discovered_via"] {
            try await database.schema(Event.schema).deleteField(.key(.string(column))).update()
        }
        try await database.schema(HostFetcher.schema).delete()
        try await database.schema(CrawlPage.schema).delete()
        try await database.schema(PageBody.schema).delete()
    }
}
