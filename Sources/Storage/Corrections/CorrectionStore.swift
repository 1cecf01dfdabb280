import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// A suggested edit to a speaker's profile (table `corrections`, migration 022).
public struct Correction: Sendable, Codable, Equatable {
    public enum Field: String, Sendable, Codable, CaseIterable {
        case name, title, affiliation, bio, location, languages, tags
    }

    public enum Status: String, Sendable, Codable {
        case pending, approved, rejected
    }

    public var id: Int
    public var speakerID: Int
    public var speakerName: String?
    public var field: Field
    public var value: String
    public var previous: String?
    public var note: String?
    public var status: Status
    public var suggestedBy: String?
    public var createdAt: Date
    public var reviewedAt: Date?
    public var reviewNote: String?

    enum CodingKeys: String, CodingKey {
        case id, speakerID = "speaker_id", speakerName = "speaker_name", field, value, previous, note, status
        case suggestedBy = "suggested_by", createdAt = "created_at", reviewedAt = "reviewed_at", reviewNote = "review_note"
    }
}

public enum CorrectionError: Error, CustomStringConvertible, Sendable {
    case invalid(String)
    case notFound(Int)
    case alreadyReviewed(Int, String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .notFound(let id): "there is no correction \(id)"
        case .alreadyReviewed(let id, let status): "correction \(id) is already \(status)"
        }
    }
}

/// Stores suggestions and their review. Applying an approved value (with provenance
/// `user`) is `Corrections` in the Search module, which knows places and topics.
public struct CorrectionStore: Sendable {
    let sql: any SQLDatabase

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
    }

    public static let maxValueLength = SpeakerFieldRules.maxBioLength
    public static let maxNoteLength = 1000


    /// Records a suggestion; returns its id.
    public func suggest(speakerID: Int, field: Correction.Field, value: String, previous: String?, note: String?,
                        userID: Int?, username: String?) async throws -> Int {
        let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty || field == .bio || field == .title || field == .affiliation else {
            throw CorrectionError.invalid("the new \(field.rawValue) is empty")
        }
        if let problem = field == .name ? SpeakerFieldRules.problem(withName: value) : SpeakerFieldRules.problem(withText: value, maxLength: Self.maxValueLength) {
            throw CorrectionError.invalid("the new \(field.rawValue) \(problem)")
        }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.maxNoteLength).description
        guard try await sql.raw("SELECT 1 AS one FROM speakers WHERE id = \(bind: speakerID)").first() != nil else {
            throw CorrectionError.invalid("there is no speaker \(speakerID)")
        }
        let row = try await sql.raw("""
            INSERT INTO corrections (speaker_id, field, value, previous, note, status, suggested_by, suggested_by_name, created_ms)
            VALUES (\(bind: speakerID), \(bind: field.rawValue), \(bind: value), \(bind: previous), \(bind: note?.isEmpty == true ? nil : note),
                    'pending', \(bind: userID), \(bind: username), \(bind: Date().epochMilliseconds))
            RETURNING id
            """).first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    struct Row: Decodable {
        var id: Int
        var speaker_id: Int
        var speaker_name: String?
        var field: String
        var value: String
        var previous: String?
        var note: String?
        var status: String
        var suggested_by_name: String?
        var created_ms: Int64
        var reviewed_ms: Int64?
        var review_note: String?
    }

    func correction(_ row: Row) -> Correction? {
        guard let field = Correction.Field(rawValue: row.field), let status = Correction.Status(rawValue: row.status) else { return nil }
        return Correction(id: row.id, speakerID: row.speaker_id, speakerName: row.speaker_name, field: field, value: row.value,
                          previous: row.previous, note: row.note, status: status, suggestedBy: row.suggested_by_name,
                          createdAt: Date(timeIntervalSince1970: Double(row.created_ms) / 1000),
                          reviewedAt: row.reviewed_ms.map { Date(timeIntervalSince1970: Double($0) / 1000) }, reviewNote: row.review_note)
    }

    public func list(status: Correction.Status? = .pending, speakerID: Int? = nil, limit: Int = 200) async throws -> [Correction] {
        var conditions: [SQLQueryString] = []
        if let status { conditions.append("c.status = \(bind: status.rawValue)") }
        if let speakerID { conditions.append("c.speaker_id = \(bind: speakerID)") }
        let filter: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        return try await sql.raw("""
            SELECT c.id, c.speaker_id, s.name AS speaker_name, c.field, c.value, c.previous, c.note, c.status, c.suggested_by_name,
                   c.created_ms, c.reviewed_ms, c.review_note
            FROM corrections c JOIN speakers s ON s.id = c.speaker_id \(filter) ORDER BY c.created_ms, c.id LIMIT \(bind: limit)
            """).all(decoding: Row.self).compactMap(correction)
    }

    public func find(_ id: Int) async throws -> Correction? {
        try await sql.raw("""
            SELECT c.id, c.speaker_id, s.name AS speaker_name, c.field, c.value, c.previous, c.note, c.status, c.suggested_by_name,
                   c.created_ms, c.reviewed_ms, c.review_note
            FROM corrections c JOIN speakers s ON s.id = c.speaker_id WHERE c.id = \(bind: id)
            """).first(decoding: Row.self).flatMap(correction)
    }

    /// Marks a pending correction reviewed; fails when it is not pending any more (two
    /// editors deciding at once: the second is told).
    public func markReviewed(_ id: Int, status: Correction.Status, reviewerID: Int?, note: String?) async throws {
        let rows = try await sql.raw("""
            UPDATE corrections SET status = \(bind: status.rawValue), reviewed_by = \(bind: reviewerID), review_note = \(bind: note),
                   reviewed_ms = \(bind: Date().epochMilliseconds)
            WHERE id = \(bind: id) AND status = 'pending' RETURNING id
            """).all()
        if rows.isEmpty {
            guard let existing = try await find(id) else { throw CorrectionError.notFound(id) }
            throw CorrectionError.alreadyReviewed(id, existing.status.rawValue)
        }
    }

    /// Stores an approved value of a shown field (name, title, affiliation, bio) as the
    /// speaker's, with provenance `user` (replacing an earlier user value of that field).
    public func applyField(speakerID: Int, field: Correction.Field, value: String, correctionID: Int) async throws {
        guard [.name, .title, .affiliation, .bio].contains(field) else { throw CorrectionError.invalid("\(field.rawValue) is not a text field") }
        let stored: String? = value.isEmpty ? nil : value
        try await sql.raw("DELETE FROM field_provenance WHERE speaker_id = \(bind: speakerID) AND field = \(bind: field.rawValue) AND origin = 'user'").run()
        try await sql.raw("""
            INSERT INTO field_provenance (speaker_id, field, value, origin, event_id, extractor, confidence, created_at)
            VALUES (\(bind: speakerID), \(bind: field.rawValue), \(bind: stored), 'user', NULL, \(bind: "correction:\(correctionID)"), 1.0, \(bind: Date()))
            """).run()
        switch field {
        case .name:
            try await sql.raw("UPDATE speakers SET name = \(bind: value), name_key = \(bind: TextNormalization.matchKey(value)), updated_at = \(bind: Date()) WHERE id = \(bind: speakerID)").run()
        case .title:
            try await sql.raw("UPDATE speakers SET title = \(bind: stored), updated_at = \(bind: Date()) WHERE id = \(bind: speakerID)").run()
        case .affiliation:
            try await sql.raw("UPDATE speakers SET affiliation = \(bind: stored), updated_at = \(bind: Date()) WHERE id = \(bind: speakerID)").run()
        default:
            try await sql.raw("UPDATE speakers SET bio = \(bind: stored), updated_at = \(bind: Date()) WHERE id = \(bind: speakerID)").run()
        }
    }

    /// The displayed location text (an approved location correction).
    public func setLocation(speakerID: Int, label: String) async throws {
        try await sql.raw("UPDATE speakers SET location = \(bind: label), updated_at = \(bind: Date()) WHERE id = \(bind: speakerID)").run()
    }

    public func pendingCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM corrections WHERE status = 'pending'").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
