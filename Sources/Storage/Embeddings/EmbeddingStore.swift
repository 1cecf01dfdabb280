import Crypto
import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// Stored sentence embeddings of speakers (table `speaker_embeddings`, migration 020): one
/// float32 vector per speaker and model, with the SHA-256 of the text it was computed
/// from. A speaker whose text changed, or who has no vector for the model, is stale.
public struct EmbeddingStore: Sendable {
    let sql: any SQLDatabase

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
    }

    /// The text a speaker is embedded from: who they are and what they spoke about. Kept
    /// short enough for the model's 256 word pieces to cover the part that matters most.
    public struct Document: Sendable, Equatable {
        public var speakerID: Int
        public var text: String
        public var hash: String { EmbeddingStore.hash(text) }

        public init(speakerID: Int, text: String) {
            self.speakerID = speakerID
            self.text = text
        }
    }

    public static func hash(_ text: String) -> String {
        Data(SHA256.hash(data: Data(text.utf8))).hexString
    }

    /// Joins a speaker's fields into the embedded text: name, title and affiliation first,
    /// then the bio, then up to 8 event titles.
    public static func text(name: String, title: String?, affiliation: String?, bio: String?, eventTitles: [String]) -> String {
        var parts = [name]
        let role = [title, affiliation].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: ", ")
        if !role.isEmpty { parts.append(role) }
        if let bio, !bio.isEmpty { parts.append(bio) }
        let events = eventTitles.filter { !$0.isEmpty }.prefix(8)
        if !events.isEmpty { parts.append("Spoke at: " + events.joined(separator: "; ")) }
        return parts.joined(separator: ". ")
    }

    /// Documents of speakers that need (re-)embedding for `model`: no vector yet, or a
    /// vector of a different text; at most `limit`, by id, after speaker `after`. A caller
    /// working through them in batches passes the last id it got, so each batch reads on
    /// from there instead of from the first speaker again.
    public func stale(model: String, limit: Int, after start: Int = 0) async throws -> [Document] {
        let separator = "\u{1F}"
        let titles: SQLQueryString = try sql.engine() == .postgres
            ? "(SELECT string_agg(e.title, \(bind: separator) ORDER BY e.starts_on DESC NULLS LAST) FROM appearances a JOIN events e ON e.id = a.event_id WHERE a.speaker_id = s.id)"
            : "(SELECT group_concat(title, \(bind: separator)) FROM (SELECT e.title FROM appearances a JOIN events e ON e.id = a.event_id WHERE a.speaker_id = s.id ORDER BY e.starts_on DESC))"
        var documents: [Document] = []
        var after = start
        // Pages through every speaker by id, comparing text hashes in Swift; stops at `limit`.
        while documents.count < limit {
            let rows = try await sql.raw("""
                SELECT s.id, s.name, s.title, s.affiliation, s.bio, \(titles) AS event_titles, se.text_hash
                FROM speakers s LEFT JOIN speaker_embeddings se ON se.speaker_id = s.id AND se.model = \(bind: model)
                WHERE s.id > \(bind: after) ORDER BY s.id LIMIT 1000
                """).all()
            guard !rows.isEmpty else { break }
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                after = id
                let text = Self.text(
                    name: try row.decode(column: "name", as: String.self),
                    title: try row.decode(column: "title", as: String?.self),
                    affiliation: try row.decode(column: "affiliation", as: String?.self),
                    bio: try row.decode(column: "bio", as: String?.self),
                    eventTitles: (try row.decode(column: "event_titles", as: String?.self) ?? "").split(separator: Character(separator)).map(String.init))
                let stored = try row.decode(column: "text_hash", as: String?.self)
                if stored != Self.hash(text) {
                    documents.append(Document(speakerID: id, text: text))
                    if documents.count == limit { break }
                }
            }
        }
        return documents
    }

    /// Stores vectors (replacing a speaker's earlier one for the same model).
    public func save(_ items: [(document: Document, vector: [Float])], model: String) async throws {
        guard !items.isEmpty else { return }
        let now = Date().epochMilliseconds
        for chunk in items.chunked(into: 200) {
            let values: [SQLQueryString] = chunk.map { item in
                "(\(bind: item.document.speakerID), \(bind: model), \(bind: item.document.hash), \(bind: item.vector.count), \(bind: Self.encode(item.vector)), \(bind: now))"
            }
            try await sql.raw("""
                INSERT INTO speaker_embeddings (speaker_id, model, text_hash, dimension, vector, updated_at)
                VALUES \(values.joined(separator: ", "))
                ON CONFLICT (speaker_id, model) DO UPDATE SET text_hash = excluded.text_hash, dimension = excluded.dimension,
                    vector = excluded.vector, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Every stored vector of `model` as one contiguous row-major matrix, with the speaker
    /// id of each row. Vectors of another dimension are skipped.
    public func matrix(model: String, dimension: Int) async throws -> (ids: [Int], vectors: [Float]) {
        var ids: [Int] = [], vectors: [Float] = []
        var after = 0
        while true {
            let rows = try await sql.raw("""
                SELECT speaker_id, vector FROM speaker_embeddings
                WHERE model = \(bind: model) AND dimension = \(bind: dimension) AND speaker_id > \(bind: after)
                ORDER BY speaker_id LIMIT 5000
                """).all()
            guard !rows.isEmpty else { break }
            vectors.reserveCapacity(vectors.count + rows.count * dimension)
            for row in rows {
                let id = try row.decode(column: "speaker_id", as: Int.self)
                after = id
                let data = try row.decode(column: "vector", as: Data.self)
                guard data.count == dimension * 4 else { continue }
                ids.append(id)
                vectors.append(contentsOf: Self.decode(data))
            }
        }
        return (ids, vectors)
    }

    /// How many speakers have a vector of `model`, and the newest vector's time (ms).
    public func status(model: String) async throws -> (count: Int, newest: Int64?) {
        let row = try await sql.raw("SELECT COUNT(*) AS n, MAX(updated_at) AS newest FROM speaker_embeddings WHERE model = \(bind: model)").first()
        return (try row?.decode(column: "n", as: Int.self) ?? 0, try row?.decode(column: "newest", as: Int64?.self))
    }

    /// The length of `model`'s vectors (of its newest one), or nil when none is stored.
    public func dimension(model: String) async throws -> Int? {
        try await sql.raw("SELECT dimension FROM speaker_embeddings WHERE model = \(bind: model) ORDER BY updated_at DESC LIMIT 1")
            .first()?.decode(column: "dimension", as: Int.self)
    }

    /// float32 little-endian.
    public static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    public static func decode(_ data: Data) -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
