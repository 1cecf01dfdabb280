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

    /// Replaces every occurrence of each secret in `text` with `****`.
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "****")
        }
        return result
    }
}
