import Foundation
import HTMLParsing
import Names
import SpeakerCore

/// A link found on a page, with where it sat: discovery weighs links in the content above
/// links in navigation, and follows "next page" links first.
public struct PageLink: Sendable, Equatable {
    public var url: URL
    public var text: String
    public var inChrome: Bool
    public var isNextPage: Bool
}

/// What discovery needs to know about one fetched page: the evidence that it presents one
/// event, or that it is something else (a listing, a person's profile, a news item, a
/// notice), and its links. Computed once, when the page is fetched; the page itself is not
/// kept in memory.
public struct PageSummary: Sendable, Codable, Equatable {
    public var url: String
    public var shape: String
    /// Links followed from the start page to reach this one.
    public var depth: Int
    public var title: String?
    /// The page's main heading is a person's name: a profile page.
    public var headingIsPerson: Bool
    /// schema.org Event in JSON-LD or microdata.
    public var eventData: Bool
    /// A date near the top of the main content.
    public var hasDate: Bool
    /// Distinct times of day in the main content ("14:30", "6 pm").
    public var clockTimes: Int
    /// Distinct person names in the main content (lines and link texts).
    public var personNames: Int
    /// Of those, names that are links (to speaker pages, usually).
    public var personLinks: Int
    /// Words of taking part: speaker, moderator, talk, Vortrag, intervenant, 登壇…
    public var roleCues: Int
    /// The title reads as a notice rather than an event: closed, opening hours…
    public var noticeTitle: Bool
    public var mainTextLength: Int
    /// Share of the main text that is link text: listings are mostly links.
    public var linkTextShare: Double
    /// Links in the main content (not navigation).
    public var contentLinks: Int

    public init(url: String, shape: String, depth: Int) {
        self.url = url
        self.shape = shape
        self.depth = depth
        self.title = nil
        self.headingIsPerson = false
        self.eventData = false
        self.hasDate = false
        self.clockTimes = 0
        self.personNames = 0
        self.personLinks = 0
        self.roleCues = 0
        self.noticeTitle = false
        self.mainTextLength = 0
        self.linkTextShare = 0
        self.contentLinks = 0
    }
}

/// Reads a `PageSummary` and the page's links from a parsed page.
public struct PageSummarizer: Sendable {
    let detector = PersonNameDetector()

    public init() {}

    /// Words that say people take part in what the page describes, in the languages the
    /// extraction chain reads (English, German, French, Spanish, Italian, Portuguese, Dutch,
    /// Japanese). Matched as whole lower-case words.
    static let roleWords: Set<String> = [
        "speaker", "speakers", "presenter", "presenters", "presented", "moderator", "moderated", "moderators", "panelist",
        "panelists", "panellist", "panellists", "keynote", "lecturer", "talk", "lecture", "workshop", "session", "abstract",
        "chair", "chaired", "host", "hosted", "discussant", "facilitator", "facilitated", "instructor", "guest", "guests",
        "referent", "referentin", "referenten", "vortrag", "sprecher", "sprecherin", "moderation", "vortragende", "gast",
        "intervenant", "intervenants", "intervenante", "conférence", "conférencier", "conférencière", "animé", "animateur",
        "ponente", "ponentes", "charla", "conferencia", "moderador", "moderadora", "invitado", "invitada",
        "relatore", "relatori", "relatrice", "intervento", "palestrante", "palestrantes", "palestra", "spreker", "sprekers",
        "lezing", "講演", "登壇", "登壇者", "講師", "司会", "発表", "セッション", "スピーカー", "モデレーター",
    ]

    /// Title words of pages that are not events even when they sit among events.
    static let noticeWords = ["closed", "closure", "closing hours", "opening hours", "holiday hours", "notice", "geschlossen",
                              "schließung", "öffnungszeiten", "fermé", "fermeture", "horaires", "cerrado", "cierre", "chiuso",
                              "chiusura", "fechado", "gesloten", "休館", "休業"]

    static let clockTime = try! NSRegularExpression(
        pattern: #"(?<![\d.:])(?:[01]?\d|2[0-3])(?::|h|\.)[0-5]\d(?![\d.:])|(?<!\d)(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:a\.?m\.?|p\.?m\.?)(?![a-z])|\d{1,2}時(?:\d{1,2}分)?"#,
        options: [.caseInsensitive])

    public func summarize(_ document: HTMLDocument, url: URL, depth: Int) -> (PageSummary, [PageLink]) {
        let normalized = URLNormalizer.normalized(url.absoluteString) ?? url.absoluteString
        var summary = PageSummary(url: normalized, shape: URLShape.of(url), depth: depth)
        let main = EventPageReader.mainContent(document)
        let heading = Self.mainHeading(document, main: main)
        let pageTitle = document.title.flatMap(TextNormalization.clean)
        // Both, so pages that share a site-wide <h1> or <title> still differ.
        summary.title = [pageTitle, heading].compactMap { $0 }.joined(separator: " | ")
        if let heading {
            // "Speaker: Jo Lee" — a label before the name.
            let name = heading.split(separator: ":", maxSplits: 1).last.map(String.init)?.trimmingWhitespace() ?? heading
            if name.split(separator: " ").count <= 6 {
                summary.headingIsPerson = detector.parse(name, context: .section) != nil
            }
        }
        summary.eventData = JSONLD.objects(in: document).contains(where: JSONLD.isEvent)
            || document.select("[itemtype]").contains { ($0["itemtype"] ?? "").hasSuffix("Event") }
        if let title = summary.title?.lowercased() {
            summary.noticeTitle = Self.noticeWords.contains { title.contains($0) }
        }
        let lines = main.map(EventPageReader.dedupedLines) ?? []
        let language = EventPageReader.normalizedLanguage(document.language)
        summary.hasDate = lines.prefix(60).contains { $0.count <= 200 && DateTextParser.parse($0, language: language) != nil }
        let text = lines.joined(separator: "\n")
        summary.mainTextLength = text.count
        var times = Set<String>()
        let range = NSRange(text.startIndex..., in: text)
        for match in Self.clockTime.matches(in: text, range: range).prefix(400) {
            if let found = Range(match.range, in: text) { times.insert(text[found].lowercased().replacingOccurrences(of: " ", with: "")) }
        }
        summary.clockTimes = times.count
        var cues = 0
        for line in lines.prefix(400) {
            for word in line.lowercased().split(whereSeparator: { !$0.isLetter }) where Self.roleWords.contains(String(word)) {
                cues += 1
            }
            // Japanese has no spaces: look for the cue words inside the line.
            if line.unicodeScalars.contains(where: { (0x3040...0x9FFF).contains($0.value) }) {
                cues += Self.roleWords.filter { $0.unicodeScalars.first.map { $0.value >= 0x3040 } == true && line.contains($0) }.count
            }
        }
        summary.roleCues = cues

        let links = self.links(document, pageURL: url)
        var names = Set<String>()
        var linkedNames = Set<String>()
        var linkText = 0
        var contentLinks = 0
        if let main {
            for anchor in main.select("a[href]") where !ListingAnalyzer.isInPageChrome(anchor) {
                let text = anchor.visibleText.trimmingWhitespace()
                linkText += text.count
                contentLinks += 1
                if text.count <= 60, let name = detector.parse(text, context: .card) {
                    linkedNames.insert(name.display)
                }
            }
        }
        for line in lines.prefix(300) where line.count <= 80 {
            // A short line that is a name, or a name before a comma or dash ("Jo Lee, Acme").
            let head = line.split(whereSeparator: { ",|–—(".contains($0) }).first.map(String.init) ?? line
            if let name = detector.parse(head.trimmingWhitespace(), context: .card) { names.insert(name.display) }
        }
        summary.personLinks = linkedNames.count
        summary.personNames = names.union(linkedNames).count
        summary.contentLinks = contentLinks
        summary.linkTextShare = text.isEmpty ? 0 : min(1, Double(linkText) / Double(text.count))
        return (summary, links)
    }

    /// The heading of the page's own content: the first h1 or h2 outside the page chrome,
    /// else the document's h1.
    static func mainHeading(_ document: HTMLDocument, main: HTMLNode?) -> String? {
        for node in (main?.select("h1, h2") ?? []) + document.select("h1") where !ListingAnalyzer.isInPageChrome(node) {
            if let text = TextNormalization.clean(node.visibleText), text.count <= 200 { return text }
        }
        return document.first("h1").map(\.visibleText).flatMap(TextNormalization.clean)
    }

    /// Every same-host link that may lead to a page: not assets, not feeds, not the page itself.
    func links(_ document: HTMLDocument, pageURL: URL) -> [PageLink] {
        let host = pageURL.host?.lowercased()
        let selfURL = URLNormalizer.normalized(pageURL.absoluteString)
        let anchors = document.select("a[href]")
        let next = Set(ListingAnalyzer.nextPages(document, pageURL: pageURL, anchors: anchors).map(\.absoluteString))
        var seen = Set<String>()
        var result: [PageLink] = []
        for anchor in anchors {
            guard let href = anchor["href"], !href.hasPrefix("#"), let resolved = document.resolve(href),
                  let scheme = resolved.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  resolved.host?.lowercased() == host,
                  let normalized = URLNormalizer.normalized(resolved.absoluteString), normalized != selfURL,
                  let url = URL(string: normalized) else { continue }
            let pathExtension = url.pathExtension.lowercased()
            if ListingAnalyzer.assetExtensions.contains(pathExtension) || pathExtension == "ics" { continue }
            if Self.isActionLink(url) { continue }
            guard seen.insert(normalized).inserted else { continue }
            result.append(PageLink(url: url, text: anchor.visibleText.trimmingWhitespace(), inChrome: ListingAnalyzer.isInPageChrome(anchor),
                                   isNextPage: next.contains(normalized)))
        }
        // <link rel="next"> in the head: pagination with no anchor for it.
        for key in next.sorted() where !seen.contains(key) {
            if let url = URL(string: key) { result.append(PageLink(url: url, text: "", inChrome: false, isNextPage: true)) }
        }
        return result
    }

    /// Links that do something rather than show a page: calendar exports, sharing, sign-in,
    /// searches, print views, and calendar grids that page through time without end.
    static func isActionLink(_ url: URL) -> Bool {
        let path = url.path.lowercased()
        for word in ["/wp-admin", "/wp-login", "/wp-json", "/xmlrpc", "/login", "/logout", "/signin", "/sign-in", "/register",
                     "/cart", "/checkout", "/feed", "/print/", "/share", "/search"] where path.contains(word) {
            return true
        }
        guard let query = url.query?.lowercased() else { return false }
        for word in ["ical=", "outlook-ical", "share=", "replytocom=", "print=", "format=ical", "tribe-bar-date", "eventdisplay=",
                     "action=", "login", "search=", "q=", "s="] where query.contains(word) {
            if word == "q=" || word == "s=" {
                // only as a whole parameter name
                if query.split(separator: "&").contains(where: { $0.hasPrefix(word) }) { return true }
                continue
            }
            return true
        }
        return false
    }
}
