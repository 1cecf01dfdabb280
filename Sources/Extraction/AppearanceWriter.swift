import Names
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
    static let extractedOrigins = ["structured", "extractor", "prose", "llm", "page"]

    /// One event's extraction result, ready to store.
    public struct Entry: Sendable {
        public var eventID: Int
        public var people: [ExtractedPerson]
        public var note: String

        public init(eventID: Int, people: [ExtractedPerson], note: String) {
            self.eventID = eventID
            self.people = people
            self.note = note
        }
    }

    /// Returns the ids of the speakers the event now has.
    @discardableResult
    public func replace(eventID: Int, people: [ExtractedPerson], note: String) async throws -> [Int] {
        try await replace([Entry(eventID: eventID, people: people, note: note)])[eventID] ?? []
    }

    /// Stores several events' results in one transaction, in order (a person on a later
    /// event matches a speaker an earlier one created). Each step is one statement for the
    /// whole batch, and the speakers' shown fields, the search index and orphan removal
    /// run once per batch: that is what makes a batch cheaper than a transaction per
    /// event. The events must be distinct. Returns each event's speaker ids.
    @discardableResult
    public func replace(_ entries: [Entry]) async throws -> [Int: [Int]] {
        guard !entries.isEmpty else { return [:] }
        let eventIDs = entries.map(\.eventID)
        precondition(Set(eventIDs).count == eventIDs.count, "one entry per event")
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            let previous = Set(try await sql.raw("""
                SELECT speaker_id FROM appearances WHERE event_id IN (\(binds: eventIDs)) AND coalesce(extractor, '') NOT IN ('user', 'import')
                """).all().map { try $0.decode(column: "speaker_id", as: Int.self) })
            try await sql.raw("""
                DELETE FROM appearances WHERE event_id IN (\(binds: eventIDs)) AND coalesce(extractor, '') NOT IN ('user', 'import')
                """).run()
            try await sql.raw("""
                DELETE FROM field_provenance WHERE event_id IN (\(binds: eventIDs)) AND origin IN (\(binds: Self.extractedOrigins))
                """).run()
            // Appearances a user or an import made stay; the event's people join them.
            var kept: [Int: Set<Int>] = [:]
            for row in try await sql.raw("SELECT event_id, speaker_id FROM appearances WHERE event_id IN (\(binds: eventIDs))").all() {
                kept[try row.decode(column: "event_id", as: Int.self), default: []].insert(try row.decode(column: "speaker_id", as: Int.self))
            }
            var candidates = try await matcher.candidates(forNames: entries.flatMap { $0.people.map(\.name) }, on: tx)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var speakersByEvent: [Int: [Int]] = [:]
            var appearanceRows: [SQLQueryString] = []
            var provenanceRows: [SQLQueryString] = []
            let now = Date()
            for entry in entries {
                let eventID = entry.eventID
                var current: [Int] = []
                var onEvent = kept[eventID] ?? []
                for person in entry.people {
                    let speakerID = try await matcher.speaker(for: person, candidates: &candidates, on: tx)
                    guard onEvent.insert(speakerID).inserted else { continue }
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
                speakersByEvent[eventID] = current
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
            for entry in entries {
                try await sql.raw("""
                    UPDATE events SET extract_state = 'done', extract_error = NULL, extract_note = \(bind: entry.note),
                           extracted_at = \(bind: now), extract_attempts = extract_attempts + 1, updated_at = \(bind: now)
                    WHERE id = \(bind: entry.eventID)
                    """).run()
            }
            let current = Set(speakersByEvent.values.joined())
            let affected = previous.union(current).sorted()
            try await SpeakerFieldResolver(tx).refresh(speakerIDs: affected)
            let removed = try await Self.removeOrphans(among: previous.subtracting(current).sorted(), on: tx)
            try await SpeakerSearchIndex.remove(speakerIDs: removed, on: tx)
            try await SpeakerSearchIndex.refresh(speakerIDs: affected.filter { !removed.contains($0) }, on: tx)
            return speakersByEvent
        }
    }

    static func origin(of person: ExtractedPerson) -> FieldProvenance.Origin {
        if person.extractor.contains("llm") && !person.extractor.contains("+") { return .llm }
        if ["json-ld", "microdata", "microformats", "rdfa"].contains(where: person.extractor.contains) { return .structured }
        // Found only in prose (every extractor that agreed on the person read sentences).
        if person.extractor.split(separator: "+").allSatisfy({ ExtractionChain.isProse(String($0)) }) { return .prose }
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
            try await SpeakerLinks.recordRemoved(orphans, reason: "No event page names this speaker any more.", on: sql)
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

    /// Speakers already stored under a name, as the matcher compares them.
    public struct Candidate: Sendable {
        public var id: Int
        public var organisation: String?
    }

    /// The stored speakers under each of the names' match keys, oldest first, read in one
    /// query (plain SQL, not Fluent models: this runs for every page).
    public func candidates(forNames names: [String], on db: any Database) async throws -> [String: [Candidate]] {
        let keys = Array(Set(names.map(TextNormalization.matchKey))).sorted()
        var result: [String: [Candidate]] = [:]
        let sql = try db.sqlDatabase()
        for chunk in keys.chunked(into: 500) {
            for row in try await sql.raw("SELECT id, name_key, affiliation FROM speakers WHERE name_key IN (\(binds: chunk)) ORDER BY id").all() {
                result[try row.decode(column: "name_key", as: String.self), default: []].append(Candidate(
                    id: try row.decode(column: "id", as: Int.self),
                    organisation: try row.decode(column: "affiliation", as: String?.self).map(AffiliationKey.make)))
            }
        }
        return result
    }

    /// The first compatible candidate, or a new speaker (added to `candidates`, so later
    /// people of the same batch find it).
    public func speaker(for person: ExtractedPerson, candidates: inout [String: [Candidate]], on db: any Database) async throws -> Int {
        let key = TextNormalization.matchKey(person.name)
        let organisation = person.primaryAffiliation.map(AffiliationKey.make)
        for candidate in candidates[key] ?? [] {
            guard let organisation, let theirs = candidate.organisation else { return candidate.id }
            if organisation == theirs || organisation.contains(theirs) || theirs.contains(organisation) { return candidate.id }
        }
        let now = Date()
        guard let row = try await db.sqlDatabase().raw("""
            INSERT INTO speakers (name, name_key, title, affiliation, bio, photo_url, created_at, updated_at)
            VALUES (\(bind: person.name), \(bind: key), \(bind: person.title), \(bind: person.primaryAffiliation), \(bind: person.bio),
                    \(bind: person.photoURL), \(bind: now), \(bind: now))
            RETURNING id
            """).first() else { throw ExtractionFailure("the new speaker got no id") }
        let id = try row.decode(column: "id", as: Int.self)
        candidates[key, default: []].append(Candidate(id: id, organisation: organisation))
        return id
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
/// imports) before model guesses, then the newest event, then the surest extractor, then
/// the value most records agree on. Nothing depends on the order pages were stored.
public struct SpeakerFieldResolver: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

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
            let speakers = try await sql.raw("""
                SELECT id, name, name_key, title, affiliation, bio, photo_url, links FROM speakers WHERE id IN (\(binds: chunk))
                """).all(decoding: Shown.self)
            for stored in speakers {
                var speaker = stored
                let fields = Dictionary(grouping: bySpeaker[speaker.id] ?? [], by: \.field)
                func best(_ field: String) -> String? {
                    guard let rows = fields[field] else { return nil }
                    // How many records give each value: pages that agree outvote one that differs.
                    var support: [String: Int] = [:]
                    for row in rows { support[row.value!, default: 0] += 1 }
                    return rows.min { a, b in
                        let ra = FieldOrigin.rank(of: a.origin), rb = FieldOrigin.rank(of: b.origin)
                        if ra != rb { return ra < rb }
                        // A person's latest word (a correction, an import) replaces their earlier one.
                        if FieldOrigin.isGiven(a.origin) && a.origin == b.origin { return a.id > b.id }
                        if (a.starts_on ?? "") != (b.starts_on ?? "") { return (a.starts_on ?? "") > (b.starts_on ?? "") }
                        if a.confidence != b.confidence { return a.confidence > b.confidence }
                        let sa = support[a.value!] ?? 0, sb = support[b.value!] ?? 0
                        if sa != sb { return sa > sb }
                        // Row ids follow the order pages were crawled, which a concurrent crawl
                        // changes from run to run; the value itself is the same on every run.
                        return a.value! < b.value!
                    }?.value
                }
                if let names = fields["name"], !names.contains(where: { $0.origin == "user" }) {
                    // The fullest spelling seen (not "A. Okafor"); of equally long ones, the
                    // spelling most records use, then the first in code-point order.
                    var spellings: [String: Int] = [:]
                    for row in names { spellings[row.value!, default: 0] += 1 }
                    let fullest = names.filter { !$0.value!.split(separator: " ").contains { PersonNameDetector.isInitial(String($0)) } }
                        .max { ($0.value!.count, spellings[$0.value!] ?? 0, $1.value!) < ($1.value!.count, spellings[$1.value!] ?? 0, $0.value!) }
                    if let name = fullest?.value ?? best("name") {
                        speaker.name = name
                        speaker.name_key = TextNormalization.matchKey(name)
                    }
                } else if let name = best("name") {
                    speaker.name = name
                    speaker.name_key = TextNormalization.matchKey(name)
                }
                speaker.title = best("title")
                speaker.affiliation = best("affiliation")
                speaker.bio = fields["bio"].flatMap { rows in
                    let rank = rows.map { FieldOrigin.rank(of: $0.origin) }.min() ?? 6
                    return rows.filter { FieldOrigin.rank(of: $0.origin) == rank }.compactMap(\.value).max { $0.count < $1.count }
                }
                speaker.photo_url = best("photo_url")
                speaker.links = best("links")
                if speaker != stored {
                    try await sql.raw("""
                        UPDATE speakers SET name = \(bind: speaker.name), name_key = \(bind: speaker.name_key), title = \(bind: speaker.title),
                               affiliation = \(bind: speaker.affiliation), bio = \(bind: speaker.bio), photo_url = \(bind: speaker.photo_url),
                               links = \(bind: speaker.links), updated_at = \(bind: Date())
                        WHERE id = \(bind: speaker.id)
                        """).run()
                }
            }
        }
    }

    /// A speaker's shown fields as stored (plain SQL rows: Fluent's model reflection was
    /// a tenth of extraction's time).
    struct Shown: Decodable, Equatable {
        var id: Int
        var name: String
        var name_key: String
        var title: String?
        var affiliation: String?
        var bio: String?
        var photo_url: String?
        var links: String?
    }
}
