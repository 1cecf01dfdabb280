import CLibXML2
import Foundation

/// An HTML document parsed by libxml2's forgiving HTML parser.
///
/// Broken markup is repaired, never fatal; the network is never touched (no external
/// entities, no DTD loading). A document and its nodes belong to one task at a time.
public final class HTMLDocument {
    let pointer: htmlDocPtr
    /// The URL the document came from, for resolving relative links.
    public let url: URL?

    private static let initialize: Void = {
        xmlInitParser()
        speakerdb_xml_silence_errors()
    }()

    public enum Failure: Error, CustomStringConvertible {
        case empty
        case unparsable

        public var description: String {
            switch self {
            case .empty: "the page is empty"
            case .unparsable: "the page could not be parsed as HTML"
            }
        }
    }

    /// Parses UTF-8 HTML text.
    public convenience init(html: String, url: URL? = nil) throws {
        try self.init(utf8: Array(html.utf8), url: url)
    }

    public init(utf8 bytes: [UInt8], url: URL? = nil) throws {
        _ = Self.initialize
        guard !bytes.isEmpty else { throw Failure.empty }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                htmlReadMemory(base, Int32(buffer.count), url?.absoluteString, "UTF-8", options)
            }
        }
        guard let document else { throw Failure.unparsable }
        self.pointer = document
        self.url = url
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    /// The root element (`<html>`), if any.
    public var root: HTMLNode? {
        xmlDocGetRootElement(pointer).map { HTMLNode(pointer: $0, document: self) }
    }

    /// Nodes matching an XPath expression, evaluated from the document root.
    public func xpath(_ expression: String) -> [HTMLNode] {
        guard let root else { return [] }
        return root.xpath(expression)
    }

    /// Elements matching a simple CSS selector (see `CSSSelector`).
    public func select(_ selector: String) -> [HTMLNode] {
        guard let expression = try? CSSSelector.xpath(for: selector) else { return [] }
        return xpath(expression)
    }

    public func first(_ selector: String) -> HTMLNode? {
        select(selector).first
    }

    /// The `<title>` text.
    public var title: String? {
        first("title").map(\.text).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `content` of `<meta name=…>` or `<meta property=…>`.
    public func meta(_ name: String) -> String? {
        let lower = name.lowercased()
        for node in select("meta") {
            let key = (node["property"] ?? node["name"] ?? node["itemprop"] ?? "").lowercased()
            if key == lower, let content = node["content"]?.trimmingCharacters(in: .whitespacesAndNewlines), !content.isEmpty {
                return content
            }
        }
        return nil
    }

    /// The `lang` attribute of `<html>`.
    public var language: String? {
        root?["lang"]?.trimmingCharacters(in: .whitespaces).nonEmpty ?? meta("og:locale") ?? meta("content-language")
    }

    /// Resolves an href against the document's URL (or `<base href>`).
    public func resolve(_ href: String) -> URL? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        let base = first("base")?["href"].flatMap { URL(string: $0, relativeTo: url) } ?? url
        return URL(string: trimmed, relativeTo: base)?.absoluteURL
            ?? trimmed.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed).flatMap { URL(string: $0, relativeTo: base)?.absoluteURL }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
