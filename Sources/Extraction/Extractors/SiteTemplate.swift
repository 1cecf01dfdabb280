import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// Where one source's pages put their speakers, learned from pages already extracted:
/// the element path that holds each speaker's name, and, inside the block around it (the
/// "card"), the paths of the title and the organisation. Paths are class paths without
/// positions ("div.speakers/article.card/h3.name"), so they match every card of a page.
public struct SiteTemplate: Codable, Sendable, Equatable {
    /// The last steps of the path to a name element, outermost first.
    public var namePath: [String]
    /// How many levels above the name element the card starts.
    public var cardDepth: Int
    /// Paths from the card down to the title and to the organisation element.
    public var titlePath: [String]?
    public var affiliationPath: [String]?
    /// Pages the template was learned from, and on how many of them its name path found
    /// exactly the people the other extractors found.
    public var pagesLearned: Int
    public var pagesConfirmed: Int

    /// Steps of a path kept: enough to be specific, few enough to survive wrappers that
    /// differ between pages.
    static let pathSteps = 3

    /// One step: the element name and its classes without numbers, sorted ("h3.name").
    static func step(_ node: HTMLNode) -> String {
        ([node.name.lowercased()] + node.classes.filter { !$0.contains(where: \.isNumber) }.map { $0.lowercased() }.sorted())
            .joined(separator: ".")
    }

    /// The last `pathSteps` steps from the page down to `node`, stopping at `body`.
    static func path(of node: HTMLNode, below top: HTMLNode? = nil, limit: Int = pathSteps) -> [String] {
        var steps: [String] = []
        var current: HTMLNode? = node
        while let element = current, steps.count < limit, element != top, !["body", "html"].contains(element.name.lowercased()) {
            steps.append(step(element))
            current = element.parent
        }
        return steps.reversed()
    }

    /// The XPath selecting every element at `steps` (anywhere for the first step, then
    /// child by child), relative to the context node.
    static func xpath(_ steps: [String], anywhere: Bool) -> String {
        steps.enumerated().map { index, step in
            let parts = step.split(separator: ".").map(String.init)
            let tests = parts.dropFirst().map { "[contains(concat(' ', normalize-space(@class), ' '), ' \($0) ')]" }.joined()
            return (index == 0 ? (anywhere ? ".//" : "./") : "/") + "*[local-name()='\(parts[0])']" + tests
        }.joined()
    }

    /// Elements at the name path on a page.
    func nameElements(in document: HTMLDocument) -> [HTMLNode] {
        guard let root = document.root else { return [] }
        return root.xpath(Self.xpath(namePath, anywhere: true))
    }

    /// The card around a name element, and the first text at a path inside it.
    func card(of name: HTMLNode) -> HTMLNode? {
        var card: HTMLNode? = name
        for _ in 0..<cardDepth { card = card?.parent }
        return card
    }

    static func text(at steps: [String]?, in card: HTMLNode) -> String? {
        guard let steps, !steps.isEmpty else { return nil }
        return card.xpath(xpath(steps, anywhere: false)).lazy.map { TextNormalization.collapseWhitespace($0.text) }.first { !$0.isEmpty }
    }
}

/// Learns a source's template from its extracted pages: the name path must hold the
/// people the other extractors found on most pages, and hold little else.
public enum SiteTemplateLearner {
    /// Pages needed before a template is trusted.
    public static let minimumPages = 3

    /// A page and the people stored for it.
    public struct Page {
        public var document: HTMLDocument
        public var people: [ExtractedPerson]

        public init(document: HTMLDocument, people: [ExtractedPerson]) {
            self.document = document
            self.people = people
        }
    }

    public static func learn(from pages: [Page]) -> SiteTemplate? {
        let pages = pages.filter { !$0.people.isEmpty }
        guard pages.count >= minimumPages else { return nil }
        // Where each page's names sit.
        var pathPages: [[String]: Int] = [:]
        for page in pages {
            var paths = Set<[String]>()
            for person in page.people {
                for element in elements(withText: person.name, in: page.document) {
                    paths.insert(SiteTemplate.path(of: element))
                }
            }
            for path in paths { pathPages[path, default: 0] += 1 }
        }
        // The most common path that confirms on most pages.
        for (path, count) in pathPages.sorted(by: { ($0.value, $1.key.count) > ($1.value, $0.key.count) }) where Double(count) >= 0.6 * Double(pages.count) {
            var template = SiteTemplate(namePath: path, cardDepth: 1, titlePath: nil, affiliationPath: nil, pagesLearned: pages.count, pagesConfirmed: 0)
            var confirmed = 0
            var depthVotes: [Int: Int] = [:]
            var titleVotes: [[String]: Int] = [:], affiliationVotes: [[String]: Int] = [:]
            for page in pages {
                let names = Set(page.people.map { TextNormalization.matchKey($0.name) })
                let found = template.nameElements(in: page.document)
                let keys = found.map { TextNormalization.matchKey($0.text) }
                // Precision: what the path holds is the page's people.
                guard !found.isEmpty, Double(keys.filter(names.contains).count) >= 0.8 * Double(found.count) else { continue }
                confirmed += 1
                for element in found {
                    guard let person = page.people.first(where: { TextNormalization.matchKey($0.name) == TextNormalization.matchKey(element.text) }) else { continue }
                    // The card: the highest ancestor (up to 4 levels) holding only this name.
                    var depth = 0, node = element
                    while depth < 4, let parent = node.parent, template.nameCount(in: parent) == 1 {
                        node = parent
                        depth += 1
                    }
                    guard depth > 0 else { continue }
                    depthVotes[depth, default: 0] += 1
                    if let title = person.title, let at = elements(withText: title, in: node).first {
                        titleVotes[SiteTemplate.path(of: at, below: node, limit: 4), default: 0] += 1
                    }
                    if let affiliation = person.primaryAffiliation, let at = elements(withText: affiliation, in: node).first {
                        affiliationVotes[SiteTemplate.path(of: at, below: node, limit: 4), default: 0] += 1
                    }
                }
            }
            guard Double(confirmed) >= 0.6 * Double(pages.count), let depth = depthVotes.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) else { continue }
            template.cardDepth = depth.key
            template.pagesConfirmed = confirmed
            let cards = depthVotes.values.reduce(0, +)
            template.titlePath = titleVotes.filter { !$0.key.isEmpty && Double($0.value) >= 0.5 * Double(cards) }.max { $0.value < $1.value }?.key
            template.affiliationPath = affiliationVotes.filter { !$0.key.isEmpty && Double($0.value) >= 0.5 * Double(cards) }.max { $0.value < $1.value }?.key
            if template.titlePath == template.affiliationPath { template.affiliationPath = nil }
            return template
        }
        return nil
    }

    /// The deepest elements whose whole text is `text` (case and spacing aside).
    static func elements(withText text: String, in scope: HTMLNode) -> [HTMLNode] {
        let key = TextNormalization.matchKey(text)
        guard !key.isEmpty else { return [] }
        return scope.descendants.filter { node in
            node.isElement && TextNormalization.matchKey(node.text) == key
                && !node.children.contains { TextNormalization.matchKey($0.text) == key }
        }
    }

    static func elements(withText text: String, in document: HTMLDocument) -> [HTMLNode] {
        guard let root = document.root else { return [] }
        return elements(withText: text, in: root)
    }
}

extension SiteTemplate {
    /// How many elements like a name element (by its own step) are under `node`.
    func nameCount(in node: HTMLNode) -> Int {
        guard let last = namePath.last else { return 0 }
        return node.xpath(Self.xpath([last], anywhere: true)).count
    }
}

/// Applies a source's template to one of its pages. Every name it reads is checked like
/// any card's name (a person's name, not an organisation or a heading); when fewer than
/// half of the page's name elements pass, the template does not fit the page and it
/// returns nobody, leaving the page to the other extractors.
public struct TemplateExtractor: SpeakerExtractor {
    public let template: SiteTemplate
    let detector: PersonNameDetector
    public var name: String { "template" }

    public init(template: SiteTemplate, detector: PersonNameDetector = PersonNameDetector()) {
        self.template = template
        self.detector = detector
    }

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        let elements = template.nameElements(in: input.document)
        guard !elements.isEmpty else { return [] }
        var people: [ExtractedPerson] = []
        for element in elements {
            let text = TextNormalization.collapseWhitespace(element.text)
            guard text != input.eventTitle, let parsed = detector.parse(text, context: .card) else { continue }
            let card = template.card(of: element)
            let title = card.flatMap { SiteTemplate.text(at: template.titlePath, in: $0) }
            let affiliation = card.flatMap { SiteTemplate.text(at: template.affiliationPath, in: $0) }
            people.append(ExtractedPerson(name: parsed.display, honorific: parsed.honorific, title: title == text ? nil : title,
                                          affiliations: affiliation.map { [$0] } ?? [], confidence: 0.6, extractor: name))
        }
        return Double(people.count) >= 0.5 * Double(elements.count) ? people : []
    }
}
