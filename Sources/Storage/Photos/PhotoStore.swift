import FluentKit
import Foundation
import SpeakerCore
import SQLKit

/// Speakers' photos as the app serves them (table `photos`, migration 027).
public struct PhotoStore: Sendable {
    let db: any Database
    let sql: any SQLDatabase

    public init(_ db: any Database) throws {
        self.db = db
        self.sql = try db.sqlDatabase()
    }

    public struct Photo: Sendable, Equatable {
        public var contentType: String
        public var bytes: Data

        public init(contentType: String, bytes: Data) {
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    /// Speakers whose http(s) photo link has not been fetched yet (or changed since), oldest
    /// first: what the pipeline fetches next.
    public func pending(limit: Int) async throws -> [(speakerID: Int, url: String)] {
        try await sql.raw("""
            SELECT s.id, s.photo_url FROM speakers s LEFT JOIN photos p ON p.speaker_id = s.id
            WHERE s.photo_url IS NOT NULL AND (s.photo_url LIKE 'http://%' OR s.photo_url LIKE 'https://%')
              AND (p.speaker_id IS NULL OR p.source_url <> s.photo_url)
            ORDER BY s.id LIMIT \(literal: limit)
            """).all().map { (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "photo_url", as: String.self)) }
    }

    /// Stores a checked photo, or why it could not be had (`bytes` nil, `error` set).
    public func record(speakerID: Int, url: String, photo: Photo?, error: String?, now: Date = Date()) async throws {
        let ms = now.epochMilliseconds
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            try await sql.raw("DELETE FROM photos WHERE speaker_id = \(bind: speakerID)").run()
            // The speaker may have been merged away since the link was read.
            guard try await sql.raw("SELECT 1 AS one FROM speakers WHERE id = \(bind: speakerID)").first() != nil else { return }
            try await sql.raw("""
                INSERT INTO photos (speaker_id, source_url, content_type, bytes, error, fetched_ms)
                VALUES (\(bind: speakerID), \(bind: url), \(bind: photo?.contentType), \(bind: photo?.bytes), \(bind: error.map { String($0.prefix(300)) }), \(bind: ms))
                """).run()
        }
    }

    /// The stored photo of a speaker, if there is one.
    public func photo(speakerID: Int) async throws -> Photo? {
        guard let row = try await sql.raw("""
            SELECT content_type, bytes FROM photos WHERE speaker_id = \(bind: speakerID) AND bytes IS NOT NULL
            """).first(),
              let type = try row.decode(column: "content_type", as: String?.self),
              let bytes = try row.decode(column: "bytes", as: Data?.self) else { return nil }
        return Photo(contentType: type, bytes: bytes)
    }

    /// Whether a speaker has a stored photo (without reading it).
    public func hasPhoto(speakerID: Int) async throws -> Bool {
        try await sql.raw("SELECT 1 AS one FROM photos WHERE speaker_id = \(bind: speakerID) AND bytes IS NOT NULL").first() != nil
    }
}
