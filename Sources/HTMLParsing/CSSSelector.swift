import Synchronization

/// Translates the CSS selectors the project uses into XPath 1.0: type, `*`, `.class`,
/// `#id`, attribute tests (`[a]`, `[a=v]`, `[a~=v]`, `[a^=v]`, `[a$=v]`, `[a*=v]`),
/// descendant and child combinators, and comma-separated groups.
public enum CSSSelector {
    public struct Unsupported: Error, CustomStringConvertible {
        public let selector: String
        public var description: String { "unsupported CSS selector: \(selector)" }
    }

    /// Translations already made: extraction and crawling ask for the same few selectors on
    /// every page. Bounded, in case selectors come from configuration.
    private static let cache = Mutex<[String: String]>([:])

    public static func xpath(for selector: String, relative: Bool = false) throws -> String {
        let key = relative ? "." + selector : selector
        if let known = cache.withLock({ $0[key] }) { return known }
        let expression = try translate(selector, relative: relative)
        cache.withLock { entries in
            if entries.count >= 4_096 { entries.removeAll() }
            entries[key] = expression
        }
        return expression
    }

    static func translate(_ selector: String, relative: Bool) throws -> String {
        let groups = selector.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !groups.isEmpty, !groups.contains(where: \.isEmpty) else { throw Unsupported(selector: selector) }
        return try groups.map { try xpath(group: $0, relative: relative) }.joined(separator: " | ")
    }

    static func xpath(group: String, relative: Bool) throws -> String {
        var result = relative ? "." : ""
        var axis = "//"
        var index = group.startIndex
        while index < group.endIndex {
            let character = group[index]
            if character == " " {
                index = group.index(after: index)
                continue
            }
            if character == ">" {
                axis = "/"
                index = group.index(after: index)
                continue
            }
            var end = index
            var depth = 0
            while end < group.endIndex {
                let c = group[end]
                if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
                if depth == 0 && (c == " " || c == ">") { break }
                end = group.index(after: end)
            }
            result += axis + (try compound(String(group[index..<end]), selector: group))
            axis = "//"
            index = end
        }
        return result
    }

    static func compound(_ text: String, selector: String) throws -> String {
        var tag = "*"
        var predicates: [String] = []
        var index = text.startIndex
        func readIdentifier() -> String {
            let start = index
            while index < text.endIndex, text[index].isLetter || text[index].isNumber || text[index] == "-" || text[index] == "_" {
                index = text.index(after: index)
            }
            return String(text[start..<index])
        }
        if index < text.endIndex, text[index] == "*" {
            index = text.index(after: index)
        } else if index < text.endIndex, text[index].isLetter {
            tag = readIdentifier().lowercased()
        }
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            switch character {
            case ".":
                let name = readIdentifier()
                guard !name.isEmpty else { throw Unsupported(selector: selector) }
                predicates.append("contains(concat(' ', normalize-space(@class), ' '), ' \(name) ')")
            case "#":
                let name = readIdentifier()
                guard !name.isEmpty else { throw Unsupported(selector: selector) }
                predicates.append("@id='\(name)'")
            case "[":
                guard let close = text[index...].firstIndex(of: "]") else { throw Unsupported(selector: selector) }
                let body = String(text[index..<close])
                index = text.index(after: close)
                predicates.append(try attribute(body, selector: selector))
            default:
                throw Unsupported(selector: selector)
            }
        }
        return tag + predicates.map { "[\($0)]" }.joined()
    }

    static func attribute(_ body: String, selector: String) throws -> String {
        for op in ["~=", "^=", "$=", "*=", "="] {
            guard let range = body.range(of: op) else { continue }
            let name = body[..<range.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            var value = body[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'", value.last == quote, value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            guard !name.isEmpty, !value.contains("'") else { throw Unsupported(selector: selector) }
            switch op {
            case "~=": return "contains(concat(' ', normalize-space(@\(name)), ' '), ' \(value) ')"
            case "^=": return "starts-with(@\(name), '\(value)')"
            case "$=": return "substring(@\(name), string-length(@\(name)) - \(value.count - 1)) = '\(value)'"
            case "*=": return "contains(@\(name), '\(value)')"
            default: return "@\(name)='\(value)'"
            }
        }
        let name = body.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" }) else {
            throw Unsupported(selector: selector)
        }
        return "@\(name)"
    }
}
