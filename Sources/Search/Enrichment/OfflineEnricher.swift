import FluentKit
import Foundation
import SpeakerCore
import Storage

/// Enriches speakers without any API: expertise tags from their title, affiliation, bio
/// and event titles (through the topic vocabulary), where they are based (the page's own
/// location field, "based in …" in the bio, a city or country in the affiliation's name),
/// and languages (stated in the bio, or the language of events they spoke at). Every
/// value carries its origin, confidence and evidence; gender is never guessed here.
public struct OfflineEnricher: Sendable {
    /// The origins this enricher writes (and so replaces on re-enrichment).
    public static let origins: [SpeakerAttribute.Origin] = [.page, .bio, .event]

    let vocabulary: TopicVocabulary
    let gazetteer: Gazetteer

    public init(vocabulary: TopicVocabulary = .shared, gazetteer: Gazetteer = .shared) {
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
    }

    public func attributes(for input: EnrichmentInput) -> [SpeakerAttribute] {
        var out: [SpeakerAttribute] = []
        // Tags: the profile's own words first (stronger), then event titles.
        let profile = [input.title, input.bio].compactMap { $0 }.joined(separator: ". ")
        for match in vocabulary.matches(in: profile) {
            out.append(SpeakerAttribute(kind: .tag, value: match.topic.slug, label: match.topic.label, origin: .bio, confidence: 0.8, evidence: match.phrase))
        }
        for event in input.events {
            for match in vocabulary.matches(in: event.title ?? "") where !out.contains(where: { $0.kind == .tag && $0.value == match.topic.slug && $0.origin == .event }) {
                out.append(SpeakerAttribute(kind: .tag, value: match.topic.slug, label: match.topic.label, origin: .event, confidence: 0.5,
                                            eventID: event.id, evidence: event.title))
            }
        }
        // Where they are based.
        if let location = input.location, let place = gazetteer.resolve(location: location) {
            out += based(place, origin: .page, confidence: 0.9, evidence: location)
        }
        if let bio = input.bio, let (place, phrase) = basedIn(bio) {
            out += based(place, origin: .bio, confidence: 0.8, evidence: phrase)
        }
        if !out.contains(where: { $0.kind == .country && $0.origin == .bio }), let affiliation = input.affiliation,
           let place = placeNamed(in: affiliation) {
            out += based(place, origin: .bio, confidence: 0.5, evidence: affiliation)
        }
        // Languages.
        if let bio = input.bio {
            for (language, phrase) in statedLanguages(bio) {
                out.append(SpeakerAttribute(kind: .language, value: language.code, label: language.name, origin: .bio, confidence: 0.9, evidence: phrase))
            }
        }
        for event in input.events {
            guard let code = event.language, let language = gazetteer.language(code: code),
                  !out.contains(where: { $0.kind == .language && $0.value == language.code && $0.origin == .event }) else { continue }
            out.append(SpeakerAttribute(kind: .language, value: language.code, label: language.name, origin: .event, confidence: 0.7,
                                        eventID: event.id, evidence: "spoke at \u{201C}\(event.title ?? "an event")\u{201D}, held in \(language.name)"))
        }
        return out
    }

    func based(_ place: Place, origin: SpeakerAttribute.Origin, confidence: Double, evidence: String) -> [SpeakerAttribute] {
        guard place.kind != .region, let code = place.countries.first else { return [] }
        var out = [SpeakerAttribute(kind: .country, value: code, label: gazetteer.countries[code]?.name ?? code, origin: origin,
                                    confidence: confidence, evidence: evidence)]
        if place.kind == .city, let city = place.city {
            out.append(SpeakerAttribute(kind: .city, value: "\(city), \(code)", label: city, origin: origin, confidence: confidence, evidence: evidence))
        }
        return out
    }

    static let basedPattern = try! NSRegularExpression(
        pattern: #"\b(?:based in|lives in|living in|located in|resident in|works? from|based out of)\s+((?:the\s+)?\p{Lu}[\p{L}'\-]+(?:[ ,]+\p{Lu}[\p{L}'\-]+){0,3})|\b(\p{Lu}[\p{L}']+(?: \p{Lu}[\p{L}']+)?)-based\b"#)

    /// "based in Nairobi, Kenya", "a Lisbon-based architect".
    func basedIn(_ text: String) -> (Place, String)? {
        let ns = text as NSString
        for match in Self.basedPattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            for group in 1...2 where match.range(at: group).location != NSNotFound {
                let phrase = ns.substring(with: match.range(at: group))
                if let place = gazetteer.resolve(location: phrase) ?? longestPrefixPlace(phrase), place.kind != .region {
                    return (place, ns.substring(with: match.range))
                }
            }
        }
        return nil
    }

    func longestPrefixPlace(_ phrase: String) -> Place? {
        let words = Gazetteer.fold(phrase).split(separator: " ").filter { $0 != "the" }
        for n in stride(from: min(words.count, gazetteer.longestPhrase), through: 1, by: -1) {
            if let place = gazetteer.place(words.prefix(n).joined(separator: " ")) { return place }
        }
        return nil
    }

    /// A city or a country's own name inside an organisation's name ("University of
    /// Nairobi", "Kenya Power"); regions and demonyms are not enough.
    func placeNamed(in affiliation: String) -> Place? {
        if let place = gazetteer.resolveCJK(affiliation) { return place }
        let words = Gazetteer.fold(affiliation).split(separator: " ")
        guard !words.isEmpty else { return nil }
        // Words inside a region's name ("North America") name no country of their own.
        var inRegion = Set<Int>()
        for n in stride(from: min(words.count, gazetteer.longestPhrase), through: 2, by: -1) {
            for start in 0...(words.count - n) where gazetteer.place(words[start..<(start + n)].joined(separator: " "))?.kind == .region {
                inRegion.formUnion(start..<(start + n))
            }
        }
        for n in stride(from: min(words.count, gazetteer.longestPhrase), through: 1, by: -1) {
            for start in 0...(words.count - n) where !(start..<(start + n)).contains(where: inRegion.contains) {
                let phrase = words[start..<(start + n)].joined(separator: " ")
                guard let place = gazetteer.place(phrase), place.kind != .region else { continue }
                if place.kind == .country && !gazetteer.isCountryName(phrase) { continue }
                return place
            }
        }
        return nil
    }

    static let languagePattern = try! NSRegularExpression(
        pattern: #"\b(?:speaks|speak|fluent in|native speaker of|working knowledge of|proficient in)\s+((?:\p{L}+)(?:(?:,\s*|\s+and\s+|\s+or\s+)\p{L}+){0,5})"#,
        options: [.caseInsensitive])

    /// "She speaks French, Arabic and English", "fluent in Mandarin".
    func statedLanguages(_ text: String) -> [(Language, String)] {
        let ns = text as NSString
        var out: [(Language, String)] = []
        for match in Self.languagePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let list = ns.substring(with: match.range(at: 1))
            for word in list.components(separatedBy: CharacterSet(charactersIn: ", ")).filter({ !$0.isEmpty && $0 != "and" && $0 != "or" }) {
                if let language = gazetteer.language(word), !out.contains(where: { $0.0 == language }) {
                    out.append((language, ns.substring(with: match.range)))
                }
            }
        }
        return out
    }
}

/// Enriches stale speakers in batches: never enriched (or changed since) first, then
/// those enriched longer ago than `maxAge`, oldest first. With an `llm`, each speaker with
/// something to read is also sent to the model (outside any transaction); its values are
/// stored with origin `llm` beside the offline ones.
public enum EnrichmentRefresh {
    public static func run(on db: any Database, maxAge: TimeInterval, limit: Int? = nil, batchSize: Int = 200,
                           enricher: OfflineEnricher = OfflineEnricher(), llm: LLMEnricher? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) async throws -> Int {
        let startedAt = Date()
        var done = 0
        var seen = Set<Int>()
        let origins = OfflineEnricher.origins + (llm == nil ? [] : [.llm])
        while limit.map({ done < $0 }) ?? true {
            let size = min(llm == nil ? batchSize : 20, limit.map { $0 - done } ?? batchSize)
            let ids = try await AttributeStore(db).stale(olderThan: startedAt.addingTimeInterval(-maxAge), limit: size)
                .filter { seen.insert($0).inserted }
            guard !ids.isEmpty else { break }
            var computed: [(Int, [SpeakerAttribute])] = []
            for input in try await AttributeStore(db).inputs(speakerIDs: ids) {
                var attributes = enricher.attributes(for: input)
                if let llm, LLMEnricher.worthAsking(input) {
                    try Task.checkCancellation()
                    attributes += await llm.attributes(for: input)
                }
                computed.append((input.speakerID, attributes))
            }
            let results = computed
            // BEGIN IMMEDIATE on SQLite (writeTransaction): two workers enriching at once
            // must queue for the write lock, not deadlock upgrading a read.
            try await db.writeTransaction { tx in
                let store = try AttributeStore(tx)
                // A speaker merged away while the model was reading is skipped.
                let present = Set(try await store.existing(ids))
                for (id, attributes) in results where present.contains(id) {
                    try await store.replace(speakerID: id, origins: origins, with: attributes)
                }
                try await SpeakerSearchIndex.refresh(speakerIDs: ids, on: tx, contentChanged: false)
                try await store.markEnriched(ids)
            }
            done += ids.count
            progress?(done)
        }
        return done
    }
}
