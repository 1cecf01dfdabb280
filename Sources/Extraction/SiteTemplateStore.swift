import FluentKit
import Foundation
import HTMLParsing
import SQLKit
import Storage

/// Loads a source's template, and learns one from the source's extracted pages when it
/// has none yet and enough pages are done.
public struct SiteTemplateStore: Sendable {
    let storage: StorageContext

    public init(storage: StorageContext) {
        self.storage = storage
    }

    /// Pages read to learn a template (the newest extracted ones with people).
    static let learningPages = 8

    public func template(sourceID: Int) async throws -> SiteTemplate? {
        let row = try await storage.sql.raw("SELECT extraction_template FROM sources WHERE id = \(bind: sourceID)").first()
        guard let json = try row?.decode(column: "extraction_template", as: String?.self) else { return nil }
        return try? JSONDecoder().decode(SiteTemplate.self, from: Data(json.utf8))
    }

    /// Extracted pages of the source that have people.
    public func pagesWithPeople(sourceID: Int) async throws -> Int {
        try await storage.sql.raw("""
            SELECT COUNT(*) AS n FROM events e WHERE e.source_id = \(bind: sourceID) AND e.extract_state = 'done'
              AND EXISTS (SELECT 1 FROM appearances a WHERE a.event_id = e.id AND a.raw IS NOT NULL)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Learns and stores a template from the source's extracted pages; nil when there are
    /// too few pages or no position holds the speakers consistently.
    @discardableResult
    public func learn(sourceID: Int) async throws -> SiteTemplate? {
        let sql = storage.sql
        let events = try await sql.raw("""
            SELECT e.id, e.url, e.body_hash FROM events e WHERE e.source_id = \(bind: sourceID) AND e.extract_state = 'done'
              AND e.body_hash IS NOT NULL AND EXISTS (SELECT 1 FROM appearances a WHERE a.event_id = e.id AND a.raw IS NOT NULL)
            ORDER BY e.id DESC LIMIT \(literal: Self.learningPages)
            """).all()
        guard events.count >= SiteTemplateLearner.minimumPages else { return nil }
        var pages: [SiteTemplateLearner.Page] = []
        let decoder = JSONDecoder()
        for event in events {
            let id = try event.decode(column: "id", as: Int.self)
            guard let hash = try event.decode(column: "body_hash", as: String?.self),
                  let body = try await PageBodyStore(storage.database).load(hash),
                  let url = URL(string: try event.decode(column: "url", as: String.self)),
                  let document = try? HTMLDocument(html: String(decoding: body, as: UTF8.self), url: url) else { continue }
            let people = try await sql.raw("SELECT raw FROM appearances WHERE event_id = \(bind: id) AND raw IS NOT NULL").all()
                .compactMap { row -> ExtractedPerson? in
                    guard let raw = try row.decode(column: "raw", as: String?.self) else { return nil }
                    return try? decoder.decode(ExtractedPerson.self, from: Data(raw.utf8))
                }
            pages.append(SiteTemplateLearner.Page(document: document, people: people))
        }
        guard let template = SiteTemplateLearner.learn(from: pages) else { return nil }
        let json = String(decoding: try JSONEncoder().encode(template), as: UTF8.self)
        try await storage.database.writeTransaction { tx in
            try await tx.sqlDatabase().raw("UPDATE sources SET extraction_template = \(bind: json) WHERE id = \(bind: sourceID)").run()
        }
        return template
    }
}
