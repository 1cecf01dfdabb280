import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// Where one source's pages put their speakers, induced by comparing the source's pages
/// (`TemplateInducer`): the element path that holds each speaker's name, and, inside the
/// block around it (the "card"), the paths of the title, the organisation and the bio. Paths are class paths without
/// positions ("div.speakers/article.card/h3.name"), so they match every card of a page.
public struct SiteTemplate: Codable, Sendable, Equatable {
    /// The last steps of the path to a name element, outermost first.
    public var namePath: [String]
    /// How many levels above the name element the card starts.
    public var cardDepth: Int
    /// Paths from the card down to the title and to the organisation element.
    public var titlePath: [String]?
    public var affiliationPath: [String]?
    public var bioPath: [String]?
    /// Pages the template was induced from, and how many of them have the name slot.
    public var pagesLearned: Int
    public var pagesConfirmed: Int
    /// How the template was made (`TemplateInducer.method`); nil for templates stored by
    /// earlier versions, which learned from extractor output and are induced again.
    public var method: String?

    public init(namePath: [String], cardDepth: Int, titlePath: [String]?, affiliationPath: [String]?, bioPath: [String]? = nil,
                pagesLearned: Int, pagesConfirmed: Int, method: String? = nil) {
        self.namePath = namePath
        self.cardDepth = cardDepth
        self.titlePath = titlePath
        self.affiliationPath = affiliationPath
        self.bioPath = bioPath
        self.pagesLearned = pagesLearned
        self.pagesConfirmed = pagesConfirmed
        self.method = method
    }

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

/// Induces a source's template by comparing the source's own pages, without looking at
/// what any extractor found: a *slot* is an element position (a class path, as in
/// `SiteTemplate`) that most pages have, whose text changes from page to page, and whose
/// text reads as one or more people's names. Labels ("Speakers", "Organization") repeat on
/// every page and so are never slots; talk titles and descriptions vary but are not names.
/// Inside the block around each name (the card), slots that read as job titles, as short
/// organisation-like lines and as long prose become the title, organisation and bio paths.
public enum TemplateInducer {
    /// Pages needed before a slot can be told from a coincidence.
    public static let minimumPages = 3
    /// Pages compared (a sample chosen by URL; see `SiteTemplateStore.sample`).
    public static let samplePages = 16
    /// Marks templates made by this inducer; a stored template without it is re-induced.
    public static let method = "induced-1"

    public struct Page {
        public var document: HTMLDocument
        public var url: URL
        public var eventTitle: String?

        public init(document: HTMLDocument, url: URL, eventTitle: String?) {
            self.document = document
            self.url = url
            self.eventTitle = eventTitle
        }
    }

    static let blockNames: Set<String> = ["p", "div", "ul", "ol", "li", "section", "article", "table", "tbody", "thead", "tr", "dl", "dt", "dd",
                                          "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "aside", "figure", "form", "nav", "main",
                                          "blockquote", "details", "summary", "td", "th"]

    /// The text-holding elements of a page's main content outside site chrome: for each
    /// short text, the deepest element that holds all of it.
    static func leaves(in scope: HTMLNode, chrome: ChromeMap?, maxLength: Int = 160) -> [(node: HTMLNode, text: String)] {
        var result: [(node: HTMLNode, text: String)] = []
        for node in scope.descendants where node.isElement {
            let name = node.name.lowercased()
            guard name != "script", name != "style", name != "noscript", name != "button", name != "option", name != "select" else { continue }
            let children = node.children
            guard !children.contains(where: { blockNames.contains($0.name.lowercased()) && !$0.text.isEmpty }) else { continue }
            let text = TextNormalization.collapseWhitespace(node.text)
            guard text.count >= 3, text.count <= maxLength else { continue }
            if children.contains(where: { TextNormalization.collapseWhitespace($0.text) == text }) { continue }
            if let chrome, chrome.contains(node) { continue }
            result.append((node, text))
        }
        return result
    }

    /// The people a slot's text names: one name, a list of names ("A, B and C"), or one
    /// person's line ("A, Director, Example Institute"); nil when the text is not that.
    /// Deciding a slot uses the card bar; reading a slot already shown to hold names uses
    /// the lower structured-data bar, so given names the lexicon lacks still pass.
    static func people(in text: String, lines: PersonLineParser, context: NameContext = .card) -> [PersonLine]? {
        var normalised = text
        for separator in [" and ", " & ", " und ", " et ", " y ", " e ", " / ", "; ", " · ", " | "] {
            normalised = normalised.replacingOccurrences(of: separator, with: ", ")
        }
        let pieces = normalised.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if pieces.count >= 2, pieces.count <= 12 {
            let names = pieces.compactMap { lines.detector.parse($0, context: context) }
            if names.count == pieces.count { return names.map { PersonLine(name: $0) } }
        }
        if let line = lines.parse(text, context: context) { return [line] }
        return nil
    }

    /// Whether a text is the name or a part of it (a first or last name shown apart).
    static func isPart(of nameKey: String, _ text: String) -> Bool {
        let key = TextNormalization.matchKey(text)
        guard !key.isEmpty else { return true }
        let nameTokens = nameKey.split(separator: " ")
        return key.split(separator: " ").allSatisfy { nameTokens.contains($0) }
    }

    struct SlotStats {
        var pages = 0
        var texts = 0
        var nameLike = 0
        var pagesWithText: [String: Int] = [:]
    }

    public static func induce(from pages: [Page], lines: PersonLineParser = PersonLineParser()) -> SiteTemplate? {
        guard pages.count >= minimumPages else { return nil }
        var slots: [[String]: SlotStats] = [:]
        var slotNodes: [[String]: Set<HTMLNode>] = [:]
        for page in pages {
            let input = ExtractionInput(document: page.document, url: page.url, language: nil, eventTitle: page.eventTitle)
            guard let main = input.main, let root = page.document.root else { continue }
            let chrome = ChromeMap(root)
            let title = page.eventTitle.map(TextNormalization.matchKey)
            var texts: [[String]: [String]] = [:]
            for leaf in leaves(in: main, chrome: chrome) where TextNormalization.matchKey(leaf.text) != title {
                let path = SiteTemplate.path(of: leaf.node)
                texts[path, default: []].append(leaf.text)
                slotNodes[path, default: []].insert(leaf.node)
            }
            for (path, found) in texts {
                var stats = slots[path, default: SlotStats()]
                stats.pages += 1
                stats.texts += found.count
                stats.nameLike += found.filter { people(in: $0, lines: lines) != nil }.count
                for key in Set(found.map(TextNormalization.matchKey)) { stats.pagesWithText[key, default: 0] += 1 }
                slots[path] = stats
            }
        }
        let needed = max(minimumPages, Int((0.4 * Double(pages.count)).rounded(.up)))
        let candidates = slots.filter { _, stats in
            stats.pages >= needed
                && Double(stats.nameLike) >= 0.7 * Double(stats.texts)
                // The same text on most pages is a label or a site-wide credit, not a slot.
                && (stats.pagesWithText.values.max() ?? 0) <= max(2, Int(0.3 * Double(stats.pages)))
                && stats.texts <= 40 * stats.pages
        }
        func better(_ a: (key: [String], value: SlotStats), _ b: (key: [String], value: SlotStats)) -> Bool {
            let sa = Double(a.value.pages) * Double(a.value.nameLike) / Double(max(1, a.value.texts))
            let sb = Double(b.value.pages) * Double(b.value.nameLike) / Double(max(1, b.value.texts))
            if (sa, a.value.texts, b.key.count) != (sb, b.value.texts, a.key.count) {
                return (sa, a.value.texts, b.key.count) > (sb, b.value.texts, a.key.count)
            }
            // Equal on every count: the path itself decides, so a run never depends on
            // the dictionary's (per-process, randomly seeded) order.
            return a.key.lexicographicallyPrecedes(b.key)
        }
        guard let top = candidates.min(by: better) else { return nil }
        // A slot around another name slot is the card, not the name: "<li><strong
        // class=name>Jane Roe</strong> <span>Acme</span></li>" has both the li and the strong
        // as slots; the name is the innermost one.
        var chosen = top
        var visited: Set<[String]> = [top.key]
        while let inner = candidates.filter({ !visited.contains($0.key) && isInside($0.key, chosen.key, nodes: slotNodes) }).min(by: better) {
            chosen = inner
            visited.insert(inner.key)
        }
        let best = chosen
        var template = SiteTemplate(namePath: best.key, cardDepth: 0, titlePath: nil, affiliationPath: nil,
                                    pagesLearned: pages.count, pagesConfirmed: best.value.pages)
        template.method = method
        induceCard(&template, pages: pages, lines: lines)
        return template
    }

    /// Whether the elements of slot `inner` sit inside elements of slot `outer` (most of
    /// them: at least four in five).
    static func isInside(_ inner: [String], _ outer: [String], nodes: [[String]: Set<HTMLNode>]) -> Bool {
        guard let innerNodes = nodes[inner], let outerNodes = nodes[outer], !innerNodes.isEmpty else { return false }
        let inside = innerNodes.filter { node in node.ancestors.contains(where: outerNodes.contains) }.count
        return Double(inside) >= 0.8 * Double(innerNodes.count)
    }

    /// The card around each name and the slots inside it.
    static func induceCard(_ template: inout SiteTemplate, pages: [Page], lines: PersonLineParser) {
        // How high above each name its card may start: the highest ancestor (up to 4
        // levels) that holds only this name and not the page's title heading.
        var reach: [(name: HTMLNode, levels: Int)] = []
        for page in pages {
            for element in template.nameElements(in: page.document) {
                var depth = 0, node = element
                while depth < 4, let parent = node.parent, !["body", "html", "main"].contains(parent.name.lowercased()),
                      template.nameCount(in: parent) == 1,
                      !parent.children.contains(where: { $0 != node && ($0.name == "h1" || $0.name == "h2" || !$0.select("h1, h2").isEmpty) }) {
                    node = parent
                    depth += 1
                }
                reach.append((element, depth))
            }
        }
        // The card depth: the highest level that holds one name for nearly every name.
        guard let depth = (1...4).reversed().first(where: { level in
            Double(reach.filter { $0.levels >= level }.count) >= 0.9 * Double(reach.count)
        }), !reach.isEmpty else { return }
        template.cardDepth = depth
        let cards: [(card: HTMLNode, name: HTMLNode)] = reach.compactMap { name, levels in
            guard levels >= depth, let card = template.card(of: name) else { return nil }
            return (card, name)
        }
        struct Votes { var cards = 0, titleLike = 0, nameLike = 0, long = 0, orgLike = 0 }
        var votes: [[String]: Votes] = [:]
        for (card, name) in cards {
            var seen = Set<[String]>()
            let nameKey = TextNormalization.matchKey(name.text)
            for leaf in leaves(in: card, chrome: nil, maxLength: 2000) where leaf.node != name && !leaf.node.ancestors.contains(name) && !name.ancestors.contains(leaf.node) {
                let path = SiteTemplate.path(of: leaf.node, below: card, limit: 4)
                guard !path.isEmpty, seen.insert(path).inserted, !TemplateInducer.isPart(of: nameKey, leaf.text) else { continue }
                // The class says what a slot holds: where the person is based is neither
                // their title nor their employer; a slot named for the employer is one.
                let classWords = (path.last ?? "").split(whereSeparator: { !$0.isLetter }).map(String.init)
                if CardExtractor.placeHints.contains(where: classWords.contains) { continue }
                let namedForEmployer = CardExtractor.organisationHints.contains(where: classWords.contains)
                var vote = votes[path, default: Votes()]
                vote.cards += 1
                let words = leaf.text.split(separator: " ").count
                if namedForEmployer && words <= 10 { vote.orgLike += 1 }
                else if words >= 8 { vote.long += 1 }
                else if lines.looksLikeTitle(leaf.text) { vote.titleLike += 1 }
                else if people(in: leaf.text, lines: lines) != nil { vote.nameLike += 1 }
                else if words <= 10, leaf.text.first?.isUppercase == true || leaf.text.first?.isNumber == true { vote.orgLike += 1 }
                votes[path] = vote
            }
        }
        let enough = max(1, Int((0.5 * Double(cards.count)).rounded(.up)))
        func best(_ value: (Votes) -> Int) -> [String]? {
            votes.filter { $0.value.cards >= enough && Double(value($0.value)) >= 0.6 * Double($0.value.cards) }
                .max { a, b in
                    if (value(a.value), b.key.count) != (value(b.value), a.key.count) {
                        return (value(a.value), b.key.count) < (value(b.value), a.key.count)
                    }
                    return b.key.lexicographicallyPrecedes(a.key)
                }?.key
        }
        template.titlePath = best(\.titleLike)
        template.affiliationPath = best(\.orgLike)
        template.bioPath = best(\.long)
        if template.affiliationPath == template.titlePath { template.affiliationPath = nil }
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
    let lines: PersonLineParser
    public var name: String { "template" }

    public init(template: SiteTemplate, detector: PersonNameDetector = PersonNameDetector()) {
        self.template = template
        self.lines = PersonLineParser(detector: detector)
    }

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        let elements = template.nameElements(in: input.document).filter { !ExtractionText.isChrome($0) }
        guard !elements.isEmpty else { return [] }
        var people: [ExtractedPerson] = []
        var read = 0
        for element in elements {
            let text = TextNormalization.collapseWhitespace(element.text)
            guard text != input.eventTitle, let found = TemplateInducer.people(in: text, lines: lines, context: .structured) else { continue }
            read += 1
            let card = template.cardDepth > 0 ? template.card(of: element) : nil
            var title = card.flatMap { SiteTemplate.text(at: template.titlePath, in: $0) }
            var affiliation = card.flatMap { SiteTemplate.text(at: template.affiliationPath, in: $0) }
            let bio = card.flatMap { SiteTemplate.text(at: template.bioPath, in: $0) }
            let nameKey = TextNormalization.matchKey(text)
            if let value = title, TemplateInducer.isPart(of: nameKey, value) { title = nil }
            if let value = affiliation, TemplateInducer.isPart(of: nameKey, value) { affiliation = nil }
            for line in found {
                // A title line that also names the organisation ("Director, Example Institute").
                if found.count == 1, let details = title, affiliation == nil, line.affiliation == nil {
                    let split = lines.splitDetails(details)
                    if split.affiliation != nil { title = split.title; affiliation = split.affiliation }
                }
                let ownTitle = found.count == 1 ? (line.title ?? title) : line.title
                let ownAffiliation = found.count == 1 ? (line.affiliation ?? affiliation) : line.affiliation
                people.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific,
                                              title: ownTitle == text ? nil : ExtractionText.clean(ownTitle),
                                              affiliations: [ownAffiliation].compactMap { ExtractionText.clean($0) },
                                              role: line.role ?? .speaker, bio: found.count == 1 ? ExtractionText.clean(bio, max: 5000) : nil,
                                              confidence: 0.6, extractor: name))
            }
        }
        return Double(read) >= 0.5 * Double(elements.count) ? people : []
    }
}
