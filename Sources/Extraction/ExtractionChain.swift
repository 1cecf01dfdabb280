import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// What extraction found on one page.
public struct ExtractionResult: Sendable, Codable, Equatable {
    public var people: [ExtractedPerson]
    /// Records each extractor contributed before merging.
    public var contributions: [String: Int]
    /// What happened, for the event's extraction state ("3 people (cards, json-ld)" or
    /// "no speakers found").
    public var note: String
    /// Candidates dropped by validation, with the reason.
    public var rejected: [String]
}

/// Runs the extractors over a page and merges what they found into one record per person.
public struct ExtractionChain: Sendable {
    public let extractors: [any SpeakerExtractor]
    /// Least merged confidence for a person to be kept.
    public var threshold = 0.56
    /// The switchable methods this chain applies (the label filter is applied in `merge`).
    public var methods: ExtractionMethods = .all

    public init(extractors: [any SpeakerExtractor]) {
        self.extractors = extractors
    }

    /// The embedded default: no key, no network.
    /// The methods that can be switched off (`ExtractionMethods`) are included when enabled.
    public static func offline(templates: [any SpeakerExtractor] = [], methods: ExtractionMethods = ExtractionMethods.enabled) -> ExtractionChain {
        let detector = PersonNameDetector()
        var extractors: [any SpeakerExtractor] = [StructuredDataExtractor(detector: detector), CardExtractor(detector: detector),
                                                  SectionExtractor(detector: detector),
                                                  FreeTextExtractor(detector: detector, cues: methods.contains(.proseCues))]
        if methods.contains(.headingBio) { extractors.append(HeadingBioExtractor(detector: detector)) }
        if methods.contains(.linkFamilies) { extractors.append(LinkFamilyExtractor(detector: detector)) }
        if methods.contains(.bylines) { extractors.append(BylineExtractor(detector: detector)) }
        var chain = ExtractionChain(extractors: extractors + templates)
        chain.methods = methods
        return chain
    }

    public func run(_ input: ExtractionInput) -> ExtractionResult {
        var all: [ExtractedPerson] = []
        var contributions: [String: Int] = [:]
        let chrome = input.document.root.map(ChromeMap.init)
        ChromeMap.$current.withValue(chrome) {
            for extractor in extractors {
                let found = extractor.extract(input)
                if !found.isEmpty { contributions[extractor.name] = found.count }
                all += found
            }
        }
        return Self.merge(all, threshold: threshold, eventTitle: input.eventTitle, contributions: contributions, labelFilter: methods.contains(.labelFilter))
    }

    /// Merges records of one page: same person (by folded name, or initial + surname) →
    /// one record with the most specific role, the surest title and organisation, the
    /// longest bio; agreement between extractors raises confidence.
    public static func merge(_ records: [ExtractedPerson], threshold: Double, eventTitle: String?, contributions: [String: Int],
                             labelFilter: Bool = true) -> ExtractionResult {
        var rejected: [String] = []
        var cleaned: [ExtractedPerson] = []
        for record in records {
            if labelFilter && record.extractor != "llm" && StructureWords.isStructure(record.name) {
                rejected.append("\(record.name.prefix(60)): name is a label, not a person")
                continue
            }
            switch RecordValidator.clean(record, eventTitle: eventTitle) {
            case .success(let person): cleaned.append(person)
            case .failure(let reason): rejected.append("\(record.name.prefix(60)): \(reason.message)")
            }
        }
        var groups: [[ExtractedPerson]] = []
        for record in cleaned.sorted(by: { $0.confidence > $1.confidence }) {
            if let index = groups.firstIndex(where: { group in group.contains { samePerson($0.name, record.name) } }) {
                groups[index].append(record)
            } else {
                groups.append([record])
            }
        }
        var people: [ExtractedPerson] = []
        for group in groups {
            let extractorsAgreeing = Set(group.map(\.extractor)).count
            let best = group.max { ($0.confidence, $0.name.count) < ($1.confidence, $1.name.count) }!
            var merged = best
            // The fullest spelling of the name among the surest records.
            if let fuller = group.filter({ $0.confidence >= best.confidence - 0.15 }).max(by: { $0.name.count < $1.name.count }),
               !fuller.name.split(separator: " ").contains(where: { PersonNameDetector.isInitial(String($0)) }) {
                merged.name = fuller.name
            }
            merged.honorific = group.compactMap(\.honorific).first
            // Details read from the page's structure (cards, slots, labelled lines, a profile
            // page) win over details parsed out of prose; then the surer record.
            let byDetailSource = group.enumerated().sorted { a, b in
                (Self.isProse(a.element.extractor) ? 1 : 0, a.offset) < (Self.isProse(b.element.extractor) ? 1 : 0, b.offset)
            }.map(\.element)
            merged.title = byDetailSource.first(where: { $0.title != nil })?.title
            merged.affiliations = byDetailSource.first(where: { !$0.affiliations.isEmpty })?.affiliations ?? []
            // A title that ends with the organisation ("Developer FOSSASIA") loses the organisation.
            if let title = merged.title, let organisation = merged.affiliations.first, title.count > organisation.count + 2,
               title.hasSuffix(organisation) {
                merged.title = String(title.dropLast(organisation.count)).trimmingCharacters(in: CharacterSet(charactersIn: " ,-–|@").union(.whitespaces))
            }
            merged.bio = group.compactMap(\.bio).max { $0.count < $1.count }
            merged.photoURL = group.compactMap(\.photoURL).first
            for record in group { merged.links.merge(record.links) }
            merged.role = mostSpecificRole(group)
            merged.confidence = min(0.99, best.confidence + 0.06 * Double(extractorsAgreeing - 1))
            merged.extractor = Set(group.map(\.extractor)).sorted().joined(separator: "+")
            guard merged.confidence >= threshold else {
                rejected.append("\(merged.name.prefix(60)): confidence \(String(format: "%.2f", merged.confidence)) below \(threshold)")
                continue
            }
            people.append(merged)
        }
        let note: String
        if people.isEmpty {
            note = "no speakers found" + (rejected.isEmpty ? "" : " (\(rejected.count) candidates rejected)")
        } else {
            note = "\(people.count) \(people.count == 1 ? "person" : "people") (\(contributions.keys.sorted().joined(separator: ", ")))"
        }
        return ExtractionResult(people: people, contributions: contributions, note: note, rejected: rejected)
    }

    /// Least confidence of every person on a page the chain is sure of.
    public static let sureConfidence = 0.7

    /// Whether the offline result can stand without a model: someone was found, and every
    /// person has a record from the page's structure (structured data, cards, a speakers
    /// section, the source's template, a linked speaker page), not from prose alone, at
    /// `sureConfidence` or more. A page with nobody, or with someone only a sentence names,
    /// is where a model finds what the rules miss.
    public static func isSure(_ result: ExtractionResult) -> Bool {
        !result.people.isEmpty && result.people.allSatisfy { person in
            person.confidence >= sureConfidence
                && person.extractor.split(separator: "+").contains { !isProse(String($0)) && $0 != "llm" }
        }
    }

    /// Extractors that read a person's details out of sentences.
    static func isProse(_ extractor: String) -> Bool {
        extractor == "free-text" || extractor == "heading-bio"
    }

    static let roleSpecificity: [Role] = [.moderator, .keynote, .host, .panelist, .performer, .speaker, .other]

    static func mostSpecificRole(_ group: [ExtractedPerson]) -> Role {
        let sure = group.filter { $0.confidence >= 0.6 }.map(\.role)
        let roles = sure.isEmpty ? group.map(\.role) : sure
        return roleSpecificity.first { roles.contains($0) } ?? .speaker
    }

    /// Same folded name, or "A. Okafor" and "Amara Okafor".
    public static func samePerson(_ a: String, _ b: String) -> Bool {
        let ka = TextNormalization.matchKey(a), kb = TextNormalization.matchKey(b)
        if ka == kb { return true }
        let ta = ka.split(separator: " "), tb = kb.split(separator: " ")
        guard ta.count >= 2, tb.count >= 2, ta.last == tb.last else { return false }
        let fa = ta.first!, fb = tb.first!
        return (fa.count == 1 && fb.hasPrefix(fa)) || (fb.count == 1 && fa.hasPrefix(fb))
    }
}

/// Cleans an extracted record or says why it cannot be stored: no markup or control
/// characters in any field, lengths capped, a name that is a name.
public enum RecordValidator {
    public struct Rejection: Error, Equatable {
        public let message: String
    }

    static let tagPattern = try! NSRegularExpression(pattern: #"<\s*/?\s*[A-Za-z!][^<>]{0,300}>"#)

    public static func stripMarkup(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        return tagPattern.stringByReplacingMatches(in: text, range: range, withTemplate: " ")
    }

    /// Role words ("Speaker", "Moderator") are labels, not organisations, and an
    /// all-lowercase Latin fragment ("and", "this evening", "on what it") is the rest of a
    /// sentence; neither is an affiliation.
    static func isPlausibleAffiliation(_ text: String) -> Bool {
        let key = TextNormalization.matchKey(text)
        let labels: Set<String> = ["speaker", "speakers", "panelist", "panelists", "panel", "guest", "guests", "chair", "moderator", "moderators",
                                   "host", "hosts", "keynote", "keynote speaker", "performer", "presenter", "tba", "tbc", "referent", "referentin",
                                   "intervenant", "intervenante", "ponente", "orador", "oradora", "author", "authors", "autor", "autores"]
        if labels.contains(key) || StructureWords.isStructure(text) { return false }
        let letters = text.unicodeScalars.filter { $0.properties.isAlphabetic }
        let latinOnly = letters.allSatisfy { $0.value < 0x0250 }
        if latinOnly && !letters.isEmpty && !text.contains(where: { $0.isUppercase || $0.isNumber }) { return false }
        return true
    }

    /// A title or organisation as a person's detail: without the person's own name in front
    /// ("Adam Roe (Example Foundation" is the name line, split in the wrong place) and
    /// without parentheses that wrap it or are left open ("(Example Foundation)").
    static func detail(_ text: String, of name: String) -> String? {
        var value = text
        if value.count > name.count, value.lowercased().hasPrefix(name.lowercased()) {
            let rest = value.dropFirst(name.count)
            if let first = rest.first, first == " " || first == "," || first == "(" {
                value = String(rest).trimmingCharacters(in: CharacterSet(charactersIn: " ,;:-–—|").union(.whitespaces))
            }
        }
        // Wrapping or unmatched parentheses and edge separators go, as in lines parsed by
        // `PersonLineParser`: "(Acme)" → "Acme", "Studio (Lisboa)" stays.
        value = PersonLineParser.trimDetails(value)
        return value.isEmpty ? nil : value
    }

    public static func clean(_ record: ExtractedPerson, eventTitle: String?) -> Result<ExtractedPerson, Rejection> {
        var person = record
        if tagPattern.firstMatch(in: person.name, range: NSRange(person.name.startIndex..., in: person.name)) != nil {
            return .failure(Rejection(message: "name contains markup"))
        }
        let name = TextNormalization.collapseWhitespace(person.name)
        if let problem = SpeakerFieldRules.problem(withName: name) { return .failure(Rejection(message: "name \(problem)")) }
        if name.range(of: "javascript:", options: .caseInsensitive) != nil { return .failure(Rejection(message: "name contains a script link")) }
        if let eventTitle, TextNormalization.matchKey(eventTitle) == TextNormalization.matchKey(name) {
            return .failure(Rejection(message: "name is the event's title"))
        }
        let lowered = name.lowercased()
        for placeholder in ["tba", "tbc", "tbd", "to be announced", "to be confirmed", "speaker to be announced", "n/a", "anonymous"] where lowered == placeholder || lowered.hasPrefix(placeholder + " ") {
            return .failure(Rejection(message: "name is a placeholder"))
        }
        person.name = name
        func field(_ value: String?, max: Int) -> String? {
            guard let value else { return nil }
            let stripped = TextNormalization.collapseWhitespace(stripMarkup(value).replacingOccurrences(of: "javascript:", with: "", options: .caseInsensitive))
            let filtered = String(stripped.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" })
            // The name, or a part of it shown on its own line ("Quesada"), is no detail.
            guard !filtered.isEmpty, !TemplateInducer.isPart(of: TextNormalization.matchKey(name), filtered) else { return nil }
            return String(filtered.prefix(max))
        }
        person.title = field(person.title, max: SpeakerFieldRules.maxTitleLength).flatMap { detail($0, of: name) }
        person.affiliations = person.affiliations.compactMap { field($0, max: SpeakerFieldRules.maxAffiliationLength) }
            .compactMap { detail($0, of: name) }.filter(isPlausibleAffiliation)
        // One line read into both fields ("Progressive Web Apps" / "Progressive Web Apps",
        // "(Acme)" / "Acme") says nothing about which it is: it is kept as the organisation.
        if let title = person.title, let organisation = person.affiliations.first,
           TextNormalization.matchKey(title) == TextNormalization.matchKey(organisation) {
            person.title = nil
        }
        person.bio = field(person.bio, max: 5000)
        if let photo = person.photoURL, !(photo.lowercased().hasPrefix("http://") || photo.lowercased().hasPrefix("https://")) {
            person.photoURL = nil
        }
        return .success(person)
    }
}
