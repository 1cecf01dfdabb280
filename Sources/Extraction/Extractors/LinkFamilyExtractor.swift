import Foundation
import HTMLParsing
import Names
import SpeakerCore

/// Talk pages that only show names: each speaker's name links to their own page, where
/// the title, organisation, bio and photo are. A link whose text is a person's name, to a
/// page of the same site headed by that same name, makes that person a participant, and
/// the linked page gives their details. The linked pages are the ones the crawl read
/// while discovering (`ExtractionService` loads them into `ExtractionInput.linkedPages`);
/// nothing is fetched here.
public struct LinkFamilyExtractor: SpeakerExtractor {
    public let name = "link-family"
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.lines = PersonLineParser(detector: detector)
    }

    /// Most linked pages read per event page.
    public static let maxLinks = 40

    /// Same-site links whose text reads as a person's name, with the normalised URL they
    /// point to: what `ExtractionService` looks up among the crawl's stored pages.
    public static func nameLinks(in input: ExtractionInput, detector: PersonNameDetector) -> [(name: PersonName, url: String)] {
        guard let main = input.main else { return [] }
        var result: [(name: PersonName, url: String)] = []
        var seen = Set<String>()
        let own = try? URLNormalizer.normalize(input.url.absoluteString)
        for anchor in main.select("a[href]") where !ExtractionText.isChrome(anchor) {
            let text = TextNormalization.collapseWhitespace(anchor.visibleText)
            guard text.count >= 3, text.count <= 80, let href = anchor["href"], !href.hasPrefix("#"),
                  let url = try? URLNormalizer.normalize(href, relativeTo: input.url), url != own,
                  URL(string: url)?.host == input.url.host,
                  let name = detector.parseLinkedName(text) ?? detector.parse(text, context: .card) else { continue }
            guard seen.insert(url).inserted else { continue }
            result.append((name, url))
            if result.count >= maxLinks { break }
        }
        return result
    }

    /// Name links that most of a source's pages carry (an author byline, the organiser's
    /// page): a site-wide link, not a speaker of each event. The same rule as a template
    /// slot: what does not change from page to page is not about one page.
    public static func siteWideLinks(in pages: [TemplateInducer.Page], detector: PersonNameDetector = PersonNameDetector()) -> Set<String> {
        var counts: [String: Int] = [:]
        for page in pages {
            let input = ExtractionInput(document: page.document, url: page.url, language: nil, eventTitle: page.eventTitle)
            for url in Set(nameLinks(in: input, detector: detector).map(\.url)) { counts[url, default: 0] += 1 }
        }
        let needed = max(3, Int((0.5 * Double(pages.count)).rounded(.up)))
        return Set(counts.filter { $0.value >= needed }.keys)
    }

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard !input.linkedPages.isEmpty else { return [] }
        var people: [ExtractedPerson] = []
        for (name, url) in Self.nameLinks(in: input, detector: lines.detector) {
            guard let profile = input.linkedPages[url], let person = read(profile, url: url, name: name) else { continue }
            people.append(person)
        }
        return people
    }

    /// The person's details from their own page, when that page is headed by their name.
    func read(_ document: HTMLDocument, url: String, name: PersonName) -> ExtractedPerson? {
        let pageURL = URL(string: url)!
        let input = ExtractionInput(document: document, url: pageURL, language: nil, eventTitle: nil)
        guard let main = input.main else { return nil }
        let heading = main.select("h1, h2, h3").first { ExtractionChain.samePerson(TextNormalization.collapseWhitespace($0.visibleText), name.display) }
            ?? document.select("h1").first { ExtractionChain.samePerson(TextNormalization.collapseWhitespace($0.visibleText), name.display) }
        guard let heading else { return nil }
        var title: String?, affiliation: String?, bio: String?
        // Fields the markup names (…title, …company, …bio).
        for element in main.descendants where element.children.count <= 1 && element != heading {
            let hints = ExtractionText.hints(element)
            guard !hints.isEmpty else { continue }
            let words = hints.split(whereSeparator: { !$0.isLetter }).map(String.init)
            let text = TextNormalization.collapseWhitespace(element.visibleText)
            guard !text.isEmpty, text.count <= 5000 else { continue }
            if bio == nil, CardExtractor.bioHints.contains(where: { words.contains($0) }), text.count >= 40 { bio = text }
            else if affiliation == nil, CardExtractor.organisationHints.contains(where: { words.contains($0) }), text.count <= 150 { affiliation = text }
            else if title == nil, CardExtractor.titleHints.contains(where: { words.contains($0) }), text.count <= 150,
                    !words.contains(where: { ["page", "site", "event", "session", "talk"].contains($0) }) { title = text }
        }
        // Else the lines after the heading: short detail lines, then prose.
        let allLines = main.visibleLines
        let headingText = TextNormalization.collapseWhitespace(heading.visibleText)
        if let start = allLines.firstIndex(where: { TextNormalization.collapseWhitespace($0) == headingText }) {
            var details: [String] = []
            for line in allLines[(start + 1)...].prefix(8) {
                if CardExtractor.isInterfaceText(line) || CardExtractor.isScheduleLine(line) { continue }
                if line.count > 120 || CardExtractor.isProse(line) {
                    if bio == nil { bio = line }
                    break
                }
                if Role(label: line) != nil { continue }
                details.append(line)
                if details.count == 2 { break }
            }
            if title == nil && affiliation == nil, let first = details.first {
                let split = lines.splitDetails(first)
                title = split.title
                affiliation = split.affiliation
                if split.affiliation == nil, details.count == 2, !lines.looksLikeTitle(details[1]) { affiliation = details[1] }
            }
        }
        let photo = main.select("img").first.flatMap { $0["src"] ?? $0["data-src"] }.flatMap { document.resolve($0)?.absoluteString }
        var links = ProfileLinks()
        for anchor in main.select("a[href]") {
            if let href = anchor["href"], let resolved = document.resolve(href) { links.add(resolved.absoluteString, pageHost: pageURL.host) }
        }
        return ExtractedPerson(name: name.display, honorific: name.honorific, title: ExtractionText.clean(title),
                               affiliations: [affiliation].compactMap { ExtractionText.clean($0) }, role: .speaker,
                               bio: ExtractionText.clean(bio, max: 5000), photoURL: photo, links: links, confidence: 0.66, extractor: self.name)
    }
}
