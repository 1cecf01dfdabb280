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
    /// Lines of the main content that hold a date (a programme or an archive has many).
    public var dateLines: Int
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
        self.dateLines = 0
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

    /// `aliases`: other host names of the same site (its canonical domain, when the pages are
    /// served under another name): links to them are links into the site.
    public func summarize(_ document: HTMLDocument, url: URL, depth: Int, aliases: Set<String> = []) -> (PageSummary, [PageLink]) {
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
        for (index, line) in lines.prefix(400).enumerated() where line.count <= 200 && line.contains(where: \.isNumber) {
            guard DateTextParser.parse(line, language: language) != nil else { continue }
            summary.dateLines += 1
            if index < 60 { summary.hasDate = true }
        }
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

        let links = self.links(document, pageURL: url, aliases: aliases)
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
        // Short texts that are a name, or a name before a comma or dash ("Jo Lee, Acme"):
        // lines, and the cells and items of tables and lists (a row's line joins its cells).
        var texts = lines.prefix(300).filter { $0.count <= 80 }
        if let main {
            let selector = "td, th, li, dd, dt, strong, b, h3, h4, h5, [class*=name], [class*=speaker], [class*=person], [itemprop=name]"
            for node in main.select(selector).prefix(800) where !ListingAnalyzer.isInPageChrome(node) {
                let text = node.visibleText
                if text.count <= 80 { texts.append(text) }
            }
        }
        for text in texts {
            for part in text.split(whereSeparator: { ",|–—(/&".contains($0) }).prefix(3) {
                if let name = detector.parse(part.trimmingWhitespace(), context: .card) { names.insert(name.display) }
            }
            if names.count >= 200 { break }
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
    func links(_ document: HTMLDocument, pageURL: URL, aliases: Set<String> = []) -> [PageLink] {
        let host = pageURL.host?.lowercased()
        // A link to an alias host is rewritten to the host being read.
        func local(_ url: URL) -> URL? {
            guard let linkHost = url.host?.lowercased() else { return nil }
            if linkHost == host { return url }
            guard aliases.contains(linkHost), var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
            components.scheme = pageURL.scheme
            components.host = pageURL.host
            components.port = pageURL.port
            return components.url
        }
        let selfURL = URLNormalizer.normalized(pageURL.absoluteString)
        let anchors = document.select("a[href]")
        let next = Set(ListingAnalyzer.nextPages(document, pageURL: pageURL, anchors: anchors).map(\.absoluteString))
        var seen = Set<String>()
        var result: [PageLink] = []
        for anchor in anchors {
            guard let href = anchor["href"], !href.hasPrefix("#"), !Self.looksLikeEmail(href), let absolute = document.resolve(href),
                  let scheme = absolute.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let resolved = local(absolute),
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

    /// "jo@example.org" written as a link without "mailto:".
    static func looksLikeEmail(_ href: String) -> Bool {
        let last = href.split(separator: "/").last ?? ""
        return last.contains("@") && last.contains(".") && !href.contains("?")
    }

    /// Other host names of the site the page belongs to: the host of its canonical URL
    /// (`<link rel="canonical">`, `og:url`) when that URL has the page's own path — the
    /// site's real domain, when the pages are served under another name.
    public static func aliasHosts(_ document: HTMLDocument, pageURL: URL) -> Set<String> {
        var hosts = Set<String>()
        let candidates = document.select("link[rel=canonical]").compactMap { $0["href"] } + [document.meta("og:url")].compactMap { $0 }
        for candidate in candidates {
            guard let url = document.resolve(candidate), let host = url.host?.lowercased(), host != pageURL.host?.lowercased() else { continue }
            let trim: (String) -> String = { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            if trim(url.path) == trim(pageURL.path) { hosts.insert(host) }
        }
        return hosts
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
