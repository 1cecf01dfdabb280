import Foundation
import HTMLParsing
import Names
import SpeakerCore

/// Programme lines that open with the people of a talk and then its title:
/// "Jane Roe (Acme Lab): Counting cyclists", "Jo Lee (Beta) and Ana Ruiz: Open maps",
/// "Ines Albrecht (Kestrel Post), Tomasz Wilk (Brightwater Lab) – A census of trees", or
/// a line of only such people under the session's title.
/// A whole programme is often one page of such lines, one per session, with nothing
/// that says "Speakers". What makes the names participants is the line's shape: people,
/// then a colon or dash, then a title; at least one of them carries an organisation in
/// parentheses, so "Keynote: Opening" or "Part 2: Results" are never read as people.
public struct BylineExtractor: SpeakerExtractor {
    public let name = "bylines"
    let detector: PersonNameDetector
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.detector = detector
        self.lines = PersonLineParser(detector: detector)
    }

    /// Elements a programme line sits in.
    static let blocks: Set<String> = ["li", "p", "summary", "dt", "dd", "td", "h3", "h4", "h5", "h6", "div"]
    /// What ends the people and starts the title.
    static let titleSeparators = [": ", " – ", " — ", " - "]
    /// What joins two people, in the languages the chain claims.
    static let joiners = [", ", " and ", " & ", " und ", " et ", " y ", " e ", " and/or "]

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard let main = input.main else { return [] }
        var people: [ExtractedPerson] = []
        var matched = Set<HTMLNode>()
        for node in main.descendants where Self.blocks.contains(node.name) {
            if node.ancestors.contains(where: { matched.contains($0) }) { continue }
            // A cheap check first: the shape needs an organisation in parentheses.
            let text = node.text
            // A div may be a whole page; a paragraph may hold a long abstract after its byline.
            guard text.utf8.count <= (node.name == "div" ? 2000 : 20000), text.contains("(") else { continue }
            guard !ExtractionText.isChrome(node) else { continue }
            // Every line of the block: a seminar list puts "Names (Organisation)" on the
            // second line of each entry, between the date and a "Title:" line.
            let found = node.visibleLines.prefix(40).flatMap { parse($0) }
            guard !found.isEmpty else { continue }
            matched.insert(node)
            // People listed under "Scientific committee" or "Organisers" run the event.
            if let heading = CardExtractor.nearestHeading(before: node, main: main), Self.isStaffHeading(heading) { continue }
            for line in found {
                people.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(line.title),
                                              affiliations: [line.affiliation].compactMap { ExtractionText.clean($0) },
                                              role: line.role ?? .speaker, confidence: 0.62, extractor: name))
            }
        }
        return people
    }

    /// Head nouns of headings over the people who run an event, not take part in it:
    /// the last word in English and German ("Scientific Committee", "Data Week
    /// Organisatoren"), the first in French, Spanish and Italian ("Comité scientifique").
    /// "Team culture" is a session.
    static let staffLastWords: Set<String> = ["committee", "committees", "organizers", "organisers", "organizer", "organiser", "team", "staff",
                                              "board", "sponsors", "partners", "volunteers", "veranstalter", "organisatoren", "organisation",
                                              "organization", "komitee"]
    static let staffFirstWords: Set<String> = ["comité", "comite", "comitato", "organisateurs", "organizadores", "organizzatori", "équipe", "equipo"]

    static func isStaffHeading(_ heading: String) -> Bool {
        let words = heading.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        guard let first = words.first, let last = words.last, words.count <= 5 else { return false }
        return staffLastWords.contains(last) || staffFirstWords.contains(first)
    }

    /// The people of a programme line, or none when the line is not one.
    public func parse(_ raw: String) -> [PersonLine] {
        let line = Self.withoutLeadingDate(TextNormalization.collapseWhitespace(raw))
        guard line.count <= 600 else { return [] }
        for separator in Self.titleSeparators {
            var searchStart = line.startIndex
            while let range = line.range(of: separator, range: searchStart..<line.endIndex) {
                searchStart = range.upperBound
                let head = String(line[..<range.lowerBound])
                guard head.count <= 240, Self.depth(head) == 0 else { continue }
                let title = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard title.split(separator: " ").count >= 2 || title.count >= 12 else { break }
                if let people = people(in: head) { return people }
                // Only the first balanced separator can end the people.
                break
            }
        }
        // A line of only people, under the session's own title: "Jo Lee (Beta), Ana Ruiz
        // (Gamma) und Tom Ellis (Delta)". One person alone needs a surer name.
        guard let people = people(in: line) else { return [] }
        if people.count == 1, detector.parse(people[0].name.display, context: .card) == nil { return [] }
        return people
    }

    /// "June 4, 2020, Jo Lee (Beta)" → "Jo Lee (Beta)": a seminar list's entries open with
    /// their date.
    static func withoutLeadingDate(_ line: String) -> String {
        guard let firstDigit = line.firstIndex(where: \.isNumber), line.distance(from: line.startIndex, to: firstDigit) <= 20 else { return line }
        var rest: Substring?
        var searchStart = line.startIndex
        while let comma = line.range(of: ", ", range: searchStart..<line.endIndex), line.distance(from: line.startIndex, to: comma.lowerBound) <= 32 {
            let head = String(line[..<comma.lowerBound])
            if head.contains(where: \.isNumber), DateTextParser.parse(head) != nil { rest = line[comma.upperBound...] }
            searchStart = comma.upperBound
        }
        guard let rest, !rest.isEmpty else { return line }
        return String(rest)
    }

    /// "A (X) and B": each part a name, with an optional organisation in parentheses; at
    /// least one part has one.
    func people(in head: String) -> [PersonLine]? {
        let parts = Self.split(head)
        guard (1...6).contains(parts.count) else { return nil }
        var people: [PersonLine] = []
        var withOrganisation = 0
        for part in parts {
            var namePart = part
            var title: String?
            var organisation: String?
            var role: Role?
            if part.hasSuffix(")"), let open = part.lastIndex(of: "(") {
                namePart = part[..<open].trimmingCharacters(in: .whitespaces)
                let inner = part[part.index(after: open)..<part.index(before: part.endIndex)].trimmingCharacters(in: .whitespaces)
                if let label = Role(label: inner), inner.split(separator: " ").count <= 2 {
                    role = label
                } else if inner.range(of: #"^[A-Z]{2,3}(/[A-Z]{2,3})*$"#, options: .regularExpression) != nil {
                    // "(JPN)", "(ITA/NL)": where the person comes from, not an organisation.
                } else {
                    guard (2...80).contains(inner.count), inner.contains(where: \.isLetter) else { return nil }
                    // "(Chair, West African Fiscal Board)": a title may come first; else the
                    // whole parenthesis is the organisation ("(Inrap, Louvre)").
                    (title, organisation) = lines.splitDetails(inner)
                    if let found = title, !lines.looksLikeTitle(found) { (title, organisation) = (nil, inner) }
                    withOrganisation += 1
                }
            }
            guard !namePart.contains("("), let name = detector.parse(namePart, context: .section),
                  name.display.split(separator: " ").count >= 2 else { return nil }
            people.append(PersonLine(name: name, title: title, affiliation: organisation, role: role))
        }
        return withOrganisation > 0 ? people : nil
    }

    /// Splits at the joiners that sit outside parentheses.
    static func split(_ head: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var index = head.startIndex
        outer: while index < head.endIndex {
            let character = head[index]
            if character == "(" { depth += 1 }
            if character == ")" { depth = max(0, depth - 1) }
            if depth == 0 {
                for joiner in joiners where head[index...].hasPrefix(joiner) {
                    parts.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                    index = head.index(index, offsetBy: joiner.count)
                    continue outer
                }
            }
            current.append(character)
            index = head.index(after: index)
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }

    static func depth(_ text: String) -> Int {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
        }
        return depth
    }
}
