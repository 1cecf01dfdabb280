import SpeakerCore
import Foundation

/// Decodes page bytes to text: byte-order mark first, then the Content-Type charset, then
/// a `<meta charset>` or `http-equiv` declaration in the first few kilobytes, then UTF-8
/// if the bytes are valid UTF-8, else Windows-1252 (what browsers do for Latin-1 labels).
public enum CharsetDetector {
    public static func decode(_ data: Data, contentType: String?) -> (text: String, charset: String) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: data.dropFirst(3), as: UTF8.self), "utf-8")
        }
        if data.starts(with: [0xFF, 0xFE]), let text = String(data: data.dropFirst(2), encoding: .utf16LittleEndian) {
            return (text, "utf-16le")
        }
        if data.starts(with: [0xFE, 0xFF]), let text = String(data: data.dropFirst(2), encoding: .utf16BigEndian) {
            return (text, "utf-16be")
        }
        var candidates: [String] = []
        if let header = contentType.flatMap(charsetParameter) { candidates.append(header) }
        if let meta = metaCharset(data) { candidates.append(meta) }
        for label in candidates {
            if let encoding = encoding(for: label), let text = String(data: data, encoding: encoding) {
                return (text, label)
            }
        }
        if let text = String(data: data, encoding: .utf8) {
            return (text, "utf-8")
        }
        if let text = String(data: data, encoding: .windowsCP1252) {
            return (text, "windows-1252")
        }
        return (String(decoding: data, as: UTF8.self), "utf-8 (lossy)")
    }

    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            if pair.count == 2, pair[0].lowercased() == "charset" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
            }
        }
        return nil
    }

    static let metaPattern = try! NSRegularExpression(
        pattern: #"<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)"#, options: [.caseInsensitive])

    static func metaCharset(_ data: Data) -> String? {
        let head = String(decoding: data.prefix(4096), as: Unicode.ASCII.self)
        guard let match = metaPattern.firstMatch(in: head, range: NSRange(head.startIndex..., in: head)),
              let range = Range(match.range(at: 1), in: head) else { return nil }
        return head[range].lowercased()
    }

    /// WHATWG labels to Foundation encodings (the ones that matter for event sites).
    static func encoding(for label: String) -> String.Encoding? {
        switch label.lowercased() {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
        // Browsers decode Latin-1 labels as Windows-1252, a superset.
        case "iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252": return .windowsCP1252
        case "iso-8859-2", "latin2", "l2": return .isoLatin2
        case "windows-1250", "cp1250": return .windowsCP1250
        case "windows-1251", "cp1251": return .windowsCP1251
        case "windows-1253", "cp1253": return .windowsCP1253
        case "windows-1254", "cp1254": return .windowsCP1254
        case "shift_jis", "shift-jis", "sjis", "windows-31j", "ms_kanji", "x-sjis": return .shiftJIS
        case "euc-jp", "x-euc-jp": return .japaneseEUC
        case "iso-2022-jp": return .iso2022JP
        case "utf-16", "utf-16le": return .utf16LittleEndian
        case "utf-16be": return .utf16BigEndian
        default: return nil
        }
    }
}
