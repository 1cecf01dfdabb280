import Foundation

/// The shape of a URL path with its variable parts abstracted, so links to pages of the
/// same kind group together: "/events/2024/ocean-finance.html" → "/events/{n}/{slug}.html".
public enum URLShape {
    public static func of(_ url: URL) -> String {
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let shaped = segments.enumerated().map { index, segment -> String in
            segment.isEmpty ? "" : shape(segment: segment, isLast: index == segments.count - 1)
        }
        var result = shaped.joined(separator: "/")
        if let query = url.query, !query.isEmpty {
            let keys = query.split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.sorted()
            result += "?" + keys.map { "\($0)=*" }.joined(separator: "&")
        }
        return result
    }

    static func shape(segment: String, isLast: Bool) -> String {
        var name = segment
        var suffix = ""
        if let dot = segment.lastIndex(of: "."), isLast, segment.distance(from: dot, to: segment.endIndex) <= 6 {
            name = String(segment[..<dot])
            suffix = String(segment[dot...])
        }
        if name.allSatisfy(\.isNumber) { return "{n}" + suffix }
        // Capital-letter codes, as conference systems give talks ("MLCQQL", "DASHT7"): one
        // family, whether or not a code happens to hold digits.
        if (5...12).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }),
           name.contains(where: \.isNumber) || name.count >= 6 {
            return "{id}" + suffix
        }
        // A page file named by a word and a number ("Room259.html", "Hall2.html") is one
        // of its siblings ("Festsaal.html"): a name, not a numbered series.
        if isLast, !suffix.isEmpty, name.range(of: #"^[A-Za-z]{2,12}\d+$"#, options: .regularExpression) != nil {
            return "{slug}" + suffix
        }
        // session_2797, S1-001, event-123: a stable prefix with a number.
        if let range = name.range(of: #"^[A-Za-z]{1,12}[_-]?\d+$"#, options: .regularExpression), range == name.startIndex..<name.endIndex {
            let prefix = name.prefix { $0.isLetter || $0 == "_" || $0 == "-" }
            return "\(prefix){n}" + suffix
        }
        if name.range(of: #"\d"#, options: .regularExpression) != nil && name.contains(where: \.isLetter) && (name.contains("-") || name.contains("_")) {
            return "{slug}" + suffix
        }
        // Codes that mix letters and digits: "7BXY7G", "a3f9c2", "S12".
        if name.count >= 4, name.contains(where: \.isNumber), name.contains(where: \.isLetter),
           name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            return "{id}" + suffix
        }
        if name.contains("-") || name.contains("_") || name.count > 24 || (isLast && !suffix.isEmpty && name != "index") {
            return "{slug}" + suffix
        }
        return name
    }
}
