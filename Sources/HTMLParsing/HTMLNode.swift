import CLibXML2
import Foundation

/// An element or text node of an `HTMLDocument`. Holds its document alive.
public struct HTMLNode {
    let pointer: xmlNodePtr
    public let document: HTMLDocument

    init(pointer: xmlNodePtr, document: HTMLDocument) {
        self.pointer = pointer
        self.document = document
    }

    public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    public var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// Lower-case tag name ("div"), or "#text" for text nodes.
    public var name: String {
        if isText { return "#text" }
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    public subscript(attribute: String) -> String? {
        guard isElement, let value = xmlGetProp(pointer, attribute) else { return nil }
        defer { speakerdb_xml_free(value) }
        return String(cString: value)
    }

    public var attributes: [String: String] {
        var result: [String: String] = [:]
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name, let value = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                result[String(cString: name).lowercased()] = String(cString: value)
                speakerdb_xml_free(value)
            }
            attribute = current.pointee.next
        }
        return result
    }

    /// Class names from the `class` attribute.
    public var classes: [String] {
        (self["class"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }

    public var id: String? { self["id"] }

    /// All text below this node, whitespace collapsed (script and style included; see
    /// `visibleText` for what a reader sees).
    public var text: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { speakerdb_xml_free(content) }
        return String(cString: content).split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" }).joined(separator: " ")
    }

    /// The raw text of this node (for text nodes), not collapsed.
    public var rawText: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { speakerdb_xml_free(content) }
        return String(cString: content)
    }

    public var parent: HTMLNode? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(pointer: parent, document: document)
    }

    /// Child nodes of every kind (elements and text) in order.
    public var childNodes: [HTMLNode] {
        var result: [HTMLNode] = []
        var child = pointer.pointee.children
        while let current = child {
            let type = current.pointee.type
            if type == XML_ELEMENT_NODE || type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE {
                result.append(HTMLNode(pointer: current, document: document))
            }
            child = current.pointee.next
        }
        return result
    }

    /// Child elements in order.
    public var children: [HTMLNode] {
        childNodes.filter(\.isElement)
    }

    public var nextElementSibling: HTMLNode? {
        var sibling = pointer.pointee.next
        while let current = sibling {
            if current.pointee.type == XML_ELEMENT_NODE { return HTMLNode(pointer: current, document: document) }
            sibling = current.pointee.next
        }
        return nil
    }

    public var previousElementSibling: HTMLNode? {
        var sibling = pointer.pointee.prev
        while let current = sibling {
            if current.pointee.type == XML_ELEMENT_NODE { return HTMLNode(pointer: current, document: document) }
            sibling = current.pointee.prev
        }
        return nil
    }

    /// Ancestors from the parent up to `<html>`.
    public var ancestors: [HTMLNode] {
        var result: [HTMLNode] = []
        var node = parent
        while let current = node {
            result.append(current)
            node = current.parent
        }
        return result
    }

    /// Every element below this one, in document order.
    public var descendants: [HTMLNode] {
        var result: [HTMLNode] = []
        func walk(_ node: HTMLNode) {
            for child in node.children {
                result.append(child)
                walk(child)
            }
        }
        walk(self)
        return result
    }

    /// Nodes matching an XPath expression evaluated with this node as context.
    public func xpath(_ expression: String) -> [HTMLNode] {
        guard let context = xmlXPathNewContext(document.pointer) else { return [] }
        defer { xmlXPathFreeContext(context) }
        context.pointee.node = pointer
        guard let result = xmlXPathEvalExpression(expression, context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0, let nodes = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { index in
            nodes[index].map { HTMLNode(pointer: $0, document: document) }
        }
    }

    /// Elements below this node matching a simple CSS selector.
    public func select(_ selector: String) -> [HTMLNode] {
        guard let expression = try? CSSSelector.xpath(for: selector, relative: true) else { return [] }
        return xpath(expression)
    }

    public func first(_ selector: String) -> HTMLNode? {
        select(selector).first
    }

    /// The node serialised back to HTML.
    public var outerHTML: String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        htmlNodeDump(buffer, document.pointer, pointer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }

    /// A stable path of this element from the root ("html/body/div[2]/section[1]"),
    /// used to learn which page positions carry speakers on a site.
    public var structuralPath: String {
        var parts: [String] = []
        var node: HTMLNode? = self
        while let current = node {
            var index = 1
            var sibling = current.previousElementSibling
            while let previous = sibling {
                if previous.name == current.name { index += 1 }
                sibling = previous.previousElementSibling
            }
            parts.append("\(current.name)[\(index)]")
            node = current.parent
        }
        return parts.reversed().joined(separator: "/")
    }
}

extension HTMLNode: Equatable {
    public static func == (lhs: HTMLNode, rhs: HTMLNode) -> Bool {
        lhs.pointer == rhs.pointer
    }
}

extension HTMLNode: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UnsafeRawPointer(pointer))
    }
}
