import Foundation
import HTMLParsing
import SpeakerCore

/// The parts of a page discovery reads the same way on every site: pagination links,
/// page chrome (navigation, headers, footers), links to assets, and event-link patterns.
public enum ListingAnalyzer {
    static let assetExtensions: Set<String> = ["css", "js", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "pdf", "zip",
                                               "mp3", "mp4", "mov", "woff", "woff2", "ttf", "eot", "json", "xml", "rss", "atom", "ics", "doc", "docx", "ppt", "pptx", "xls", "xlsx",
                                               "txt", "csv", "gz", "tgz", "avif", "webm", "ogg", "wav", "m4a", "epub", "key", "odt", "odp", "ods"]
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

    /// Matches a pattern against the URL path (with query) or, failing that, the whole URL.
    public static func matches(_ pattern: NSRegularExpression, _ url: URL) -> Bool {
        var path = url.path.isEmpty ? "/" : url.path
        if url.absoluteString.hasSuffix("/") && !path.hasSuffix("/") { path += "/" }
        let withQuery = url.query.map { path + "?" + $0 } ?? path
        // "/talks/x" is usually served as "/talks/x/" (a redirect): a pattern written for
        // either form matches both.
        let lastSegment = path.split(separator: "/").last ?? ""
        let withSlash = !path.hasSuffix("/") && !lastSegment.contains(".") ? [path + "/"] : []
        for text in [path, withQuery, url.absoluteString] + withSlash {
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
            // id="header" / class="header": the page's banner, unless inside the content.
            if marker.split(separator: " ").contains("header") && ancestor.ancestors.allSatisfy({ $0.name != "article" && $0.name != "main" }) {
                return true
            }
        }
        return false
    }

    /// The next listing pages a page links to: rel=next, "Next"/"Older" links, the link
    /// numbered one more than this page, and ?page=N+1.
    static func nextPages(_ document: HTMLDocument, pageURL: URL, anchors: [HTMLNode]) -> [URL] {
        var result: [URL] = []
        func add(_ href: String?) {
            guard let href, let resolved = document.resolve(href), resolved.host?.lowercased() == pageURL.host?.lowercased(),
                  let normalized = URLNormalizer.normalized(resolved.absoluteString), let url = URL(string: normalized),
                  normalized != URLNormalizer.normalized(pageURL.absoluteString), !result.contains(url) else { return }
            result.append(url)
        }
        for node in document.select("link[rel~=next], a[rel~=next]") { add(node["href"]) }
        for anchor in anchors where isNextLabel(anchor.visibleText) || isNextLabel(anchor["aria-label"] ?? anchor["title"] ?? "") {
            add(anchor["href"])
        }
        let current = pageNumber(of: pageURL) ?? 1
        for anchor in anchors where anchor.visibleText.trimmingWhitespace() == String(current + 1) {
            add(anchor["href"])
        }
        if let current = pageNumber(of: pageURL) {
            for anchor in anchors {
                if let href = anchor["href"], let url = document.resolve(href), pageNumber(of: url) == current + 1 { add(href) }
            }
        }
        return result
    }

    /// The page number a URL carries: ?page=3, ?p=3, /page/3, /page-3.html.
    public static func pageNumber(of url: URL) -> Int? {
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

    /// Calendar feeds a page links to (`.ics` links, `type=text/calendar`).
    static func feeds(_ document: HTMLDocument, pageURL: URL) -> [URL] {
        var feeds: [URL] = []
        let host = pageURL.host?.lowercased()
        for anchor in document.select("a[href]") {
            guard let href = anchor["href"], let url = document.resolve(href), url.host?.lowercased() == host else { continue }
            if url.pathExtension.lowercased() == "ics" || anchor["type"]?.contains("calendar") == true { feeds.append(url) }
        }
        for link in document.select("link[href]") where (link["type"] ?? "").lowercased().contains("calendar") {
            if let url = link["href"].flatMap(document.resolve) { feeds.append(url) }
        }
        return feeds
    }
}
