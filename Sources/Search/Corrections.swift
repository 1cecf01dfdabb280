import FluentKit
import Foundation
import SpeakerCore
import Storage

/// Suggesting and reviewing corrections. Anyone allowed to view may suggest; an editor
/// approves or rejects. An approved value is stored with provenance `user` and wins:
/// text fields through `field_provenance` (the field resolver ranks `user` first),
/// location, languages and tags as `user` attributes, which hide other origins on display.
public enum Corrections {
    /// The value as it will be stored, or why it cannot be: a location must be a place
    /// the gazetteer knows, languages known languages, tags topics of the vocabulary.
    public static func normalise(field: Correction.Field, value: String, gazetteer: Gazetteer = .shared,
                                 vocabulary: TopicVocabulary = .shared) throws -> String {
        let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch field {
        case .location:
            guard let place = gazetteer.resolve(location: value) ?? gazetteer.place(value), place.kind != .region else {
                throw CorrectionError.invalid("\u{201C}\(value.prefix(80))\u{201D} is not a city or country speakerdb knows (try \u{201C}Nairobi, Kenya\u{201D})")
            }
            return place.label
        case .languages:
            let names = list(value)
            guard !names.isEmpty else { throw CorrectionError.invalid("give at least one language") }
            return try names.map { name in
                guard let language = gazetteer.language(name) ?? gazetteer.language(code: name), name.count >= 2 else {
                    throw CorrectionError.invalid("\u{201C}\(name.prefix(40))\u{201D} is not a language speakerdb knows")
                }
                return language.name
            }.joined(separator: ", ")
        case .tags:
            let names = list(value)
            guard !names.isEmpty else { throw CorrectionError.invalid("give at least one topic") }
            return try names.map { name in
                guard let topic = topic(name, vocabulary) else {
                    throw CorrectionError.invalid("\u{201C}\(name.prefix(60))\u{201D} is not a topic of the vocabulary")
                }
                return topic.label
            }.joined(separator: ", ")
        default:
            return value
        }
    }

    static func list(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func topic(_ name: String, _ vocabulary: TopicVocabulary) -> TopicVocabulary.Topic? {
        let key = Gazetteer.fold(name)
        return vocabulary.topics[name] ?? vocabulary.topics.values.first { Gazetteer.fold($0.label) == key || Gazetteer.fold($0.slug) == key }
    }

    /// Records a suggestion after checking the value; returns its id.
    public static func suggest(on db: any Database, speakerID: Int, field: Correction.Field, value: String, note: String?,
                               userID: Int?, username: String?) async throws -> Int {
        let normalised = try normalise(field: field, value: value)
        let previous: String?
        switch field {
        case .name, .title, .affiliation, .bio, .location:
            let profile = try await SpeakerQueries(db).profile(id: speakerID)
            guard let profile else { throw CorrectionError.invalid("there is no speaker \(speakerID)") }
            previous = [.name: profile.name, .title: profile.title, .affiliation: profile.affiliation, .bio: profile.bio, .location: profile.location][field] ?? nil
        case .languages, .tags:
            let kind: SpeakerAttribute.Kind = field == .tags ? .tag : .language
            let current = try await AttributeStore(db).attributes(speakerIDs: [speakerID], kinds: [kind])[speakerID] ?? []
            previous = SpeakerAttribute.shown(current, kind: kind).map(\.label).joined(separator: ", ")
        }
        return try await db.writeTransaction { tx in
            try await CorrectionStore(tx).suggest(speakerID: speakerID, field: field, value: normalised, previous: previous,
                                                  note: note, userID: userID, username: username)
        }
    }

    /// Approves a pending correction and applies its value, in one transaction.
    public static func approve(on db: any Database, id: Int, reviewerID: Int?, note: String? = nil,
                               gazetteer: Gazetteer = .shared, vocabulary: TopicVocabulary = .shared) async throws {
        try await db.writeTransaction { tx in
            let store = try CorrectionStore(tx)
            guard let correction = try await store.find(id) else { throw CorrectionError.notFound(id) }
            try await store.markReviewed(id, status: .approved, reviewerID: reviewerID, note: note)
            let speaker = correction.speakerID
            let attributes = try AttributeStore(tx)
            let evidence = "correction \(id)"
            switch correction.field {
            case .name, .title, .affiliation, .bio:
                try await store.applyField(speakerID: speaker, field: correction.field, value: correction.value, correctionID: id)
                try await SpeakerSearchIndex.refresh(speakerIDs: [speaker], on: tx)
            case .location:
                guard let place = gazetteer.resolve(location: correction.value) ?? gazetteer.place(correction.value), let code = place.countries.first else {
                    throw CorrectionError.invalid("\u{201C}\(correction.value)\u{201D} is no longer a known place")
                }
                try await attributes.remove(speakerID: speaker, kind: .country, origin: .user)
                try await attributes.remove(speakerID: speaker, kind: .city, origin: .user)
                var rows = [SpeakerAttribute(kind: .country, value: code, label: gazetteer.countries[code]?.name ?? code, origin: .user, confidence: 1, evidence: evidence)]
                if place.kind == .city, let city = place.city {
                    rows.append(SpeakerAttribute(kind: .city, value: "\(city), \(code)", label: city, origin: .user, confidence: 1, evidence: evidence))
                }
                try await attributes.insert(speakerID: speaker, rows)
                try await store.setLocation(speakerID: speaker, label: place.label)
            case .languages:
                try await attributes.remove(speakerID: speaker, kind: .language, origin: .user)
                try await attributes.insert(speakerID: speaker, list(correction.value).compactMap { gazetteer.language($0) }.map {
                    SpeakerAttribute(kind: .language, value: $0.code, label: $0.name, origin: .user, confidence: 1, evidence: evidence)
                })
            case .tags:
                try await attributes.remove(speakerID: speaker, kind: .tag, origin: .user)
                try await attributes.insert(speakerID: speaker, list(correction.value).compactMap { topic($0, vocabulary) }.map {
                    SpeakerAttribute(kind: .tag, value: $0.slug, label: $0.label, origin: .user, confidence: 1, evidence: evidence)
                })
                try await SpeakerSearchIndex.refresh(speakerIDs: [speaker], on: tx, contentChanged: false)
            }
        }
    }

    public static func reject(on db: any Database, id: Int, reviewerID: Int?, note: String? = nil) async throws {
        try await db.writeTransaction { tx in
            try await CorrectionStore(tx).markReviewed(id, status: .rejected, reviewerID: reviewerID, note: note)
        }
    }
}
