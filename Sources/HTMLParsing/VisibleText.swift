import Foundation

/// What a reader sees of a page: text in reading order, one line per block, without
/// scripts, styles, templates or hidden elements.
public enum VisibleText {
    /// Elements whose content is never visible text.
    public static let invisible: Set<String> = ["script", "style", "noscript", "template", "svg", "head", "iframe",
                                                 "object", "embed", "canvas", "select", "option", "datalist", "button"]
    /// Elements that start a new line.
    public static let blocks: Set<String> = ["p", "div", "section", "article", "aside", "header", "footer", "main", "nav",
                                              "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                                              "table", "tr", "td", "th", "thead", "tbody", "blockquote", "pre", "figure",
                                              "figcaption", "address", "br", "hr", "form", "fieldset", "details", "summary",
                                              "body", "html", "caption", "label"]

    /// Text lines below `node` in reading order; empty lines dropped.
    public static func lines(of node: HTMLNode) -> [String] {
        var lines: [String] = []
        var current = ""
        func flush() {
            let collapsed = current.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{200B}" }).joined(separator: " ")
            if !collapsed.isEmpty { lines.append(collapsed) }
            current = ""
        }
        func walk(_ node: HTMLNode) {
            if node.isText {
                current += node.rawText
                return
            }
            let name = node.name
            if invisible.contains(name) || isHidden(node) { return }
            let block = blocks.contains(name)
            if block { flush() }
            if name == "img", let alt = node["alt"], !alt.isEmpty {
                // Alt text is not read inline; it often repeats a name next to it.
                return
            }
            for child in node.childNodes { walk(child) }
            if block { flush() } else if name == "td" || name == "th" { current += " " }
        }
        walk(node)
        flush()
        return lines
    }

    public static func text(of node: HTMLNode) -> String {
        lines(of: node).joined(separator: "\n")
    }

    /// `hidden`, `aria-hidden="true"` or an inline `display:none`.
    public static func isHidden(_ node: HTMLNode) -> Bool {
        if node["hidden"] != nil { return true }
        if node["aria-hidden"]?.lowercased() == "true" { return true }
        if let style = node["style"]?.lowercased().replacingOccurrences(of: " ", with: ""),
           style.contains("display:none") || style.contains("visibility:hidden") {
            return true
        }
        return false
    }
}

extension HTMLNode {
    /// What a reader sees below this node, one line per block.
    public var visibleText: String { VisibleText.text(of: self) }
    public var visibleLines: [String] { VisibleText.lines(of: self) }
}
