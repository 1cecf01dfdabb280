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
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "is empty" }
        if trimmed.count > maxNameLength { return "is longer than \(maxNameLength) characters" }
        if trimmed.contains("://") || trimmed.lowercased().hasPrefix("www.") { return "contains a URL" }
        if trimmed.range(of: #"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}"#, options: .regularExpression) != nil { return "contains an email address" }
        if trimmed.contains("<") && trimmed.contains(">") { return "contains markup" }
        if trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) { return "contains control characters" }
        if !trimmed.contains(where: { $0.isLetter }) { return "contains no letters" }
        return nil
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
