import Foundation

/// Keeps secrets out of logs, pages, exports and error messages.
public enum Redaction {
    /// "sk-ant-abc…xyz" → "sk-…(40 chars)"; short values become "****".
    public static func mask(_ secret: String) -> String {
        guard secret.count > 8 else { return "****" }
        return "\(secret.prefix(3))****(\(secret.count) characters)"
    }

    /// Replaces the password of a URL's user info with `****`.
    public static func redactURLPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? "****"
    }

    /// Replaces the whole user info of a URL (`user:password@`, or a token alone before
    /// `@`) with `****`: a token is as secret in the user position as in the password's.
    public static func redactURLUserInfo(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = "****"
        components.password = nil
        return components.string ?? "****"
    }

    /// Replaces every occurrence of each secret in `text` with `****`, and the user info of
    /// every URL in it (`scheme://user:password@host` → `scheme://****@host`), so an error
    /// that quotes a URL with credentials does not store or show them.
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "****")
        }
        return scrubURLUserInfo(result)
    }

    static let userInfoPattern = try! NSRegularExpression(pattern: #"([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s"'<>]+@"#)

    /// `scheme://anything@` → `scheme://****@` throughout `text`.
    public static func scrubURLUserInfo(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return userInfoPattern.stringByReplacingMatches(in: text, range: range, withTemplate: "$1****@")
    }
}
