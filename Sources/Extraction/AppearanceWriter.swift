import FluentKit
import Foundation
import SQLKit
import SpeakerCore
import Storage

/// Stores what extraction found on one event, in one transaction: the event's extracted
/// appearances are replaced (corrections and imports stay), each person is matched to an
/// existing speaker or created, every field value is recorded with its provenance, the
/// speakers' shown fields are recomputed, and speakers left with nothing are removed.
public struct AppearanceWriter: Sendable {
    let db: any Database
    let matcher: SpeakerMatcher

    public init(_ db: any Database, matcher: SpeakerMatcher = SpeakerMatcher()) {
        self.db = db
        self.matcher = matcher
    }

    /// Origins that extraction owns and may replace on re-extraction.
    static let extractedOrigins = ["structured", "extractor", "llm", "page"]

    /// Returns the ids of the speakers the event now has.
    @discardableResult
    public func replace(eventID: Int, people: [ExtractedPerson], note: String) async throws -> [Int] {
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            let previous = try await sql.raw("""
                SELECT speaker_id FROM appearances WHERE event_id = \(bind: eventID) AND coalesce(extractor, '') NOT IN ('user', 'import')
                """).all().map { try $0.decode(column: "speaker_id", as: Int.self) }
            try await sql.raw("""
                DELETE FROM appearances WHERE event_id = \(bind: eventID) AND coalesce(extractor, '') NOT IN ('user', 'import')
                """).run()
            try await sql.raw("""
                DELETE FROM field_provenance WHERE event_id = \(bind: eventID) AND origin IN (\(binds: Self.extractedOrigins))
                """).run()
            var current: [Int] = []
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            // Appearances a user or an import made stay; the event's people join them.
            var kept = Set(try await sql.raw("SELECT speaker_id FROM appearances WHERE event_id = \(bind: eventID)").all()
                .map { try $0.decode(column: "speaker_id", as: Int.self) })
            var appearanceRows: [SQLQueryString] = []
            var provenanceRows: [SQLQueryString] = []
            let now = Date()
            for person in people {
                let speakerID = try await matcher.speaker(for: person, eventID: eventID, on: tx)
                guard !current.contains(speakerID), kept.insert(speakerID).inserted else { continue }
                current.append(speakerID)
                let raw = String(decoding: try encoder.encode(person), as: UTF8.self)
                appearanceRows.append("(\(bind: speakerID), \(bind: eventID), \(bind: person.role.rawValue), \(bind: raw), \(bind: person.extractor), \(bind: person.confidence), \(bind: now))")
                let origin = Self.origin(of: person).rawValue
                var fields: [(String, String?)] = [("name", person.name), ("title", person.title), ("affiliation", person.primaryAffiliation),
                                                   ("bio", person.bio), ("photo_url", person.photoURL), ("honorific", person.honorific)]
                if !person.links.isEmpty { fields.append(("links", String(decoding: try encoder.encode(person.links), as: UTF8.self))) }
                for (field, value) in fields {
                    guard let value else { continue }
                    provenanceRows.append("(\(bind: speakerID), \(bind: field), \(bind: value), \(bind: origin), \(bind: eventID), \(bind: person.extractor), \(bind: person.confidence), \(bind: now))")
                }
            }
            for chunk in appearanceRows.chunked(into: 100) {
                try await sql.raw("""
                    INSERT INTO appearances (speaker_id, event_id, role, raw, extractor, confidence, created_at) VALUES \(chunk.joined(separator: ", "))
                    """).run()
            }
            for chunk in provenanceRows.chunked(into: 100) {
                try await sql.raw("""
                    INSERT INTO field_provenance (speaker_id, field, value, origin, event_id, extractor, confidence, created_at) VALUES \(chunk.joined(separator: ", "))
                    """).run()
            }
            let affected = Array(Set(previous + current))
            try await SpeakerFieldResolver(tx).refresh(speakerIDs: affected)
            let removed = try await Self.removeOrphans(among: previous.filter { !current.contains($0) }, on: tx)
            try await SpeakerSearchIndex.remove(speakerIDs: removed, on: tx)
            try await SpeakerSearchIndex.refresh(speakerIDs: affected.filter { !removed.contains($0) }, on: tx)
            try await sql.raw("""
                UPDATE events SET extract_state = 'done', extract_error = NULL, extract_note = \(bind: note),
                       extracted_at = \(bind: Date()), extract_attempts = extract_attempts + 1, updated_at = \(bind: Date())
                WHERE id = \(bind: eventID)
                """).run()
            return current
        }
    }

    static func origin(of person: ExtractedPerson) -> FieldProvenance.Origin {
        if person.extractor.contains("llm") && !person.extractor.contains("+") { return .llm }
        if ["json-ld", "microdata", "microformats", "rdfa"].contains(where: person.extractor.contains) { return .structured }
        return .extractor
    }

    /// Deletes speakers with no appearance and no value a user gave; returns their ids.
    static func removeOrphans(among ids: [Int], on db: any Database) async throws -> [Int] {
        guard !ids.isEmpty else { return [] }
        let sql = try db.sqlDatabase()
        let orphans = try await sql.raw("""
            SELECT s.id FROM speakers s WHERE s.id IN (\(binds: ids))
              AND NOT EXISTS (SELECT 1 FROM appearances a WHERE a.speaker_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM field_provenance p WHERE p.speaker_id = s.id AND p.origin IN ('user', 'import'))
            """).all().map { try $0.decode(column: "id", as: Int.self) }
        if !orphans.isEmpty {
            try await sql.raw("DELETE FROM speakers WHERE id IN (\(binds: orphans))").run()
        }
        return orphans
    }

    /// Marks an event's extraction as failed with the reason.
    public static func recordFailure(eventID: Int, error: String, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE events SET extract_state = 'failed', extract_error = \(bind: String(error.prefix(500))),
                       extract_attempts = extract_attempts + 1, updated_at = \(bind: Date())
                WHERE id = \(bind: eventID)
                """).run()
        }
    }
}

/// Finds the speaker an extracted person is: the same folded name with a compatible
/// organisation (the same, or one side has none). Different organisations under one name
/// stay different people; the identity resolver (`speakerdb resolve`) looks further.
public struct SpeakerMatcher: Sendable {
    public init() {}

    public func speaker(for person: ExtractedPerson, eventID: Int, on db: any Database) async throws -> Int {
        let key = TextNormalization.matchKey(person.name)
        let candidates = try await Speaker.query(on: db).filter(\.$nameKey == key).all()
        let organisation = person.primaryAffiliation.map(AffiliationKey.make)
        let compatible = candidates.filter { candidate in
            guard let organisation, let theirs = candidate.affiliation.map(AffiliationKey.make) else { return true }
            return organisation == theirs || organisation.contains(theirs) || theirs.contains(organisation)
        }
        if let match = compatible.first {
            return try match.requireID()
        }
        let speaker = Speaker(name: person.name, title: person.title, affiliation: person.primaryAffiliation, bio: person.bio)
        speaker.photoURL = person.photoURL
        try await speaker.create(on: db)
        return try speaker.requireID()
    }
}

/// A comparable form of an organisation name: folded, without legal suffixes and "the".
public enum AffiliationKey {
    static let dropped: Set<String> = ["the", "inc", "ltd", "llc", "gmbh", "ag", "plc", "corp", "co", "sa", "srl", "bv", "nv", "株式会社"]

    public static func make(_ name: String) -> String {
        TextNormalization.matchKey(name).split(separator: " ").filter { !dropped.contains(String($0)) }.joined(separator: " ")
    }
}

/// Chooses the value shown for each speaker field from everything recorded about it:
/// a user's correction first, then values read from pages (structured data, page text,
/// imports) before model guesses, then the newest event, then the surest extractor.
public struct SpeakerFieldResolver: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    static let originRank: [String: Int] = ["user": 0, "import": 1, "structured": 1, "page": 1, "extractor": 2, "llm": 3, "enrichment": 4]

    struct Row: Decodable {
        var speaker_id: Int
        var field: String
        var value: String?
        var origin: String
        var confidence: Double
        var starts_on: String?
        var id: Int
    }

    public func refresh(speakerIDs: [Int]) async throws {
        guard !speakerIDs.isEmpty else { return }
        let sql = try db.sqlDatabase()
        for chunk in stride(from: 0, to: speakerIDs.count, by: 400).map({ Array(speakerIDs[$0..<min($0 + 400, speakerIDs.count)]) }) {
            let rows = try await sql.raw("""
                SELECT p.id, p.speaker_id, p.field, p.value, p.origin, p.confidence, e.starts_on
                FROM field_provenance p LEFT JOIN events e ON e.id = p.event_id
                WHERE p.speaker_id IN (\(binds: chunk)) AND p.value IS NOT NULL
                """).all(decoding: Row.self)
            let bySpeaker = Dictionary(grouping: rows, by: \.speaker_id)
            let speakers = try await Speaker.query(on: db).filter(\.$id ~~ chunk).all()
            for speaker in speakers {
                guard let id = speaker.id else { continue }
                let fields = Dictionary(grouping: bySpeaker[id] ?? [], by: \.field)
                func best(_ field: String) -> String? {
                    fields[field]?.min { a, b in
                        let ra = Self.originRank[a.origin] ?? 5, rb = Self.originRank[b.origin] ?? 5
                        if ra != rb { return ra < rb }
                        if (a.starts_on ?? "") != (b.starts_on ?? "") { return (a.starts_on ?? "") > (b.starts_on ?? "") }
                        if a.confidence != b.confidence { return a.confidence > b.confidence }
                        return a.id > b.id
                    }?.value
                }
                if let names = fields["name"], !names.contains(where: { $0.origin == "user" }) {
                    // The fullest spelling seen (not "A. Okafor"), ties to the most recent.
                    let fullest = names.filter { !$0.value!.split(separator: " ").contains { PersonNameDetector.isInitial(String($0)) } }
                        .max { ($0.value!.count, $0.id) < ($1.value!.count, $1.id) }
                    if let name = fullest?.value ?? best("name") {
                        speaker.name = name
                        speaker.nameKey = TextNormalization.matchKey(name)
                    }
                } else if let name = best("name") {
                    speaker.name = name
                    speaker.nameKey = TextNormalization.matchKey(name)
                }
                speaker.title = best("title")
                speaker.affiliation = best("affiliation")
                speaker.bio = fields["bio"].flatMap { rows in
                    let rank = rows.map { Self.originRank[$0.origin] ?? 5 }.min() ?? 5
                    return rows.filter { (Self.originRank[$0.origin] ?? 5) == rank }.compactMap(\.value).max { $0.count < $1.count }
                }
                speaker.photoURL = best("photo_url")
                speaker.links = best("links")
                if speaker.hasChanges { try await speaker.save(on: db) }
            }
        }
    }
}
