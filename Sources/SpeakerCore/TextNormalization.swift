import Foundation

/// Matching keys for names and organisations: Unicode NFKC, accents folded, case folded,
/// punctuation collapsed. Display always keeps the original text.
public enum TextNormalization {
    /// "  José  Ñúñez-García " → "jose nunez garcia".
    public static func matchKey(_ text: String) -> String {
        // Most names and organisations are plain ASCII: the same key without Foundation's
        // Unicode folding, which is slow on Linux and runs for every candidate name.
        text.utf8.allSatisfy { $0 < 0x80 } ? asciiMatchKey(text) : unicodeMatchKey(text)
    }

    /// `unicodeMatchKey` for ASCII text: NFKC and accent/width folding change nothing, so
    /// only case folding, apostrophe removal and punctuation collapsing are left.
    static func asciiMatchKey(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") { continue }
            let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lower) || lower == UInt8(ascii: "@") {
                bytes.append(lower)
                lastWasSpace = false
            } else if !lastWasSpace {
                bytes.append(UInt8(ascii: " "))
                lastWasSpace = true
            }
        }
        if bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func unicodeMatchKey(_ text: String) -> String {
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
