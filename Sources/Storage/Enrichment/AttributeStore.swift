import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// One enriched fact about a speaker (table `speaker_attributes`, migration 021).
public struct SpeakerAttribute: Sendable, Codable, Equatable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An expertise topic (value: the topic's slug).
        case tag
        /// Where the speaker is based: an ISO 3166-1 alpha-2 code.
        case country
        /// Where the speaker is based: "City, CC".
        case city
        /// A language the speaker speaks or spoke in: an ISO 639-1 code.
        case language
        /// Only from an LLM, only where the source states it: "woman", "man", "nonbinary".
        case gender
    }

    /// Where a value came from, in the order it wins on display: a user's approved
    /// correction, the event page's own field, the speaker's bio (or title and
    /// affiliation), the events they spoke at, an LLM's reading.
    public enum Origin: String, Sendable, Codable, CaseIterable, Comparable {
        case user, page, bio, event, llm

        public static func < (lhs: Origin, rhs: Origin) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    public var value: String
    public var label: String
    public var origin: Origin
    public var confidence: Double
    public var eventID: Int?
    /// The words the value was read from (a phrase of the bio, an event title).
    public var evidence: String?

    public init(kind: Kind, value: String, label: String, origin: Origin, confidence: Double, eventID: Int? = nil, evidence: String? = nil) {
        self.kind = kind
        self.value = value
        self.label = label
        self.origin = origin
        self.confidence = confidence
        self.eventID = eventID
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case kind, value, label, origin, confidence, eventID = "event_id", evidence
    }

    /// Of several values of one kind, the ones to show: those of the best origin present
    /// (a page's value is never hidden behind a guess), most confident first.
    public static func shown(_ attributes: [SpeakerAttribute], kind: Kind) -> [SpeakerAttribute] {
        let ofKind = attributes.filter { $0.kind == kind }
        guard let best = ofKind.map(\.origin).min() else { return [] }
        // Tags and languages add up across origins (a bio's tag does not hide an event's)
        // unless a user set them; where someone is based is one answer, the best source's.
        let kept = (kind == .country || kind == .city || kind == .gender || best == .user) ? ofKind.filter { $0.origin == best } : ofKind
        var seen = Set<String>()
        return kept.sorted { ($0.origin, -$0.confidence, $0.label) < ($1.origin, -$1.confidence, $1.label) }
            .filter { seen.insert($0.value).inserted }
    }
}

/// What enrichment reads about a speaker: the profile and the events they spoke at.
public struct EnrichmentInput: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public var id: Int
        public var title: String?
        public var language: String?
        public var location: String?
        public var startsOn: String?
    }

    public var speakerID: Int
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var bio: String?
    public var location: String?
    public var events: [Event]

    public init(speakerID: Int, name: String, title: String?, affiliation: String?, bio: String?, location: String?, events: [Event]) {
        self.speakerID = speakerID
        self.name = name
        self.title = title
        self.affiliation = affiliation
        self.bio = bio
        self.location = location
        self.events = events
    }
}

/// Reads and writes enriched attributes. Enrichment replaces only the rows of the origins
/// it produces; approved corrections (`user`) and other origins are never touched by it.
public struct AttributeStore: Sendable {
    let sql: any SQLDatabase

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
    }

    init(sql: any SQLDatabase) {
        self.sql = sql
    }


    /// Replaces a speaker's attributes of the given origins with `attributes`.
    public func replace(speakerID: Int, origins: [SpeakerAttribute.Origin], with attributes: [SpeakerAttribute]) async throws {
        try await sql.raw("""
            DELETE FROM speaker_attributes WHERE speaker_id = \(bind: speakerID) AND origin IN (\(binds: origins.map(\.rawValue)))
            """).run()
        try await insert(speakerID: speakerID, attributes.filter { origins.contains($0.origin) })
    }

    /// Adds attributes, replacing a row of the same kind, value and origin.
    public func insert(speakerID: Int, _ attributes: [SpeakerAttribute]) async throws {
        guard !attributes.isEmpty else { return }
        let now = Date().epochMilliseconds
        var seen = Set<String>()
        let rows: [SQLQueryString] = attributes.compactMap { a in
            guard seen.insert("\(a.kind.rawValue)\u{1F}\(a.value)\u{1F}\(a.origin.rawValue)").inserted else { return nil }
            return "(\(bind: speakerID), \(bind: a.kind.rawValue), \(bind: a.value), \(bind: a.label), \(bind: a.origin.rawValue), \(bind: a.confidence), \(bind: a.eventID), \(bind: a.evidence), \(bind: now))"
        }
        for chunk in rows.chunked(into: 100) {
            try await sql.raw("""
                INSERT INTO speaker_attributes (speaker_id, kind, value, label, origin, confidence, event_id, evidence, created_at)
                VALUES \(chunk.joined(separator: ", "))
                ON CONFLICT (speaker_id, kind, value, origin) DO UPDATE SET label = excluded.label, confidence = excluded.confidence,
                    event_id = excluded.event_id, evidence = excluded.evidence, created_at = excluded.created_at
                """).run()
        }
    }

    /// The value of a withheld attribute: an editor removed an inference, and this `user`
    /// row (the origin that wins) keeps a later enrichment from showing it again.
    public static let withheld = ""

    /// Removes every inferred value of `kind` for a speaker and records that it is withheld.
    public static func withhold(speakerID: Int, kind: SpeakerAttribute.Kind, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            try await sql.raw("DELETE FROM speaker_attributes WHERE speaker_id = \(bind: speakerID) AND kind = \(bind: kind.rawValue)").run()
            try await AttributeStore(sql: sql).insert(speakerID: speakerID, [
                SpeakerAttribute(kind: kind, value: Self.withheld, label: Self.withheld, origin: .user, confidence: 1, evidence: "removed by an editor"),
            ])
        }
    }

    /// Removes a speaker's attributes of one kind and origin (a user's correction replaces
    /// the earlier correction of the same kind).
    public func remove(speakerID: Int, kind: SpeakerAttribute.Kind, origin: SpeakerAttribute.Origin) async throws {
        try await sql.raw("""
            DELETE FROM speaker_attributes WHERE speaker_id = \(bind: speakerID) AND kind = \(bind: kind.rawValue) AND origin = \(bind: origin.rawValue)
            """).run()
    }

    struct Row: Decodable {
        var speaker_id: Int
        var kind: String
        var value: String
        var label: String
        var origin: String
        var confidence: Double
        var event_id: Int?
        var evidence: String?
    }

    /// Every attribute of the given speakers, optionally of some kinds only.
    public func attributes(speakerIDs: [Int], kinds: [SpeakerAttribute.Kind]? = nil) async throws -> [Int: [SpeakerAttribute]] {
        var result: [Int: [SpeakerAttribute]] = [:]
        for chunk in speakerIDs.chunked(into: 500) {
            let kindFilter: SQLQueryString = kinds.map { "AND kind IN (\(binds: $0.map(\.rawValue)))" } ?? ""
            let rows = try await sql.raw("""
                SELECT speaker_id, kind, value, label, origin, confidence, event_id, evidence FROM speaker_attributes
                WHERE speaker_id IN (\(binds: chunk)) \(kindFilter) ORDER BY id
                """).all(decoding: Row.self)
            for row in rows {
                guard let kind = SpeakerAttribute.Kind(rawValue: row.kind), let origin = SpeakerAttribute.Origin(rawValue: row.origin) else { continue }
                result[row.speaker_id, default: []].append(SpeakerAttribute(
                    kind: kind, value: row.value, label: row.label, origin: origin, confidence: row.confidence,
                    eventID: row.event_id, evidence: row.evidence))
            }
        }
        return result
    }

    /// Speakers that need enriching: never enriched, changed since (their `enriched_at`
    /// is cleared when their content changes), or enriched before `olderThan` — never
    /// enriched first, then oldest first.
    public func stale(olderThan cutoff: Date, limit: Int) async throws -> [Int] {
        let cutoffMs = cutoff.epochMilliseconds
        var ids = try await sql.raw("SELECT id FROM speakers WHERE enriched_at IS NULL ORDER BY id LIMIT \(bind: limit)").all()
            .map { try $0.decode(column: "id", as: Int.self) }
        if ids.count < limit {
            ids += try await sql.raw("""
                SELECT id FROM speakers WHERE enriched_at < \(bind: cutoffMs) ORDER BY enriched_at, id LIMIT \(bind: limit - ids.count)
                """).all().map { try $0.decode(column: "id", as: Int.self) }
        }
        return ids
    }

    /// Which of the ids are still speakers.
    public func existing(_ ids: [Int]) async throws -> [Int] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("SELECT id FROM speakers WHERE id IN (\(binds: ids))").all().map { try $0.decode(column: "id", as: Int.self) }
    }

    public func markEnriched(_ ids: [Int], at date: Date = Date()) async throws {
        let ms = date.epochMilliseconds
        for chunk in ids.chunked(into: 500) {
            try await sql.raw("UPDATE speakers SET enriched_at = \(bind: ms) WHERE id IN (\(binds: chunk))").run()
        }
    }

    /// Counts for status displays: speakers enriched and never enriched, attributes by kind.
    public func status() async throws -> (enriched: Int, pending: Int, byKind: [String: Int]) {
        let enriched = try await sql.raw("SELECT COUNT(*) AS n FROM speakers WHERE enriched_at IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        let pending = try await sql.raw("SELECT COUNT(*) AS n FROM speakers WHERE enriched_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        var byKind: [String: Int] = [:]
        for row in try await sql.raw("SELECT kind, COUNT(*) AS n FROM speaker_attributes GROUP BY kind").all() {
            byKind[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return (enriched, pending, byKind)
    }

    struct InputRow: Decodable {
        var id: Int
        var name: String
        var title: String?
        var affiliation: String?
        var bio: String?
        var location: String?
    }

    struct EventRow: Decodable {
        var speaker_id: Int
        var id: Int
        var title: String?
        var language: String?
        var location: String?
        var starts_on: String?
    }

    /// What enrichment reads for the given speakers.
    public func inputs(speakerIDs: [Int]) async throws -> [EnrichmentInput] {
        var result: [EnrichmentInput] = []
        for chunk in speakerIDs.chunked(into: 500) {
            let speakers = try await sql.raw("""
                SELECT id, name, title, affiliation, bio, location FROM speakers WHERE id IN (\(binds: chunk)) ORDER BY id
                """).all(decoding: InputRow.self)
            let events = try await sql.raw("""
                SELECT a.speaker_id, e.id, e.title, e.language, e.location, e.starts_on FROM appearances a JOIN events e ON e.id = a.event_id
                WHERE a.speaker_id IN (\(binds: chunk)) ORDER BY e.starts_on DESC, e.id
                """).all(decoding: EventRow.self)
            let bySpeaker = Dictionary(grouping: events, by: \.speaker_id)
            for s in speakers {
                var seen = Set<Int>()
                result.append(EnrichmentInput(
                    speakerID: s.id, name: s.name, title: s.title, affiliation: s.affiliation, bio: s.bio, location: s.location,
                    events: (bySpeaker[s.id] ?? []).filter { seen.insert($0.id).inserted }
                        .map { EnrichmentInput.Event(id: $0.id, title: $0.title, language: $0.language, location: $0.location, startsOn: $0.starts_on) }))
            }
        }
        return result
    }
}
