import FluentKit
import Foundation
import HTMLParsing
import SQLKit
import Storage

/// Loads a source's template, and induces one from the source's stored pages.
public struct SiteTemplateStore: Sendable {
    let storage: StorageContext

    public init(storage: StorageContext) {
        self.storage = storage
    }

    public func template(sourceID: Int) async throws -> SiteTemplate? {
        let row = try await storage.sql.raw("SELECT extraction_template FROM sources WHERE id = \(bind: sourceID)").first()
        guard let json = try row?.decode(column: "extraction_template", as: String?.self) else { return nil }
        return try? JSONDecoder().decode(SiteTemplate.self, from: Data(json.utf8))
    }

    /// The source's newest stored event pages, parsed: what induction compares.
    public func sample(sourceID: Int) async throws -> [TemplateInducer.Page] {
        let events = try await storage.sql.raw("""
            SELECT e.url, e.title, e.body_hash FROM events e WHERE e.source_id = \(bind: sourceID) AND e.body_hash IS NOT NULL
              AND e.fetch_state = 'fetched' ORDER BY e.id DESC LIMIT \(literal: TemplateInducer.samplePages)
            """).all()
        var pages: [TemplateInducer.Page] = []
        let bodies = PageBodyStore(storage.database)
        for event in events {
            guard let hash = try event.decode(column: "body_hash", as: String?.self), let body = try await bodies.load(hash),
                  let url = URL(string: try event.decode(column: "url", as: String.self)),
                  let document = try? HTMLDocument(utf8: Array(body), url: url) else { continue }
            pages.append(TemplateInducer.Page(document: document, url: url, eventTitle: try event.decode(column: "title", as: String?.self)))
        }
        return pages
    }

    /// Induces the source's template from sample pages and stores it; nil, and any stored
    /// template cleared, when there are too few pages or no slot holds names consistently.
    @discardableResult
    public func induce(sourceID: Int, pages given: [TemplateInducer.Page]? = nil) async throws -> SiteTemplate? {
        let pages: [TemplateInducer.Page]
        if let given { pages = given } else { pages = try await sample(sourceID: sourceID) }
        let template = TemplateInducer.induce(from: pages)
        let json = try template.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await storage.database.writeTransaction { tx in
            try await tx.sqlDatabase().raw("UPDATE sources SET extraction_template = \(bind: json) WHERE id = \(bind: sourceID)").run()
        }
        return template
    }
}
