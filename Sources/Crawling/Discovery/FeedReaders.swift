import SpeakerCore
import Foundation

/// `<loc>` entries of a sitemap or sitemap index. Relative entries are resolved against
/// the sitemap's own URL (some sites write root-relative paths).
public enum SitemapReader {
    public struct Entries: Sendable, Equatable {
        public var pages: [URL] = []
        /// Nested sitemaps (from a sitemap index).
        public var sitemaps: [URL] = []
    }

    static let locPattern = try! NSRegularExpression(pattern: #"<(sitemap|url)\b[^>]*>.*?<loc>\s*(?:<!\[CDATA\[)?\s*([^<\]]+?)\s*(?:\]\]>)?\s*</loc>"#,
                                                     options: [.caseInsensitive, .dotMatchesLineSeparators])

    public static func read(_ text: String, base: URL, limit: Int = 50_000) -> Entries {
        var entries = Entries()
        for match in locPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).prefix(limit) {
            guard let kindRange = Range(match.range(at: 1), in: text), let locRange = Range(match.range(at: 2), in: text) else { continue }
            let loc = text[locRange].replacingOccurrences(of: "&amp;", with: "&")
            guard let url = URL(string: loc, relativeTo: base)?.absoluteURL else { continue }
            if text[kindRange].lowercased() == "sitemap" { entries.sitemaps.append(url) } else { entries.pages.append(url) }
        }
        return entries
    }
}

/// Event page URLs of an iCalendar feed (the `URL` property of each VEVENT).
public enum ICalendarReader {
    public static func eventURLs(_ text: String, base: URL) -> [URL] {
        // Unfold continuation lines (RFC 5545 §3.1).
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            .replacingOccurrences(of: "\n ", with: "").replacingOccurrences(of: "\n\t", with: "")
        var urls: [URL] = []
        var inEvent = false
        for line in unfolded.split(whereSeparator: \.isNewline) {
            let upper = line.uppercased()
            if upper.hasPrefix("BEGIN:VEVENT") { inEvent = true }
            else if upper.hasPrefix("END:VEVENT") { inEvent = false }
            else if inEvent, upper.hasPrefix("URL"), let colon = line.firstIndex(of: ":") {
                let name = line[..<colon]
                guard name.uppercased() == "URL" || name.uppercased().hasPrefix("URL;") else { continue }
                let value = line[line.index(after: colon)...].trimmingWhitespace()
                if let url = URL(string: value, relativeTo: base)?.absoluteURL { urls.append(url) }
            }
        }
        return urls
    }
}
