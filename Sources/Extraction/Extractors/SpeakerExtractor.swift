import Foundation
import HTMLParsing
import SpeakerCore

/// An event page ready for extraction.
public struct ExtractionInput {
    public let document: HTMLDocument
    public let url: URL
    public let language: String?
    /// The event's title, which is never a person's name.
    public let eventTitle: String?
    /// Pages of the same site this page links to by a person's name, read by the crawl
    /// (normalised URL → page); `LinkFamilyExtractor` reads them.
    public var linkedPages: [String: HTMLDocument] = [:]

    public init(document: HTMLDocument, url: URL, language: String?, eventTitle: String?) {
        self.document = document
        self.url = url
        self.language = language
        self.eventTitle = eventTitle
    }

    /// The page's main content (without site chrome), or the body.
    public var main: HTMLNode? {
        for selector in ["main", "[role=main]", "article", "#content", "#main-content", "#main", ".content", ".main"] {
            if let node = document.select(selector).max(by: { $0.text.count < $1.text.count }), node.text.count >= 100 { return node }
        }
        return document.first("body")
    }
}

/// Finds the people taking part in an event on its page. Each extractor returns what it
/// is sure of with a confidence; `ExtractionChain` merges them.
public protocol SpeakerExtractor: Sendable {
    var name: String { get }
    func extract(_ input: ExtractionInput) -> [ExtractedPerson]
}

/// Helpers shared by the extractors.
enum ExtractionText {
    static func clean(_ text: String?, max: Int = 400) -> String? {
        guard let text else { return nil }
        let collapsed = TextNormalization.collapseWhitespace(text)
            .trimmed(where: { $0.isWhitespace || ",;|–—-·•:".contains($0) })
        guard !collapsed.isEmpty else { return nil }
        return String(collapsed.prefix(max))
    }

    static let chromeMarkers = ["navbar", "navigation", "site-header", "site-footer", "footer", "breadcrumb", "cookie", "newsletter",
                                "related", "upcoming", "coming-up", "promo"]

    /// Whether a node itself is site chrome (navigation, header, footer, promotions).
    static func isChromeRoot(_ node: HTMLNode) -> Bool {
        let name = node.name
        if name == "nav" || name == "footer" { return true }
        if name == "header" && !node.ancestors.contains(where: { $0.name == "article" || $0.name == "main" }) { return true }
        guard node["class"] != nil || node["id"] != nil || node["role"] != nil else { return false }
        let marker = ((node["class"] ?? "") + " " + (node["id"] ?? "") + " " + (node["role"] ?? "")).lowercased()
        return chromeMarkers.contains(where: { marker.containsBytes($0) })
    }

    /// Whether a node sits in site chrome. Uses the page's precomputed chrome when there is
    /// one (see `ChromeMap`), else walks the ancestors.
    static func isChrome(_ node: HTMLNode) -> Bool {
        if let map = ChromeMap.current { return map.contains(node) }
        return ([node] + node.ancestors).contains(where: isChromeRoot)
    }
}

/// The chrome of one page, computed once: every node inside navigation, headers, footers
/// and promotions. Extractors ask it thousands of times per page.
final class ChromeMap: @unchecked Sendable {
    @TaskLocal static var current: ChromeMap?
    private var chrome = Set<HTMLNode>()

    init(_ root: HTMLNode) {
        func walk(_ node: HTMLNode, inside: Bool) {
            let isChrome = inside || ExtractionText.isChromeRoot(node)
            if isChrome { chrome.insert(node) }
            for child in node.children { walk(child, inside: isChrome) }
        }
        walk(root, inside: false)
    }

    func contains(_ node: HTMLNode) -> Bool {
        node.isElement ? chrome.contains(node) : (node.parent.map { chrome.contains($0) } ?? false)
    }
}

extension ExtractionText {

    /// Path words of pages about one person.
    static let profileWords = ["speaker", "speakers", "people", "person", "persons", "profile", "profiles", "author", "authors",
                               "referent", "referenten", "intervenant", "intervenants", "ponente", "ponentes", "team", "bio", "biography", "experts", "expert", "fellows", "staff"]

    /// Whether `node` is (or sits in) a link to a person's profile page on the same site,
    /// which makes its text a person's name even when it is a single word or a pseudonym.
    static func isProfileLink(_ node: HTMLNode, document: HTMLDocument) -> Bool {
        let anchor = node.name == "a" ? node : (node.ancestors.first { $0.name == "a" } ?? node.select("a[href]").first)
        guard let href = anchor?["href"], let url = document.resolve(href), url.host == document.url?.host else { return false }
        let words = (url.path + " " + (url.fragment ?? "")).lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        return words.contains { profileWords.contains($0) } && (anchor?.visibleText.count ?? 0) <= 60
    }

    /// Class and id words of a node, lower-case, for semantic hints ("speaker-name", "org").
    static func hints(_ node: HTMLNode) -> String {
        ((node["class"] ?? "") + " " + (node["id"] ?? "") + " " + (node["itemprop"] ?? "") + " " + (node["data-role"] ?? "")).lowercased()
    }
}
