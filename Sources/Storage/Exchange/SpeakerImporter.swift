import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// A record of an import file that cannot be stored, named by its path in the document
/// (`speakers[3].events[0].url`).
public struct ImportError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let message: String

    public var description: String { "\(path): \(message)" }
}

public struct ImportReport: Sendable, Codable, Equatable {
    public var speakersCreated = 0
    public var speakersUpdated = 0
    public var speakersUnchanged = 0
    public var eventsCreated = 0
    public var appearancesCreated = 0

    public init(speakersCreated: Int = 0, speakersUpdated: Int = 0, speakersUnchanged: Int = 0,
                eventsCreated: Int = 0, appearancesCreated: Int = 0) {
        self.speakersCreated = speakersCreated
        self.speakersUpdated = speakersUpdated
        self.speakersUnchanged = speakersUnchanged
        self.eventsCreated = eventsCreated
        self.appearancesCreated = appearancesCreated
    }

    enum CodingKeys: String, CodingKey {
        case speakersCreated = "speakers_created"
        case speakersUpdated = "speakers_updated"
        case speakersUnchanged = "speakers_unchanged"
        case eventsCreated = "events_created"
        case appearancesCreated = "appearances_created"
    }
}

/// Reads the export shape back: idempotent (importing the same file twice changes
/// nothing the second time) and all-or-nothing (one bad record stores nothing).
///
/// Identity: a record's `id` is reused when that speaker exists with the same name (or is
/// free); otherwise a speaker with the same folded name and affiliation is updated;
/// otherwise a new speaker is created. Events are matched by normalised URL.
public struct SpeakerImporter: Sendable {
    public init() {}

    /// Decodes and validates a document without touching the database.
    public static func parse(_ data: Data) throws -> ExportDocument {
        let document: ExportDocument
        do {
            document = try JSONDecoder().decode(ExportDocument.self, from: data)
        } catch let error as DecodingError {
            throw importError(from: error)
        } catch {
            throw ImportError(path: "$", message: "not valid JSON (\(error.localizedDescription))")
        }
        return try validate(document)
    }

    /// Checks every field and returns the document with URLs normalised and text trimmed.
    public static func validate(_ document: ExportDocument) throws -> ExportDocument {
        var result = document
        var seenIDs: [Int: Int] = [:]
        for (index, speaker) in document.speakers.enumerated() {
            let path = "speakers[\(index)]"
            if let id = speaker.id {
                guard id > 0 else { throw ImportError(path: "\(path).id", message: "must be a positive integer") }
                if let other = seenIDs[id] {
                    throw ImportError(path: "\(path).id", message: "\(id) is also the id of speakers[\(other)]")
                }
                seenIDs[id] = index
            }
            if let problem = SpeakerFieldRules.problem(withName: speaker.name) {
                throw ImportError(path: "\(path).name", message: problem)
            }
            result.speakers[index].name = TextNormalization.collapseWhitespace(speaker.name)
            for (field, value, limit) in [("title", speaker.title, SpeakerFieldRules.maxTitleLength),
                                          ("affiliation", speaker.affiliation, SpeakerFieldRules.maxAffiliationLength),
                                          ("bio", speaker.bio, SpeakerFieldRules.maxBioLength)] {
                if let value, let problem = SpeakerFieldRules.problem(withText: value, maxLength: limit) {
                    throw ImportError(path: "\(path).\(field)", message: problem)
                }
            }
            result.speakers[index].title = TextNormalization.clean(speaker.title)
            result.speakers[index].affiliation = TextNormalization.clean(speaker.affiliation)
            result.speakers[index].bio = speaker.bio.flatMap { $0.trimmed().isEmpty ? nil : $0.trimmed() }
            var seenURLs: Set<String> = []
            for (eventIndex, event) in speaker.events.enumerated() {
                let eventPath = "\(path).events[\(eventIndex)]"
                let url: String
                do {
                    url = try URLNormalizer.normalize(event.url)
                } catch {
                    throw ImportError(path: "\(eventPath).url", message: "\(error)")
                }
                guard seenURLs.insert(url).inserted else {
                    throw ImportError(path: "\(eventPath).url", message: "lists the same event twice")
                }
                result.speakers[index].events[eventIndex].url = url
                if let date = event.date {
                    guard let parsed = LocalDate(iso: date) else {
                        throw ImportError(path: "\(eventPath).date", message: "must be a YYYY-MM-DD date or null (got \"\(date.prefix(40))\")")
                    }
                    result.speakers[index].events[eventIndex].date = parsed.iso
                }
                if let role = event.role, Role(rawValue: role) == nil {
                    throw ImportError(path: "\(eventPath).role", message: "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")) or null (got \"\(role.prefix(40))\")")
                }
                if let title = event.title, let problem = SpeakerFieldRules.problem(withText: title, maxLength: 1_000) {
                    throw ImportError(path: "\(eventPath).title", message: problem)
                }
                result.speakers[index].events[eventIndex].title = TextNormalization.clean(event.title)
            }
        }
        return result
    }

    static func importError(from error: DecodingError) -> ImportError {
        func render(_ path: [any CodingKey]) -> String {
            var text = "$"
            for key in path {
                if let index = key.intValue { text += "[\(index)]" } else { text += text == "$" ? key.stringValue : ".\(key.stringValue)" }
            }
            return text.hasPrefix("$") && text.count > 1 && !text.hasPrefix("$[") ? String(text.dropFirst()) : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ImportError(path: render(context.codingPath + [key]), message: "is missing")
        case .typeMismatch(let type, let context):
            return ImportError(path: render(context.codingPath), message: "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return ImportError(path: render(context.codingPath), message: "must be \(describe(type)), not null")
        case .dataCorrupted(let context):
            return ImportError(path: render(context.codingPath), message: context.codingPath.isEmpty ? "not valid JSON" : context.debugDescription)
        @unknown default:
            return ImportError(path: "$", message: "cannot be read")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is [ExportSpeaker].Type, is [ExportAppearance].Type: "an array"
        default: "an object"
        }
    }

    /// Stores a validated document in one write transaction and refreshes the search index
    /// of every speaker it touched.
    public func run(_ document: ExportDocument, on db: any Database) async throws -> ImportReport {
        try await db.writeTransaction { tx in
            var report = ImportReport()
            var touched: [Int] = []
            var eventIDs: [String: Int] = [:]
            for record in document.speakers {
                let (speakerID, outcome) = try await upsertSpeaker(record, on: tx)
                touched.append(speakerID)
                var changed = outcome == .created
                for appearance in record.events {
                    let eventID: Int
                    if let known = eventIDs[appearance.url] {
                        eventID = known
                    } else {
                        let (id, created) = try await upsertEvent(appearance, on: tx)
                        if created { report.eventsCreated += 1 }
                        eventIDs[appearance.url] = id
                        eventID = id
                    }
                    if try await upsertAppearance(speakerID: speakerID, eventID: eventID, role: appearance.role, on: tx) {
                        report.appearancesCreated += 1
                        changed = true
                    }
                }
                switch outcome {
                case .created: report.speakersCreated += 1
                case .updated: report.speakersUpdated += 1
                case .unchanged: if changed { report.speakersUpdated += 1 } else { report.speakersUnchanged += 1 }
                }
            }
            try await SpeakerSearchIndex.refresh(speakerIDs: Array(Set(touched)), on: tx)
            try await IdentitySequences.resync(on: tx)
            return report
        }
    }

    enum Outcome { case created, updated, unchanged }

    func upsertSpeaker(_ record: ExportSpeaker, on db: any Database) async throws -> (Int, Outcome) {
        let nameKey = TextNormalization.matchKey(record.name)
        var existing: Speaker?
        if let id = record.id, let byID = try await Speaker.find(id, on: db), byID.nameKey == nameKey {
            existing = byID
        }
        if existing == nil {
            let candidates = try await Speaker.query(on: db).filter(\.$nameKey == nameKey).all()
            let affiliationKey = record.affiliation.map(TextNormalization.matchKey)
            existing = candidates.first { ($0.affiliation.map(TextNormalization.matchKey)) == affiliationKey }
        }
        if let speaker = existing {
            var changed = false
            for (keyPath, value) in [(\Speaker.title, record.title), (\Speaker.affiliation, record.affiliation), (\Speaker.bio, record.bio)] {
                if let value, speaker[keyPath: keyPath] != value {
                    speaker[keyPath: keyPath] = value
                    changed = true
                }
            }
            guard changed else { return (try speaker.requireID(), .unchanged) }
            try await speaker.save(on: db)
            let id = try speaker.requireID()
            try await recordProvenance(speakerID: id, record: record, on: db)
            return (id, .updated)
        }
        let speaker = Speaker(name: record.name, title: record.title, affiliation: record.affiliation, bio: record.bio)
        if let id = record.id, try await Speaker.find(id, on: db) == nil {
            speaker.id = id
        }
        try await speaker.create(on: db)
        let id = try speaker.requireID()
        try await recordProvenance(speakerID: id, record: record, on: db)
        return (id, .created)
    }

    func recordProvenance(speakerID: Int, record: ExportSpeaker, on db: any Database) async throws {
        let fields: [(String, String?)] = [("name", record.name), ("title", record.title),
                                           ("affiliation", record.affiliation), ("bio", record.bio)]
        for (field, value) in fields where value != nil {
            try await FieldProvenance(speakerID: speakerID, field: field, value: value, origin: .import, confidence: 1.0).create(on: db)
        }
    }

    func upsertEvent(_ appearance: ExportAppearance, on db: any Database) async throws -> (Int, Bool) {
        if let event = try await Event.query(on: db).filter(\.$url == appearance.url).first() {
            var changed = false
            if event.title == nil, let title = appearance.title { event.title = title; changed = true }
            if event.startsOn == nil, let date = appearance.date { event.startsOn = date; changed = true }
            if changed { try await event.save(on: db) }
            return (try event.requireID(), false)
        }
        let event = Event(url: appearance.url, title: appearance.title)
        event.startsOn = appearance.date
        // An imported event has no page content yet: the crawler may fetch it later.
        event.fetchState = ItemState.queued.rawValue
        event.extractState = ItemState.skipped.rawValue
        try await event.create(on: db)
        return (try event.requireID(), true)
    }

    /// Returns whether an appearance was created.
    func upsertAppearance(speakerID: Int, eventID: Int, role: String?, on db: any Database) async throws -> Bool {
        if let existing = try await Appearance.query(on: db)
            .filter(\.$speaker.$id == speakerID).filter(\.$event.$id == eventID).first() {
            if let role, existing.role != role {
                existing.role = role
                try await existing.save(on: db)
            }
            return false
        }
        try await Appearance(speakerID: speakerID, eventID: eventID, role: role ?? Role.speaker.rawValue,
                             extractor: "import", confidence: 1.0).create(on: db)
        return true
    }
}
