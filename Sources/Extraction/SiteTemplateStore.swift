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

    /// A sample of the source's stored event pages, parsed: what induction compares. The
    /// sample is chosen by a stable hash of each page's URL, not by when the crawl stored
    /// it: a concurrent crawl stores pages in a different order on every run, and the
    /// template (and so every page's speakers) must not change with that order. Re-fetched
    /// pages keep their place in the sample with their new content.
    public func sample(sourceID: Int) async throws -> [TemplateInducer.Page] {
        let rows = try await storage.sql.raw("""
            SELECT e.url, e.title, e.body_hash FROM events e WHERE e.source_id = \(bind: sourceID) AND e.body_hash IS NOT NULL
              AND e.fetch_state = 'fetched'
            """).all()
        let keyed = try rows.map { row in (url: try row.decode(column: "url", as: String.self), row: row) }
        // By path (and query): the host is the source's, and a copy of the site served elsewhere
        // (a mirror, a test server's port) samples the same pages.
        func place(_ url: String) -> String { URLComponents(string: url).map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?" + $0 } ?? "") } ?? url }
        let events = keyed.sorted { (Self.stableHash(place($0.url)), $0.url) < (Self.stableHash(place($1.url)), $1.url) }
            .prefix(TemplateInducer.samplePages).map(\.row)
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

    /// FNV-1a over the text's UTF-8 bytes: the same on every run and platform (Swift's
    /// `Hasher` is seeded per process).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
