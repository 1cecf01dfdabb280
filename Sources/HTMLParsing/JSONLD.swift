import Foundation

/// schema.org data embedded as JSON-LD (`<script type="application/ld+json">`), flattened:
/// every object of every block, including those inside `@graph` and nested values.
public enum JSONLD {
    /// Top-level objects (and `@graph` members) of every JSON-LD block of the page.
    public static func objects(in document: HTMLDocument) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for script in document.xpath("//script[contains(translate(@type, 'LDJSON+', 'ldjson+'), 'ld+json')]") {
            var text = script.rawText.trimmingCharacters(in: .whitespacesAndNewlines)
            // Some sites wrap JSON-LD in HTML comments or CDATA.
            for wrapper in ["<!--", "-->", "<![CDATA[", "]]>"] { text = text.replacingOccurrences(of: wrapper, with: "") }
            guard let data = text.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { continue }
            collect(json, into: &result)
        }
        return result
    }

    static func collect(_ json: Any, into result: inout [[String: Any]]) {
        if let array = json as? [Any] {
            for item in array { collect(item, into: &result) }
        } else if let object = json as? [String: Any] {
            if let graph = object["@graph"] {
                collect(graph, into: &result)
                if object["@type"] == nil { return }
            }
            result.append(object)
        }
    }

    /// The `@type` values of an object, lower-cased, without a schema.org prefix.
    public static func types(_ object: [String: Any]) -> [String] {
        let raw: [String]
        if let type = object["@type"] as? String { raw = [type] } else { raw = object["@type"] as? [String] ?? [] }
        return raw.map { $0.replacingOccurrences(of: "http://schema.org/", with: "").replacingOccurrences(of: "https://schema.org/", with: "").lowercased() }
    }

    public static func isEvent(_ object: [String: Any]) -> Bool {
        types(object).contains { $0.hasSuffix("event") || $0 == "educationevent" }
    }

    /// A value as text: strings as they are, `{"name": …}` objects by name, arrays joined.
    public static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String:
            let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let object as [String: Any]:
            return text(object["name"]) ?? text(object["@value"])
        case let array as [Any]:
            let parts = array.compactMap { text($0) }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        case let number as NSNumber:
            return number.stringValue
        default:
            return nil
        }
    }

    /// A value as a list of objects (a single object becomes a one-element list).
    public static func objects(_ value: Any?) -> [[String: Any]] {
        if let object = value as? [String: Any] { return [object] }
        if let array = value as? [Any] { return array.compactMap { $0 as? [String: Any] } }
        return []
    }
}
