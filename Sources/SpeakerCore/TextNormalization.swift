import Foundation

/// Matching keys for names and organisations: Unicode NFKC, accents folded, case folded,
/// punctuation collapsed. Display always keeps the original text.
public enum TextNormalization {
    /// "  José  Ñúñez-García " → "jose nunez garcia".
    public static func matchKey(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in folded.unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "`" || scalar == "\u{00B4}" {
                continue
            }
            let keep = CharacterSet.alphanumerics.contains(scalar) || scalar == "@"
            if keep {
                scalars.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                scalars.append(" ")
                lastWasSpace = true
            }
        }
        var result = String(scalars)
        if result.hasSuffix(" ") { result.removeLast() }
        return result.lowercased()
    }

    /// Collapses runs of whitespace (including non-breaking spaces) into single spaces.
    public static func collapseWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{200B}" })
            .joined(separator: " ")
    }

    /// Trims and collapses, returning nil when nothing is left.
    public static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let collapsed = collapseWhitespace(text)
        return collapsed.isEmpty ? nil : collapsed
    }
}
