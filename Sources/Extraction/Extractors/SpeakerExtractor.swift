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
            .trimmingCharacters(in: CharacterSet(charactersIn: ",;|–—-·•:").union(.whitespaces))
        guard !collapsed.isEmpty else { return nil }
        return String(collapsed.prefix(max))
    }

    /// Whether a node sits in site chrome (navigation, header, footer, sidebar).
    static func isChrome(_ node: HTMLNode) -> Bool {
        for ancestor in [node] + node.ancestors {
            let name = ancestor.name
            if name == "nav" || name == "footer" { return true }
            if name == "header" && !ancestor.ancestors.contains(where: { $0.name == "article" || $0.name == "main" }) { return true }
            let marker = ((ancestor["class"] ?? "") + " " + (ancestor["id"] ?? "") + " " + (ancestor["role"] ?? "")).lowercased()
            if ["navbar", "navigation", "site-header", "site-footer", "footer", "breadcrumb", "cookie", "newsletter", "related", "upcoming", "coming-up", "promo"].contains(where: marker.contains) {
                return true
            }
        }
        return false
    }

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
