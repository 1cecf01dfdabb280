import Foundation
import HTMLParsing
import SpeakerCore

/// What a listing page leads to: event pages, further listing pages, feeds and sitemaps.
public struct ListingLinks: Sendable, Equatable {
    public var events: [URL] = []
    public var nextPages: [URL] = []
    public var feeds: [URL] = []
    /// The URL shapes chosen as event pages (for filtering sitemap entries later).
    public var eventShapes: [String] = []
}

/// Reads a listing page. Event links come from the source's pattern when it has one;
/// otherwise from the URL shapes that repeat across the page's main content (links in
/// navigation, headers and footers, to other hosts, to assets, and to people or tag pages
/// are not events). Pagination comes from rel=next, "Next"/"Older" links, numbered page
/// links and ?page=N.
public struct ListingAnalyzer: Sendable {
    public var eventPattern: NSRegularExpression?

    public init(eventPattern: String?) throws {
        self.eventPattern = try eventPattern.map { try NSRegularExpression(pattern: $0) }
    }

    static let assetExtensions: Set<String> = ["css", "js", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "pdf", "zip",
                                               "mp3", "mp4", "mov", "woff", "woff2", "ttf", "eot", "json", "xml", "rss", "atom", "ics", "doc", "docx", "ppt", "pptx", "xls", "xlsx"]
    /// Path words of pages that are about people, taxonomies or the site, never events.
    static let nonEventWords: Set<String> = ["speaker", "speakers", "people", "person", "persons", "author", "authors", "tag", "tags",
                                             "category", "categories", "page", "login", "signup", "register", "contact", "about",
                                             "privacy", "imprint", "impressum", "search", "feed", "newsletter", "staff", "team",
                                             "sponsor", "sponsors", "partners", "jobs", "careers", "referenten", "intervenants", "ponentes"]
    static let nextWords = ["next", "older", "more events", "earlier", "weiter", "nächste", "ältere", "suivant", "plus anciens",
                            "siguiente", "anteriores", "次へ", "次のページ"]
    static let nextArrows: Set<Character> = ["›", "»", "→", ">", "⟩", "❯"]

    /// "Next", "Next page", "Older events →", "»": short link texts that mean the next
    /// page; a talk called "What's Next" is not one.
    static func isNextLabel(_ text: String) -> Bool {
        let trimmed = text.trimmed()
        guard !trimmed.isEmpty, trimmed.count <= 30 else { return false }
        if trimmed.allSatisfy({ nextArrows.contains($0) || $0 == " " }) { return true }
        let words = trimmed.split(whereSeparator: { $0.isWhitespace })
        guard words.count <= 3 else { return false }
        let lower = trimmed.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "›»→>⟩❯ "))
        return nextWords.contains { lower == $0 || lower.hasPrefix($0 + " ") }
    }

    public func analyze(_ document: HTMLDocument, pageURL: URL) -> ListingLinks {
        var links = ListingLinks()
        let host = pageURL.host?.lowercased()
        let anchors = document.select("a[href]")
        var seen = Set<String>()
        var candidates: [(url: URL, text: String, inChrome: Bool)] = []
        for anchor in anchors {
            guard let href = anchor["href"], let resolved = document.resolve(href),
                  let normalized = URLNormalizer.normalized(resolved.absoluteString), let url = URL(string: normalized) else { continue }
            guard url.host?.lowercased() == host else { continue }
            if url.pathExtension.lowercased() == "ics" || anchor["type"]?.contains("calendar") == true {
                links.feeds.append(url)
                continue
            }
            if Self.assetExtensions.contains(url.pathExtension.lowercased()) { continue }
            guard normalized != URLNormalizer.normalized(pageURL.absoluteString), seen.insert(normalized).inserted else { continue }
            candidates.append((url, anchor.visibleText, Self.isInPageChrome(anchor)))
        }
        for link in document.select("link[href]") {
            let type = (link["type"] ?? "").lowercased()
            if type.contains("calendar"), let url = link["href"].flatMap(document.resolve) { links.feeds.append(url) }
        }
        links.nextPages = nextPages(document, pageURL: pageURL, anchors: anchors)
        if let eventPattern {
            links.nextPages.removeAll { Self.matches(eventPattern, $0) }
        }
        let nextSet = Set(links.nextPages.map(\.absoluteString))
        if let eventPattern {
            links.events = candidates.map(\.url).filter { Self.matches(eventPattern, $0) }
        } else {
            let (events, shapes) = automaticEvents(candidates.filter { !$0.inChrome && !nextSet.contains($0.url.absoluteString) }, pageURL: pageURL)
            links.events = events
            links.eventShapes = shapes
            // A "next" link shaped like the event links is an event after all.
            let shapeSet = Set(shapes)
            let eventLike = links.nextPages.filter { shapeSet.contains(URLShape.of($0)) && !events.contains($0) }
            if !eventLike.isEmpty {
                links.nextPages.removeAll { shapeSet.contains(URLShape.of($0)) }
                links.events.append(contentsOf: eventLike)
            }
        }
        return links
    }

    /// Matches a pattern against the URL path (with query) or, failing that, the whole URL.
    public static func matches(_ pattern: NSRegularExpression, _ url: URL) -> Bool {
        var path = url.path.isEmpty ? "/" : url.path
        if url.absoluteString.hasSuffix("/") && !path.hasSuffix("/") { path += "/" }
        let withQuery = url.query.map { path + "?" + $0 } ?? path
        for text in [path, withQuery, url.absoluteString] {
            if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { return true }
        }
        return false
    }

    /// Links inside navigation, headers, footers and sidebars repeat on every page.
    static func isInPageChrome(_ node: HTMLNode) -> Bool {
        for ancestor in node.ancestors {
            let name = ancestor.name
            if name == "nav" || name == "footer" || name == "header" && ancestor.ancestors.allSatisfy({ $0.name != "article" && $0.name != "main" }) {
                return true
            }
            let marker = ((ancestor["class"] ?? "") + " " + (ancestor["id"] ?? "") + " " + (ancestor["role"] ?? "")).lowercased()
            if ["navbar", "navigation", "menu", "breadcrumb", "footer", "sidebar", "site-header", "masthead", "pagination", "pager"].contains(where: marker.contains) {
                return true
            }
        }
        return false
    }

    func automaticEvents(_ candidates: [(url: URL, text: String, inChrome: Bool)], pageURL: URL) -> ([URL], [String]) {
        let groups = Dictionary(grouping: candidates, by: { URLShape.of($0.url) })
        var scored: [(shape: String, score: Double, urls: [URL])] = []
        let listingDirectory = pageURL.deletingLastPathComponent().path
        for (shape, members) in groups {
            let words = Set(shape.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
            if !words.isDisjoint(with: Self.nonEventWords) { continue }
            guard shape.contains("{") else { continue }
            let urls = members.map(\.url)
            guard urls.count >= 2 else { continue }
            let depth = Double(shape.split(separator: "/").count)
            let titleLike = Double(members.filter { $0.text.split(separator: " ").count >= 2 || $0.text.count >= 8 }.count) / Double(members.count)
            let underListing = urls.filter { $0.path.hasPrefix(listingDirectory) }.count == urls.count ? 1.0 : 0.6
            let score = Double(urls.count) * (0.5 + titleLike) * underListing * (1 + depth / 10)
            scored.append((shape, score, urls))
        }
        guard let best = scored.max(by: { $0.score < $1.score }) else { return ([], []) }
        let chosen = scored.filter { $0.score >= best.score * 0.35 && $0.urls.count >= 2 }
        let urls = candidates.map(\.url).filter { url in chosen.contains { $0.shape == URLShape.of(url) } }
        return (urls, chosen.map(\.shape))
    }

    func nextPages(_ document: HTMLDocument, pageURL: URL, anchors: [HTMLNode]) -> [URL] {
        var result: [URL] = []
        func add(_ href: String?) {
            guard let href, let resolved = document.resolve(href), resolved.host?.lowercased() == pageURL.host?.lowercased(),
                  let normalized = URLNormalizer.normalized(resolved.absoluteString), let url = URL(string: normalized),
                  normalized != URLNormalizer.normalized(pageURL.absoluteString), !result.contains(url) else { return }
            result.append(url)
        }
        for node in document.select("link[rel~=next], a[rel~=next]") { add(node["href"]) }
        for anchor in anchors where Self.isNextLabel(anchor.visibleText) || Self.isNextLabel(anchor["aria-label"] ?? anchor["title"] ?? "") {
            add(anchor["href"])
        }
        // Numbered pagination: the link numbered one more than this page.
        let current = pageNumber(of: pageURL) ?? 1
        for anchor in anchors where anchor.visibleText.trimmingWhitespace() == String(current + 1) {
            add(anchor["href"])
        }
        // ?page=N with N+1 present among the links.
        if let current = pageNumber(of: pageURL) {
            for anchor in anchors {
                if let href = anchor["href"], let url = document.resolve(href), pageNumber(of: url) == current + 1 { add(href) }
            }
        }
        return result
    }

    /// The page number a URL carries: ?page=3, ?p=3, /page/3, /page-3.html, /3.html after a listing path.
    public func pageNumber(of url: URL) -> Int? {
        if let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems {
            for item in items where ["page", "p", "pg", "paged", "seite", "pagina"].contains(item.name.lowercased()) {
                if let value = item.value.flatMap(Int.init) { return value }
            }
        }
        let path = url.path
        if let range = path.range(of: #"/page[/-](\d+)"#, options: .regularExpression) {
            return Int(path[range].filter(\.isNumber))
        }
        return nil
    }
}
