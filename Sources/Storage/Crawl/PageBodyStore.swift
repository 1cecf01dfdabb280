import Crypto
import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// Content-addressed raw page storage: each distinct body is kept once, gzip-compressed,
/// under the SHA-256 of its bytes.
public struct PageBodyStore: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    public static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }

    /// Stores the body if it is new; returns its hash either way.
    @discardableResult
    public func store(_ data: Data) async throws -> String {
        let hash = Self.hash(data)
        let compressed = try Gzip.compress(data)
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                INSERT INTO page_bodies (hash, encoding, size, body, created_at)
                VALUES (\(bind: hash), 'gzip', \(bind: data.count), \(bind: compressed), \(bind: Date()))
                ON CONFLICT (hash) DO NOTHING
                """).run()
        }
        return hash
    }

    public func load(_ hash: String) async throws -> Data? {
        guard let body = try await PageBody.find(hash, on: db) else { return nil }
        switch body.encoding {
        case "gzip": return try Gzip.decompress(body.body)
        default: return body.body
        }
    }

    /// Deletes bodies no event or crawl page refers to; returns how many.
    @discardableResult
    public func collectGarbage() async throws -> Int {
        let sql = try db.sqlDatabase()
        let orphans = try await sql.raw("""
            SELECT hash FROM page_bodies p
            WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.body_hash = p.hash)
              AND NOT EXISTS (SELECT 1 FROM crawl_pages c WHERE c.body_hash = p.hash)
            """).all().map { try $0.decode(column: "hash", as: String.self) }
        for chunk in orphans.chunked(into: 500) {
            try await db.writeTransaction { tx in
                try await tx.sqlDatabase().raw("DELETE FROM page_bodies WHERE hash IN (\(binds: chunk))").run()
            }
        }
        return orphans.count
    }
}
