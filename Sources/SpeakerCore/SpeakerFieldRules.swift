import Foundation

/// What a stored speaker field may hold. Used by import, extraction and corrections, so
/// garbage is rejected the same way whichever door it comes through.
public enum SpeakerFieldRules {
    public static let maxNameLength = 120
    public static let maxTitleLength = 400
    public static let maxAffiliationLength = 400
    public static let maxBioLength = 20_000

    /// Why `name` cannot be a person's name, or nil when it can.
    public static func problem(withName name: String) -> String? {
        let trimmed = name.trimmed()
        if trimmed.isEmpty { return "is empty" }
        if trimmed.count > maxNameLength { return "is longer than \(maxNameLength) characters" }
        if trimmed.containsBytes("://") || trimmed.lowercased().hasPrefix("www.") { return "contains a URL" }
        if looksLikeEmail(trimmed) { return "contains an email address" }
        if trimmed.contains("<") && trimmed.contains(">") { return "contains markup" }
        if trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) { return "contains control characters" }
        if !trimmed.contains(where: { $0.isLetter }) { return "contains no letters" }
        return nil
    }

    /// "name@host.tld" anywhere in the text (checked by hand: this runs for every candidate name).
    static func looksLikeEmail(_ text: String) -> Bool {
        guard let at = text.firstIndex(of: "@"), at != text.startIndex else { return false }
        let before = text[text.index(before: at)]
        guard !before.isWhitespace else { return false }
        let after = text[text.index(after: at)...].prefix { !$0.isWhitespace }
        guard let dot = after.lastIndex(of: "."), dot != after.startIndex else { return false }
        let tld = after[after.index(after: dot)...]
        return tld.count >= 2 && tld.allSatisfy(\.isLetter)
    }

    /// Why a free-text field cannot be stored, or nil.
    public static func problem(withText text: String, maxLength: Int) -> String? {
        if text.count > maxLength { return "is longer than \(maxLength) characters" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            return "contains control characters"
        }
        return nil
    }
}
