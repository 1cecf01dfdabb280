import Foundation
import HTMLParsing
import Names
import SpeakerCore

/// A name as a heading (or a bold line standing alone), followed by that person's bio:
/// "Jane Roe" over "Jane Roe is a senior scientist at the Example Institute…". Nothing
/// says "Speakers"; what makes the heading a participant is the bio that follows, which
/// must be about the person (it names them or starts with a pronoun). Title and
/// organisation are read from the bio's first sentence ("X is a Title at Org", "X, Title
/// at Org, …", "X works as Title for Org").
public struct HeadingBioExtractor: SpeakerExtractor {
    public let name = "heading-bio"
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.lines = PersonLineParser(detector: detector)
    }

    /// Words that open a sentence about a person in the languages the chain claims.
    static let pronouns: Set<String> = ["he", "she", "they", "his", "her", "their", "er", "sie", "sein", "ihr", "il", "elle", "ils", "elles",
                                        "él", "ella", "ellos", "su", "ele", "ela"]

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard let main = input.main else { return [] }
        let title = input.eventTitle.map(TextNormalization.matchKey)
        var people: [ExtractedPerson] = []
        for heading in main.select("h2, h3, h4, h5, h6, p > strong, p > b, div > strong") where !ExtractionText.isChrome(heading) {
            let text = TextNormalization.collapseWhitespace(heading.text)
            guard text.count >= 4, text.count <= 80, TextNormalization.matchKey(text) != title else { continue }
            // A bold line must stand alone in its paragraph.
            if heading.name == "strong" || heading.name == "b", let parent = heading.parent,
               TextNormalization.collapseWhitespace(parent.text) != text { continue }
            guard let line = lines.parse(text, context: .card) else { continue }
            let anchor = (heading.name == "strong" || heading.name == "b") ? (heading.parent ?? heading) : heading
            guard let bio = followingProse(after: anchor), Self.isAbout(bio, line.name) else { continue }
            var personTitle = line.title, affiliation = line.affiliation
            if personTitle == nil && affiliation == nil {
                (personTitle, affiliation) = Self.apposition(in: bio, lines: lines)
            }
            people.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(personTitle),
                                          affiliations: [affiliation].compactMap { ExtractionText.clean($0) }, role: line.role ?? .speaker,
                                          bio: ExtractionText.clean(bio, max: 5000), confidence: 0.62, extractor: name))
        }
        return people
    }

    /// The text of the next block after a heading, when it is prose.
    func followingProse(after node: HTMLNode) -> String? {
        var next = node.nextElementSibling
        var steps = 0
        while let current = next, steps < 3 {
            let name = current.name.lowercased()
            if ["h1", "h2", "h3", "h4", "h5", "h6"].contains(name) { return nil }
            let text = TextNormalization.collapseWhitespace(current.text)
            if ["img", "picture", "figure", "br", "hr"].contains(name) || text.count < 25 {
                next = current.nextElementSibling
                steps += 1
                continue
            }
            guard text.count >= 60, text.split(separator: " ").count >= 10 else { return nil }
            return text
        }
        return nil
    }

    /// Whether prose is about the person: it names them (full name, first or last name)
    /// in its first words, or opens with a pronoun.
    static func isAbout(_ bio: String, _ person: PersonName) -> Bool {
        let opening = bio.split(separator: " ").prefix(12).map { TextNormalization.matchKey(String($0)) }
        guard let first = opening.first else { return false }
        if Self.pronouns.contains(first) { return true }
        let tokens = TextNormalization.matchKey(person.display).split(separator: " ").map(String.init).filter { $0.count >= 2 }
        return tokens.contains { opening.contains($0) }
    }

    /// Title and organisation from a bio's first sentence.
    static func apposition(in bio: String, lines: PersonLineParser) -> (String?, String?) {
        guard let sentence = Sentences.split(bio).first else { return (nil, nil) }
        for verb in [" is a ", " is an ", " is the ", " works as a ", " works as an ", " serves as ", " is currently a ", " is currently the ",
                     " ist ", " est ", " es "] {
            guard let range = sentence.range(of: verb) else { continue }
            var rest = String(sentence[range.upperBound...])
            for stop in [" where ", " who ", " with a ", " and has ", ", where", ". "] {
                if let cut = rest.range(of: stop) { rest = String(rest[..<cut.lowerBound]) }
            }
            for preposition in [" at the ", " at ", " with the ", " for the ", " of the ", " in the ", " bei ", " à ", " au ", " en ", " of "] {
                guard let split = rest.range(of: preposition) else { continue }
                let role = String(rest[..<split.lowerBound]).trimmingCharacters(in: .whitespaces)
                var organisation = String(rest[split.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: " ,.;"))
                if let comma = organisation.firstIndex(of: ",") { organisation = String(organisation[..<comma]) }
                guard role.split(separator: " ").count <= 8, lines.looksLikeTitle(role),
                      let initial = organisation.first, initial.isUppercase, organisation.split(separator: " ").count <= 10 else { continue }
                return (role.prefix(1).uppercased() + role.dropFirst(), organisation)
            }
            return (nil, nil)
        }
        return (nil, nil)
    }
}
