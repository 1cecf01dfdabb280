import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// A timestamp exactly as the database holds it: SQLite's REAL seconds (which a `Date`
/// would round to microseconds) or PostgreSQL's timestamp, so a restored row is identical.
public enum StoredTime: Codable, Sendable, Equatable {
    case real(Double)
    case date(Date)

    enum Keys: String, CodingKey { case real, date }

    public init(from decoder: any Decoder) throws {
        if let value = try? decoder.singleValueContainer().decode(Double.self) {
            self = .real(value)
        } else if let keyed = try? decoder.container(keyedBy: Keys.self), let value = try? keyed.decode(Double.self, forKey: .real) {
            self = .real(value)
        } else if let keyed = try? decoder.container(keyedBy: Keys.self), let value = try? keyed.decode(Double.self, forKey: .date) {
            self = .date(Date(timeIntervalSinceReferenceDate: value))
        } else {
            self = .date(try decoder.singleValueContainer().decode(Date.self))
        }
    }

    /// The JSON form of a snapshot.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .real(let value): try container.encode(value, forKey: .real)
        case .date(let value): try container.encode(value.timeIntervalSinceReferenceDate, forKey: .date)
        }
    }

    /// The value to bind when a row is written back.
    static func bind(_ time: StoredTime?) -> any SQLExpression {
        switch time {
        case .real(let value): SQLBind(value)
        case .date(let value): SQLBind(value)
        case nil: SQLLiteral.null
        }
    }
}

/// Every column of a speaker row, for snapshots that restore it exactly.
public struct SpeakerRow: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var name_key: String
    public var title: String?
    public var affiliation: String?
    public var bio: String?
    public var photo_url: String?
    public var location: String?
    public var links: String?
    public var created_at: StoredTime?
    public var updated_at: StoredTime?

    static let columns = "id, name, name_key, title, affiliation, bio, photo_url, location, links, created_at, updated_at"
}

/// Every column of an appearance row.
public struct AppearanceRow: Codable, Sendable, Equatable {
    public var id: Int
    public var speaker_id: Int
    public var event_id: Int
    public var role: String
    public var raw: String?
    public var extractor: String?
    public var confidence: Double?
    public var created_at: StoredTime?

    static let columns = "id, speaker_id, event_id, role, raw, extractor, confidence, created_at"
}

/// Every column of a review-queue row.
public struct CandidateRow: Codable, Sendable, Equatable {
    public var id: Int
    public var speaker_a: Int
    public var speaker_b: Int
    public var probability: Double
    public var reasons: String
    public var status: String
    public var created_at: StoredTime?
    public var decided_at: StoredTime?

    static let columns = "id, speaker_a, speaker_b, probability, reasons, status, created_at, decided_at"
}

/// Every column of a `speaker_attributes` row (a user-set value a merge had to drop).
public struct AttributeRow: Codable, Sendable, Equatable {
    public var id: Int
    public var speaker_id: Int
    public var kind: String
    public var value: String
    public var label: String
    public var origin: String
    public var confidence: Double
    public var event_id: Int?
    public var evidence: String?
    public var created_at: Int64

    static let columns = "id, speaker_id, kind, value, label, origin, confidence, event_id, evidence, created_at"
}

/// What a merge changed, so `split` can put it back.
public struct MergeSnapshot: Codable, Sendable, Equatable {
    public var merged: SpeakerRow
    public var keptBefore: SpeakerRow
    public var keptAfter: SpeakerRow?
    public var movedAppearances: [Int]
    public var movedProvenance: [Int]
    /// Appearances of the merged speaker at events where the kept one already appeared.
    public var deletedAppearances: [AppearanceRow]
    public var deletedCandidates: [CandidateRow]
    /// Earlier merges that kept the merged speaker (their link is cleared while it is gone).
    public var mergesKeptByMerged: [Int] = []
    /// The merged speaker's corrections and user-set attributes, moved to the kept one.
    public var movedCorrections: [Int] = []
    public var movedAttributes: [Int] = []
    /// Its user-set attributes the kept speaker already had (dropped by the merge).
    public var deletedAttributes: [AttributeRow] = []

    public init(merged: SpeakerRow, keptBefore: SpeakerRow, keptAfter: SpeakerRow?, movedAppearances: [Int], movedProvenance: [Int],
                deletedAppearances: [AppearanceRow], deletedCandidates: [CandidateRow], mergesKeptByMerged: [Int]) {
        self.merged = merged
        self.keptBefore = keptBefore
        self.keptAfter = keptAfter
        self.movedAppearances = movedAppearances
        self.movedProvenance = movedProvenance
        self.deletedAppearances = deletedAppearances
        self.deletedCandidates = deletedCandidates
        self.mergesKeptByMerged = mergesKeptByMerged
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        merged = try container.decode(SpeakerRow.self, forKey: .merged)
        keptBefore = try container.decode(SpeakerRow.self, forKey: .keptBefore)
        keptAfter = try container.decodeIfPresent(SpeakerRow.self, forKey: .keptAfter)
        movedAppearances = try container.decode([Int].self, forKey: .movedAppearances)
        movedProvenance = try container.decode([Int].self, forKey: .movedProvenance)
        deletedAppearances = try container.decode([AppearanceRow].self, forKey: .deletedAppearances)
        deletedCandidates = try container.decode([CandidateRow].self, forKey: .deletedCandidates)
        mergesKeptByMerged = try container.decodeIfPresent([Int].self, forKey: .mergesKeptByMerged) ?? []
        // Merges recorded before corrections and attributes were kept in the snapshot.
        movedCorrections = try container.decodeIfPresent([Int].self, forKey: .movedCorrections) ?? []
        movedAttributes = try container.decodeIfPresent([Int].self, forKey: .movedAttributes) ?? []
        deletedAttributes = try container.decodeIfPresent([AttributeRow].self, forKey: .deletedAttributes) ?? []
    }

    /// Snapshots keep dates as Foundation's own seconds, so restored rows are bit-identical.
    public static func decode(_ text: String) throws -> MergeSnapshot {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return try decoder.decode(MergeSnapshot.self, from: Data(text.utf8))
    }

    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

public enum MergeError: Error, CustomStringConvertible, Equatable {
    case sameSpeaker
    case missingSpeaker(Int)
    case missingMerge(Int)
    case missingCandidate(Int)
    case alreadyUndone(Int)
    case keptSpeakerGone(mergeID: Int)
    case idTaken(Int)

    public var description: String {
        switch self {
        case .sameSpeaker: "a speaker cannot be merged with itself"
        case .missingSpeaker(let id): "there is no speaker \(id)"
        case .missingMerge(let id): "there is no merge \(id)"
        case .missingCandidate(let id): "there is no review pair \(id)"
        case .alreadyUndone(let id): "merge \(id) was already undone"
        case .keptSpeakerGone(let id): "the speaker merge \(id) kept was itself merged or removed; undo the later merge first"
        case .idTaken(let id): "speaker id \(id) is in use again; the merge cannot be undone"
        }
    }
}

/// Merges two speakers in one transaction — every child row moves, each shown field is
/// recomputed by the stated rules, an audit entry keeps a snapshot — and splits a merge
/// back exactly.
public struct SpeakerMerger: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    static func speakerRow(_ id: Int, on sql: any SQLDatabase) async throws -> SpeakerRow? {
        try await sql.raw("SELECT \(unsafeRaw: SpeakerRow.columns) FROM speakers WHERE id = \(bind: id)").first(decoding: SpeakerRow.self)
    }

    /// Merges `absorbed` into `kept`; returns the merge's id.
    @discardableResult
    public func merge(keep kept: Int, absorb absorbed: Int, decidedBy: String, probability: Double? = nil, reasons: [String] = [],
                      refreshFields: @escaping @Sendable (any Database, [Int]) async throws -> Void) async throws -> Int {
        guard kept != absorbed else { throw MergeError.sameSpeaker }
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            guard let keptRow = try await Self.speakerRow(kept, on: sql) else { throw MergeError.missingSpeaker(kept) }
            guard let mergedRow = try await Self.speakerRow(absorbed, on: sql) else { throw MergeError.missingSpeaker(absorbed) }
            let keptEvents = Set(try await sql.raw("SELECT event_id FROM appearances WHERE speaker_id = \(bind: kept)").all()
                .map { try $0.decode(column: "event_id", as: Int.self) })
            let mergedAppearances = try await sql.raw("SELECT \(unsafeRaw: AppearanceRow.columns) FROM appearances WHERE speaker_id = \(bind: absorbed) ORDER BY id")
                .all(decoding: AppearanceRow.self)
            let conflicting = mergedAppearances.filter { keptEvents.contains($0.event_id) }
            let moving = mergedAppearances.filter { !keptEvents.contains($0.event_id) }.map(\.id)
            if !conflicting.isEmpty {
                try await sql.raw("DELETE FROM appearances WHERE id IN (\(binds: conflicting.map(\.id)))").run()
            }
            if !moving.isEmpty {
                try await sql.raw("UPDATE appearances SET speaker_id = \(bind: kept) WHERE id IN (\(binds: moving))").run()
            }
            let provenance = try await sql.raw("SELECT id FROM field_provenance WHERE speaker_id = \(bind: absorbed) ORDER BY id").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            try await sql.raw("UPDATE field_provenance SET speaker_id = \(bind: kept) WHERE speaker_id = \(bind: absorbed)").run()
            let candidates = try await sql.raw("""
                SELECT \(unsafeRaw: CandidateRow.columns) FROM identity_candidates WHERE speaker_a = \(bind: absorbed) OR speaker_b = \(bind: absorbed) ORDER BY id
                """).all(decoding: CandidateRow.self)
            try await sql.raw("DELETE FROM identity_candidates WHERE speaker_a = \(bind: absorbed) OR speaker_b = \(bind: absorbed)").run()
            let keptByMerged = try await sql.raw("SELECT id FROM speaker_merges WHERE kept_speaker_id = \(bind: absorbed) ORDER BY id").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            // People's work is not lost with the absorbed record: its corrections (pending or
            // decided) and the attributes users set move to the kept speaker. Enriched values
            // are recomputed for the kept speaker (the index refresh below marks it stale).
            // The snapshot lists what moved (and the user values the kept speaker already
            // had, which go), so a split gives them back.
            let corrections = try await sql.raw("SELECT id FROM corrections WHERE speaker_id = \(bind: absorbed) ORDER BY id").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            for chunk in corrections.chunked(into: 500) {
                try await sql.raw("UPDATE corrections SET speaker_id = \(bind: kept) WHERE id IN (\(binds: chunk))").run()
            }
            let userAttributes = try await sql.raw("""
                SELECT \(unsafeRaw: AttributeRow.columns) FROM speaker_attributes WHERE speaker_id = \(bind: absorbed) AND origin = 'user' ORDER BY id
                """).all(decoding: AttributeRow.self)
            let keptUserValues = Set(try await sql.raw("SELECT kind, value FROM speaker_attributes WHERE speaker_id = \(bind: kept) AND origin = 'user'").all()
                .map { [try $0.decode(column: "kind", as: String.self), try $0.decode(column: "value", as: String.self)] })
            let duplicateAttributes = userAttributes.filter { keptUserValues.contains([$0.kind, $0.value]) }
            let movingAttributes = userAttributes.filter { !keptUserValues.contains([$0.kind, $0.value]) }.map(\.id)
            for chunk in movingAttributes.chunked(into: 500) {
                try await sql.raw("UPDATE speaker_attributes SET speaker_id = \(bind: kept) WHERE id IN (\(binds: chunk))").run()
            }
            try await sql.raw("DELETE FROM speakers WHERE id = \(bind: absorbed)").run()
            try await SpeakerSearchIndex.remove(speakerIDs: [absorbed], on: tx)
            try await refreshFields(tx, [kept])
            // A field no provenance row speaks for (imported or legacy data) keeps what either
            // record showed, the kept one's first: a merge never blanks a field.
            try await sql.raw("""
                UPDATE speakers SET title = COALESCE(title, \(bind: keptRow.title), \(bind: mergedRow.title)),
                    affiliation = COALESCE(affiliation, \(bind: keptRow.affiliation), \(bind: mergedRow.affiliation)),
                    bio = COALESCE(bio, \(bind: keptRow.bio), \(bind: mergedRow.bio)),
                    photo_url = COALESCE(photo_url, \(bind: keptRow.photo_url), \(bind: mergedRow.photo_url)),
                    location = COALESCE(location, \(bind: keptRow.location), \(bind: mergedRow.location)),
                    links = COALESCE(links, \(bind: keptRow.links), \(bind: mergedRow.links))
                WHERE id = \(bind: kept)
                """).run()
            try await SpeakerSearchIndex.refresh(speakerIDs: [kept], on: tx)
            var snapshot = MergeSnapshot(merged: mergedRow, keptBefore: keptRow, keptAfter: try await Self.speakerRow(kept, on: sql),
                                         movedAppearances: moving, movedProvenance: provenance,
                                         deletedAppearances: conflicting, deletedCandidates: candidates, mergesKeptByMerged: keptByMerged)
            snapshot.movedCorrections = corrections
            snapshot.movedAttributes = movingAttributes
            snapshot.deletedAttributes = duplicateAttributes
            let merge = SpeakerMerge()
            merge.$kept.id = kept
            merge.mergedSpeakerID = absorbed
            merge.snapshot = try snapshot.encoded()
            merge.probability = probability
            merge.reasons = String(decoding: try JSONEncoder().encode(reasons), as: UTF8.self)
            merge.decidedBy = decidedBy
            try await merge.create(on: tx)
            return try merge.requireID()
        }
    }

    /// Undoes a merge: the merged speaker comes back with its id, its rows return to it,
    /// and the kept speaker's fields are what they were (recomputed if it changed since).
    public func split(mergeID: Int, refreshFields: @escaping @Sendable (any Database, [Int]) async throws -> Void) async throws {
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            guard let merge = try await SpeakerMerge.find(mergeID, on: tx) else { throw MergeError.missingMerge(mergeID) }
            guard merge.undoneAt == nil else { throw MergeError.alreadyUndone(mergeID) }
            guard let kept = merge.$kept.id, let keptNow = try await Self.speakerRow(kept, on: sql) else { throw MergeError.keptSpeakerGone(mergeID: mergeID) }
            let snapshot = try MergeSnapshot.decode(merge.snapshot)
            let row = snapshot.merged
            if try await Self.speakerRow(row.id, on: sql) != nil { throw MergeError.idTaken(row.id) }
            try await sql.raw("""
                INSERT INTO speakers (\(unsafeRaw: SpeakerRow.columns)) VALUES (\(bind: row.id), \(bind: row.name), \(bind: row.name_key), \(bind: row.title),
                    \(bind: row.affiliation), \(bind: row.bio), \(bind: row.photo_url), \(bind: row.location), \(bind: row.links), \(StoredTime.bind(row.created_at)), \(StoredTime.bind(row.updated_at)))
                """).run()
            if !snapshot.mergesKeptByMerged.isEmpty {
                try await sql.raw("UPDATE speaker_merges SET kept_speaker_id = \(bind: row.id) WHERE id IN (\(binds: snapshot.mergesKeptByMerged)) AND kept_speaker_id IS NULL").run()
            }
            if !snapshot.movedAppearances.isEmpty {
                try await sql.raw("UPDATE appearances SET speaker_id = \(bind: row.id) WHERE id IN (\(binds: snapshot.movedAppearances)) AND speaker_id = \(bind: kept)").run()
            }
            for appearance in snapshot.deletedAppearances {
                let eventExists = try await sql.raw("SELECT 1 AS ok FROM events WHERE id = \(bind: appearance.event_id)").first() != nil
                let idFree = try await sql.raw("SELECT 1 AS ok FROM appearances WHERE id = \(bind: appearance.id)").first() == nil
                guard eventExists && idFree else { continue }
                try await sql.raw("""
                    INSERT INTO appearances (\(unsafeRaw: AppearanceRow.columns)) VALUES (\(bind: appearance.id), \(bind: row.id), \(bind: appearance.event_id),
                        \(bind: appearance.role), \(bind: appearance.raw), \(bind: appearance.extractor), \(bind: appearance.confidence), \(StoredTime.bind(appearance.created_at)))
                    """).run()
            }
            if !snapshot.movedProvenance.isEmpty {
                for chunk in snapshot.movedProvenance.chunked(into: 500) {
                    try await sql.raw("UPDATE field_provenance SET speaker_id = \(bind: row.id) WHERE id IN (\(binds: chunk)) AND speaker_id = \(bind: kept)").run()
                }
            }
            // Corrections and user-set values go back to the speaker they were made on.
            for chunk in snapshot.movedCorrections.chunked(into: 500) {
                try await sql.raw("UPDATE corrections SET speaker_id = \(bind: row.id) WHERE id IN (\(binds: chunk)) AND speaker_id = \(bind: kept)").run()
            }
            for chunk in snapshot.movedAttributes.chunked(into: 500) {
                try await sql.raw("UPDATE speaker_attributes SET speaker_id = \(bind: row.id) WHERE id IN (\(binds: chunk)) AND speaker_id = \(bind: kept)").run()
            }
            for attribute in snapshot.deletedAttributes {
                let idFree = try await sql.raw("SELECT 1 AS ok FROM speaker_attributes WHERE id = \(bind: attribute.id)").first() == nil
                var eventID = attribute.event_id
                if let event = eventID, try await sql.raw("SELECT 1 AS ok FROM events WHERE id = \(bind: event)").first() == nil { eventID = nil }
                guard idFree else { continue }
                try await sql.raw("""
                    INSERT INTO speaker_attributes (\(unsafeRaw: AttributeRow.columns)) VALUES (\(bind: attribute.id), \(bind: row.id), \(bind: attribute.kind),
                        \(bind: attribute.value), \(bind: attribute.label), \(bind: attribute.origin), \(bind: attribute.confidence), \(bind: eventID),
                        \(bind: attribute.evidence), \(bind: attribute.created_at))
                    """).run()
            }
            for candidate in snapshot.deletedCandidates {
                let othersExist = try await sql.raw("SELECT COUNT(*) AS n FROM speakers WHERE id IN (\(bind: candidate.speaker_a), \(bind: candidate.speaker_b))").first()?
                    .decode(column: "n", as: Int.self) == 2
                guard othersExist else { continue }
                try await sql.raw("""
                    INSERT INTO identity_candidates (\(unsafeRaw: CandidateRow.columns)) VALUES (\(bind: candidate.id), \(bind: candidate.speaker_a), \(bind: candidate.speaker_b),
                        \(bind: candidate.probability), \(bind: candidate.reasons), \(bind: candidate.status), \(StoredTime.bind(candidate.created_at)), \(StoredTime.bind(candidate.decided_at)))
                    """).run()
            }
            // The kept speaker as it was, unless it changed after the merge.
            if keptNow == snapshot.keptAfter {
                let before = snapshot.keptBefore
                try await sql.raw("""
                    UPDATE speakers SET name = \(bind: before.name), name_key = \(bind: before.name_key), title = \(bind: before.title),
                        affiliation = \(bind: before.affiliation), bio = \(bind: before.bio), photo_url = \(bind: before.photo_url),
                        location = \(bind: before.location), links = \(bind: before.links), updated_at = \(StoredTime.bind(before.updated_at))
                    WHERE id = \(bind: kept)
                    """).run()
            } else {
                try await refreshFields(tx, [kept, row.id])
            }
            try await SpeakerSearchIndex.refresh(speakerIDs: [kept, row.id], on: tx)
            merge.undoneAt = Date()
            try await merge.save(on: tx)
            try await IdentitySequences.resync(on: tx, tables: ["speakers", "appearances", "identity_candidates", "speaker_attributes"])
        }
    }
}
