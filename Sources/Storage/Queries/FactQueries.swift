import FluentKit
import SQLKit
import SpeakerCore

/// What a request's constraints are checked against, per speaker: enriched attributes,
/// every affiliation seen, and each appearance's role, date and event location.
public struct SpeakerFacts: Sendable, Equatable {
    public struct Appearance: Sendable, Equatable {
        public var role: String
        public var startsOn: String?
        public var eventLocation: String?

        public init(role: String, startsOn: String?, eventLocation: String?) {
            self.role = role
            self.startsOn = startsOn
            self.eventLocation = eventLocation
        }
    }

    public var speakerID: Int
    public var affiliations: [String] = []
    public var attributes: [SpeakerAttribute] = []
    public var appearances: [Appearance] = []

    public init(speakerID: Int, affiliations: [String] = [], attributes: [SpeakerAttribute] = [], appearances: [Appearance] = []) {
        self.speakerID = speakerID
        self.affiliations = affiliations
        self.attributes = attributes
        self.appearances = appearances
    }
}

/// Reads `SpeakerFacts` and candidate pools for requests without topic words.
public struct FactQueries: Sendable {
    let sql: any SQLDatabase

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
    }

    struct AppearanceRow: Decodable {
        var speaker_id: Int
        var role: String
        var starts_on: String?
        var location: String?
    }

    /// The parts of `SpeakerFacts` a request needs (each is one query per 500 speakers).
    public struct Needs: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let attributes = Needs(rawValue: 1)
        public static let appearances = Needs(rawValue: 2)
        public static let affiliations = Needs(rawValue: 4)
        public static let all: Needs = [.attributes, .appearances, .affiliations]
    }

    public func facts(speakerIDs: [Int], needs: Needs = .all) async throws -> [Int: SpeakerFacts] {
        var result: [Int: SpeakerFacts] = [:]
        for id in speakerIDs { result[id] = SpeakerFacts(speakerID: id) }
        if needs.contains(.attributes) {
            let attributes = try await AttributeStore(sql: sql).attributes(speakerIDs: speakerIDs, kinds: [.country, .city, .language, .gender])
            for (id, list) in attributes { result[id]?.attributes = list }
        }
        for chunk in speakerIDs.chunked(into: 500) {
            if needs.contains(.appearances) {
            for row in try await sql.raw("""
                SELECT a.speaker_id, a.role, e.starts_on, e.location FROM appearances a JOIN events e ON e.id = a.event_id
                WHERE a.speaker_id IN (\(binds: chunk))
                """).all(decoding: AppearanceRow.self) {
                result[row.speaker_id]?.appearances.append(.init(role: row.role, startsOn: row.starts_on, eventLocation: row.location))
            }
            }
            guard needs.contains(.affiliations) else { continue }
            for row in try await sql.raw("""
                SELECT id AS speaker_id, affiliation AS value FROM speakers WHERE id IN (\(binds: chunk)) AND affiliation IS NOT NULL
                UNION SELECT speaker_id, value FROM field_provenance WHERE speaker_id IN (\(binds: chunk)) AND field = 'affiliation' AND value IS NOT NULL
                """).all() {
                let id = try row.decode(column: "speaker_id", as: Int.self)
                let value = try row.decode(column: "value", as: String.self)
                if result[id]?.affiliations.contains(value) == false { result[id]?.affiliations.append(value) }
            }
        }
        return result
    }

    /// A pool of candidates for a request with no topic words, narrowed by its most
    /// selective required constraint; most appearances first.
    public enum Pool: Sendable {
        case attribute(kind: SpeakerAttribute.Kind, values: [String])
        case roles([String])
        case dates(from: String?, to: String?)
        case affiliation(String)
        case all
    }

    public func candidates(_ pool: Pool, limit: Int) async throws -> [Int] {
        let filter: SQLQueryString
        switch pool {
        case let .attribute(kind, values):
            filter = "WHERE s.id IN (SELECT speaker_id FROM speaker_attributes WHERE kind = \(bind: kind.rawValue) AND value IN (\(binds: values)))"
        case let .roles(roles):
            filter = "WHERE s.id IN (SELECT speaker_id FROM appearances WHERE role IN (\(binds: roles)))"
        case let .dates(from, to):
            filter = """
                WHERE s.id IN (SELECT a.speaker_id FROM appearances a JOIN events e ON e.id = a.event_id
                               WHERE e.starts_on >= \(bind: from ?? "0000-00-00") AND e.starts_on <= \(bind: to ?? "9999-99-99"))
                """
        case let .affiliation(text):
            let pattern = "%" + text.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            filter = "WHERE lower(s.affiliation) LIKE \(bind: pattern) OR s.id IN (SELECT speaker_id FROM field_provenance WHERE field = 'affiliation' AND lower(value) LIKE \(bind: pattern))"
        case .all:
            filter = ""
        }
        return try await sql.raw("""
            SELECT s.id, (SELECT COUNT(*) FROM appearances a WHERE a.speaker_id = s.id) AS n FROM speakers s \(filter)
            ORDER BY n DESC, s.id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: Int.self) }
    }

    /// Whether any speaker has an attribute of this kind (a constraint on a kind nobody has
    /// cannot be applied).
    public func anyAttribute(_ kind: SpeakerAttribute.Kind) async throws -> Bool {
        try await sql.raw("SELECT 1 AS one FROM speaker_attributes WHERE kind = \(bind: kind.rawValue) LIMIT 1").first() != nil
    }
}
