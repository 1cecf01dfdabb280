import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// People listed under a heading that names their role: "Speakers", "Panelists",
/// "Moderator", "Hosts", "Keynote", "Featuring" — and their German, French, Spanish and
/// Japanese equivalents — as list items, paragraphs, lines, table rows or "Label: Name"
/// lines.
public struct SectionExtractor: SpeakerExtractor {
    public let name = "sections"
    let detector: PersonNameDetector
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.detector = detector
        self.lines = PersonLineParser(detector: detector)
    }

    /// Heading words that introduce people, with the role they imply (nil: plain speaker).
    static let labels: [(String, Role)] = [
        ("keynote", .keynote), ("keynotes", .keynote), ("keynote speaker", .keynote), ("keynote speakers", .keynote),
        ("speakers", .speaker), ("speaker", .speaker), ("featured speakers", .speaker), ("featuring", .speaker), ("with", .speaker),
        ("panelists", .panelist), ("panellists", .panelist), ("panel", .panelist), ("panelist", .panelist), ("discussants", .panelist),
        ("moderator", .moderator), ("moderators", .moderator), ("moderated by", .moderator), ("chair", .moderator), ("chaired by", .moderator),
        ("host", .host), ("hosts", .host), ("hosted by", .host), ("introduced by", .host), ("welcome", .host),
        ("responding", .panelist), ("respondent", .panelist), ("respondents", .panelist), ("discussant", .panelist), ("response", .panelist),
        ("in conversation", .speaker), ("conversation", .speaker), ("guest", .speaker), ("guests", .speaker),
        ("presenters", .speaker), ("presenter", .speaker), ("participants", .speaker), ("lecturer", .speaker), ("performers", .performer),
        ("referenten", .speaker), ("referentinnen", .speaker), ("referent", .speaker), ("referentin", .speaker), ("sprecher", .speaker),
        ("sprecherinnen", .speaker), ("redner", .speaker), ("rednerinnen", .speaker), ("mit", .speaker), ("gäste", .speaker),
        ("podium", .panelist), ("auf dem podium", .panelist), ("moderation", .moderator), ("moderiert von", .moderator),
        ("intervenants", .speaker), ("intervenantes", .speaker), ("intervenant", .speaker), ("conférenciers", .speaker),
        ("orateurs", .speaker), ("avec", .speaker), ("modération", .moderator), ("animé par", .moderator), ("animée par", .moderator),
        ("modérateur", .moderator), ("modératrice", .moderator), ("panélistes", .panelist),
        ("ponentes", .speaker), ("ponente", .speaker), ("conferenciantes", .speaker), ("participantes", .speaker), ("con", .speaker),
        ("moderador", .moderator), ("moderadora", .moderator), ("modera", .moderator), ("panelistas", .panelist),
        // "By: Name" lines under a talk's title.
        ("by", .speaker), ("presented by", .speaker), ("por", .speaker), ("a cargo de", .speaker), ("impartido por", .speaker),
        ("imparte", .speaker), ("presenta", .speaker), ("expositor", .speaker), ("expositora", .speaker), ("expositores", .speaker),
        ("conferencista", .speaker), ("von", .speaker), ("par", .speaker), ("palestrante", .speaker), ("palestrantes", .speaker),
        ("relatore", .speaker), ("relatori", .speaker), ("relatrice", .speaker),
        // "Who: Name" in an event's what/where/when fields.
        ("who", .speaker), ("quem", .speaker), ("quién", .speaker), ("quien", .speaker), ("wer", .speaker), ("qui", .speaker), ("chi", .speaker),
        ("登壇者", .speaker), ("講演者", .speaker), ("スピーカー", .speaker), ("出演者", .speaker), ("ゲスト", .speaker),
        ("モデレーター", .moderator), ("司会", .moderator), ("基調講演", .keynote), ("パネリスト", .panelist), ("講師", .speaker),
    ]

    static func role(forHeading text: String) -> Role? {
        let cleaned = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":：").union(.whitespaces).union(.punctuationCharacters))
        guard cleaned.count <= 40 else { return nil }
        for (label, role) in labels where cleaned == label { return role }
        // "Our speakers", "Speakers & moderators", "Keynote address"
        let words = Set(cleaned.split(whereSeparator: { !$0.isLetter }).map(String.init))
        guard words.count <= 4 else { return nil }
        for (label, role) in labels where !label.contains(" ") && label.count > 4 && words.contains(label) { return role }
        return nil
    }

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard let main = input.main else { return [] }
        var people: [ExtractedPerson] = []
        // Headings and heading-like labels.
        for heading in main.select("h1, h2, h3, h4, h5, h6, dt, strong, b, p, th, caption, legend, span, div") {
            let isHeadingTag = ["h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "caption", "legend"].contains(heading.name)
            // Labels are leaves; only heading elements may wrap their text in markup.
            guard isHeadingTag || heading.children.isEmpty, !ExtractionText.isChrome(heading) else { continue }
            let text = heading.visibleText
            guard text.count <= 40 else { continue }
            let isLabel = heading.children.isEmpty && (text.hasSuffix(":") || text.hasSuffix("：") || isHeadingTag || heading.name == "strong" || heading.name == "b")
            guard isLabel, let role = Self.role(forHeading: text) else { continue }
            // "With" and "Con" are only labels when they end with a colon.
            if ["with", "con", "mit", "avec"].contains(text.lowercased().trimmingWhitespace()) { continue }
            people += items(after: heading, role: role, input: input)
        }
        // "Moderator: Jane Doe, Senior Fellow" lines and sentences inside paragraphs.
        let sentences = main.visibleLines.flatMap(Sentences.split)
        for line in sentences where line.count <= 300 {
            guard let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) else { continue }
            let label = String(line[..<colon])
            guard let role = Self.role(forHeading: label), line.distance(from: line.startIndex, to: colon) <= 30 else { continue }
            // Markdown left unrendered ("**Por:** Ana María López") is not part of the name.
            let rest = String(line[line.index(after: colon)...]).trimmingCharacters(in: CharacterSet(charactersIn: "*_ ").union(.whitespaces))
            for part in Self.splitPeople(rest) {
                if let person = lines.parse(part, context: .section) {
                    people.append(make(person, role: role, confidence: 0.72))
                }
            }
        }
        return people
    }

    /// The content under a heading: following siblings up to the next heading, or the
    /// rest of the label's own block ("Speakers: A, B and C").
    func items(after heading: HTMLNode, role: Role, input: ExtractionInput) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        var blocks: [HTMLNode] = []
        var anchor = heading
        // A label inside a paragraph: the paragraph's remaining text.
        if !["h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "caption", "legend"].contains(heading.name), let parent = heading.parent,
           parent.visibleText.count > heading.visibleText.count + 2 {
            let rest = parent.visibleText.dropFirst(heading.visibleText.count)
            for part in Self.splitPeople(String(rest)) {
                if let person = lines.parse(part, context: .section) { people.append(make(person, role: role, confidence: 0.72)) }
            }
            return people
        }
        if heading.name == "dt" {
            var sibling = heading.nextElementSibling
            while let next = sibling, next.name == "dd" {
                blocks.append(next)
                sibling = next.nextElementSibling
            }
        } else {
            // Climb while the heading is alone in a wrapper ("<div class=title><h3>Speakers</h3></div>").
            while anchor.nextElementSibling == nil, let parent = anchor.parent, parent.children.count == 1 { anchor = parent }
            var sibling = anchor.nextElementSibling
            while let next = sibling, blocks.count < 30 {
                if ["h1", "h2", "h3", "h4", "h5", "h6"].contains(next.name) { break }
                if let inner = next.first("h2, h3, h4"), Self.role(forHeading: inner.visibleText) != nil || next.name == "section" { break }
                blocks.append(next)
                sibling = next.nextElementSibling
            }
        }
        for block in blocks {
            let itemNodes = block.select("li").isEmpty ? (block.select("tr").isEmpty ? [block] : block.select("tr")) : block.select("li")
            for item in itemNodes {
                let itemLines = item.visibleLines
                guard let first = itemLines.first else { continue }
                // A profile link in the item makes its text a name (pseudonyms, single words).
                let profile = item.select("a[href]").first { ExtractionText.isProfileLink($0, document: input.document) && first.hasPrefix($0.visibleText) }
                var parsed = lines.parse(first, context: profile != nil ? .structured : .section)
                // "<strong>Name</strong> <em>Title, Org</em>": the first inline element holds the name.
                if profile == nil, let lead = item.children.first(where: { ["strong", "b", "span", "a", "h3", "h4", "h5", "cite"].contains($0.name) }),
                   first.hasPrefix(lead.visibleText), let name = detector.parse(lead.visibleText, context: .section) {
                    let rest = String(first.dropFirst(lead.visibleText.count))
                    let (title, affiliation) = lines.splitDetails(rest)
                    parsed = PersonLine(name: name, title: title, affiliation: affiliation, role: parsed?.role)
                }
                if let profile, let name = detector.parseLinkedName(profile.visibleText) {
                    // The link's text is the name; the rest of the line holds the details.
                    let rest = String(first.dropFirst(profile.visibleText.count))
                    let (title, affiliation) = lines.splitDetails(rest)
                    parsed = PersonLine(name: name, title: title, affiliation: affiliation, role: parsed?.role)
                }
                if let person = parsed {
                    var extracted = make(person, role: person.role ?? role, confidence: 0.74)
                    // Details on the following lines of the same item.
                    if extracted.title == nil && extracted.affiliations.isEmpty && itemLines.count >= 2 && itemLines[1].count <= 150 {
                        let (title, affiliation) = lines.splitDetails(itemLines[1])
                        extracted.title = ExtractionText.clean(title)
                        extracted.affiliations = [affiliation].compactMap { ExtractionText.clean($0) }
                    }
                    if let bio = itemLines.dropFirst().first(where: { $0.count > 120 }) { extracted.bio = ExtractionText.clean(bio, max: 5000) }
                    for anchor in item.select("a[href]") {
                        if let href = anchor["href"], let url = input.document.resolve(href) { extracted.links.add(url.absoluteString, pageHost: input.document.url?.host) }
                    }
                    people.append(extracted)
                } else if itemLines.count == 1 {
                    // "A, B and C" on one line.
                    for part in Self.splitPeople(first) where part != first {
                        if let person = lines.parse(part, context: .section) { people.append(make(person, role: role, confidence: 0.68)) }
                    }
                }
            }
        }
        return people
    }

    func make(_ line: PersonLine, role: Role, confidence: Double) -> ExtractedPerson {
        ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(line.title),
                        affiliations: [line.affiliation].compactMap { ExtractionText.clean($0) }, role: line.role ?? role,
                        confidence: confidence + line.name.score * 0.1, extractor: "sections")
    }

    /// "A (X), B (Y) and C" → ["A (X)", "B (Y)", "C"]; semicolons and " and " split too,
    /// commas only when every piece looks like a name of its own.
    static func splitPeople(_ text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: " and ", with: "; ").replacingOccurrences(of: " & ", with: "; ")
            .replacingOccurrences(of: " und ", with: "; ").replacingOccurrences(of: " et ", with: "; ").replacingOccurrences(of: " y ", with: "; ")
            .replacingOccurrences(of: "、", with: "; ").replacingOccurrences(of: "／", with: "; ")
        var parts = normalized.split(separator: ";").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if parts.count == 1 {
            let commaParts = normalized.split(separator: ",").map { $0.trimmingWhitespace() }
            let detector = PersonNameDetector()
            if commaParts.count >= 2 && commaParts.allSatisfy({ detector.isName($0, context: .section) }) { parts = commaParts }
        }
        return parts
    }
}
