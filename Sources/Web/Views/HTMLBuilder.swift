/// Markup written in Swift, for the one page where Leaf's per-value cost showed in the
/// benchmark: the speakers list's result rows and facet links (docs/PERFORMANCE.md). The
/// result goes into the template with `#unsafeHTML`, so escaping is this type's job:
/// literal markup can only be a `StaticString` (known when compiling, never scraped), and
/// every value passes through `escape`.
struct HTMLBuilder {
    private(set) var html = ""

    init(capacity: Int = 4_096) {
        html.reserveCapacity(capacity)
    }

    /// Literal markup.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { html += String(decoding: $0, as: UTF8.self) }
    }

    /// A value as text or inside a double-quoted attribute.
    mutating func text(_ value: String) {
        html += Self.escape(value)
    }

    mutating func text(_ value: Int) {
        html += String(value)
    }

    /// `&`, `<`, `>`, `"` and `'` as character references; text without any is returned
    /// as it is, without copying.
    static func escape(_ value: String) -> String {
        let utf8 = value.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                                     || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else { return value }
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 16)
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let reference: String?
            switch utf8[index] {
            case UInt8(ascii: "&"): reference = "&amp;"
            case UInt8(ascii: "<"): reference = "&lt;"
            case UInt8(ascii: ">"): reference = "&gt;"
            case UInt8(ascii: "\""): reference = "&quot;"
            case UInt8(ascii: "'"): reference = "&#39;"
            default: reference = nil
            }
            if let reference {
                escaped += Substring(utf8[start..<index])
                escaped += reference
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        escaped += Substring(utf8[start..<utf8.endIndex])
        return escaped
    }
}

extension HTMLBuilder {
    /// The facet sidebar of a list: a section per group, a link per value that toggles it.
    static func facets(_ groups: [FacetGroup]) -> String {
        var out = HTMLBuilder()
        for group in groups {
            out.raw("<section class=\"facet\">\n<h3>")
            out.text(group.title)
            out.raw("</h3>\n<ul>\n")
            for item in group.values {
                out.raw(item.selected ? "<li class=\"selected\">" : "<li>")
                out.raw("<a href=\"")
                out.text(item.href)
                out.raw("\">")
                out.text(item.label)
                out.raw("</a> <span class=\"count\">")
                out.text(item.count)
                out.raw("</span></li>\n")
            }
            out.raw("</ul>\n</section>\n")
        }
        return out.html
    }
}
