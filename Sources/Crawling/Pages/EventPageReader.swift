import Foundation
import HTMLParsing
import SpeakerCore

/// What an event page says about the event itself (speakers are the extractor's job).
public struct EventPageFacts: Sendable, Equatable {
    public var title: String?
    public var date: EventDate?
    public var venue: String?
    public var location: String?
    public var language: String?
    /// The main content as a reader sees it, without navigation and repeated blocks.
    public var mainText: String
}

/// Reads title, typed dates, venue, location, main text and language from an event page.
public enum EventPageReader {
    public static let maxMainTextLength = 60_000

    public static func read(_ document: HTMLDocument) -> EventPageFacts {
        let events = JSONLD.objects(in: document).filter(JSONLD.isEvent)
        let language = normalizedLanguage(document.language)
        let main = mainContent(document)
        let lines = main.map(dedupedLines) ?? []
        let title = title(document, jsonLD: events.first)
        var facts = EventPageFacts(title: title, date: nil, venue: nil, location: nil,
                                   language: language ?? detectLanguage(lines.joined(separator: " ")),
                                   mainText: String(lines.joined(separator: "\n").prefix(maxMainTextLength)))
        facts.date = date(document, jsonLD: events.first, lines: lines, language: language)
        (facts.venue, facts.location) = place(document, jsonLD: events.first, lines: lines)
        return facts
    }

    // MARK: title

    static let titleSeparators = [" | ", " – ", " — ", " - ", " :: ", " · ", " • "]

    static func title(_ document: HTMLDocument, jsonLD: [String: Any]?) -> String? {
        let siteName = document.meta("og:site_name")
        let h1 = document.first("h1").map(\.visibleText).flatMap(TextNormalization.clean)
        for candidate in [document.meta("og:title"), jsonLD.flatMap { JSONLD.text($0["name"]) }, h1, document.title] {
            guard let text = candidate.flatMap(TextNormalization.clean) else { continue }
            return stripSiteSuffix(text, siteName: siteName, h1: h1)
        }
        return nil
    }

    /// "Ocean Finance Summit | Meridian Forum" → "Ocean Finance Summit".
    static func stripSiteSuffix(_ title: String, siteName: String?, h1: String?) -> String {
        for separator in titleSeparators {
            guard let range = title.range(of: separator, options: .backwards) else { continue }
            let head = String(title[..<range.lowerBound]).trimmingWhitespace()
            let tail = String(title[range.upperBound...]).trimmingWhitespace()
            if let siteName, tail.caseInsensitiveCompare(siteName) == .orderedSame { return head }
            if let h1, head == h1 { return head }
            // A short tail after a separator is almost always the site's name.
            if siteName == nil, tail.split(separator: " ").count <= 4, head.count >= 8, separator == " | " { return head }
        }
        return title
    }

    // MARK: dates

    static func date(_ document: HTMLDocument, jsonLD: [String: Any]?, lines: [String], language: String?) -> EventDate? {
        if let start = jsonLD.flatMap({ JSONLD.text($0["startDate"]) }), var date = DateTextParser.parse(start) {
            if let end = JSONLD.text(jsonLD?["endDate"]), let parsedEnd = DateTextParser.parse(end) {
                if parsedEnd.start != date.start { date.end = parsedEnd.start }
                date.endTime = parsedEnd.startTime
            }
            date.rawText = visibleDateLine(lines, language: language) ?? start
            return date
        }
        for selector in ["[itemprop=startDate]", "time[datetime]"] {
            for node in document.select(selector) {
                let value = node["datetime"] ?? node["content"] ?? node.text
                if var date = DateTextParser.parse(value, language: language) {
                    date.rawText = TextNormalization.clean(node.visibleText) ?? value
                    if date.end == nil, let endNode = document.first("[itemprop=endDate]"),
                       let end = DateTextParser.parse(endNode["datetime"] ?? endNode["content"] ?? endNode.text) {
                        date.end = end.start == date.start ? nil : end.start
                        date.endTime = end.startTime
                    }
                    return date
                }
            }
        }
        for name in ["event:start_time", "og:event:start_time", "startdate", "event-date", "dc.date"] {
            if let value = document.meta(name), let date = DateTextParser.parse(value, language: language) { return date }
        }
        for line in lines.prefix(60) where line.count <= 200 {
            if let date = DateTextParser.parse(line, language: language) { return date }
        }
        return nil
    }

    static func visibleDateLine(_ lines: [String], language: String?) -> String? {
        lines.prefix(60).first { $0.count <= 200 && DateTextParser.parse($0, language: language) != nil }
    }

    // MARK: place

    static let placeLabels = ["venue", "location", "where", "place", "ort", "veranstaltungsort", "lieu", "lugar", "sede", "luogo", "会場", "場所"]

    static func place(_ document: HTMLDocument, jsonLD: [String: Any]?, lines: [String]) -> (venue: String?, location: String?) {
        if let location = jsonLD?["location"] {
            let places = JSONLD.objects(location)
            if let place = places.first {
                let venue = JSONLD.text(place["name"])
                var city: String?
                if let address = place["address"] as? [String: Any] {
                    let parts = [JSONLD.text(address["addressLocality"]), JSONLD.text(address["addressCountry"])].compactMap { $0 }
                    city = parts.isEmpty ? JSONLD.text(address["streetAddress"]) : parts.joined(separator: ", ")
                } else {
                    city = JSONLD.text(place["address"])
                }
                return (venue, city ?? venue)
            }
            if let text = JSONLD.text(location) { return (text, text) }
        }
        if let node = document.first("[itemprop=location]") {
            let name = node.first("[itemprop=name]").map(\.visibleText).flatMap(TextNormalization.clean)
            let locality = node.first("[itemprop=addressLocality]").map(\.visibleText).flatMap(TextNormalization.clean)
            return (name ?? TextNormalization.clean(node.visibleText), locality ?? name)
        }
        for (index, line) in lines.prefix(80).enumerated() {
            let lower = line.lowercased()
            // "Venue" as a label (a <dt> or its own line) with the value on the next line.
            let bare = lower.trimmingCharacters(in: CharacterSet(charactersIn: " :："))
            if placeLabels.contains(bare), index + 1 < lines.count {
                let value = lines[index + 1]
                guard value.count <= 200 else { continue }
                let parts = value.split(separator: ",").map { $0.trimmingWhitespace() }
                return (value, parts.count > 1 ? parts.last : parts.first)
            }
            for label in placeLabels where lower.hasPrefix(label) {
                let rest = line.dropFirst(label.count).trimmingCharacters(in: CharacterSet(charactersIn: " :：-–\t"))
                guard !rest.isEmpty, rest.count <= 200, line.dropFirst(label.count).first.map({ ":：".contains($0) || $0 == " " }) == true else { continue }
                let parts = rest.split(separator: ",").map { $0.trimmingWhitespace() }
                return (rest, parts.count > 1 ? parts.last : parts.first)
            }
        }
        return (nil, nil)
    }

    // MARK: main content

    /// `<main>`, `[role=main]`, an `<article>` or a content container; else `<body>`.
    public static func mainContent(_ document: HTMLDocument) -> HTMLNode? {
        for selector in ["main", "[role=main]", "article", "#content", "#main", "#main-content", ".main-content", ".content", ".main"] {
            let matches = document.select(selector)
            if let node = matches.max(by: { $0.text.count < $1.text.count }), node.text.count >= 200 { return node }
        }
        return document.first("body") ?? document.root
    }

    /// Visible lines without chrome (nav/header/footer/aside) and without repeats.
    static func dedupedLines(_ node: HTMLNode) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        let chromeTexts = Set(node.select("nav, footer, aside, [role=navigation]").flatMap(\.visibleLines))
        for line in node.visibleLines where !chromeTexts.contains(line) {
            if line.count < 40 || seen.insert(line).inserted { result.append(line) }
        }
        return result
    }

    // MARK: language

    static func normalizedLanguage(_ code: String?) -> String? {
        guard let code = code?.trimmingWhitespace().lowercased(), !code.isEmpty else { return nil }
        return String(code.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "")
    }

    /// A rough guess from scripts and common words, when the page does not say.
    static func detectLanguage(_ text: String) -> String? {
        let sample = text.prefix(4000)
        let kana = sample.unicodeScalars.filter { (0x3040...0x30FF).contains($0.value) }.count
        if kana > 10 { return "ja" }
        let han = sample.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
        if han > 20 { return "zh" }
        let words = sample.lowercased().split(whereSeparator: { !$0.isLetter })
        let markers: [(String, Set<String>)] = [
            ("en", ["the", "and", "with", "of", "for"]), ("de", ["der", "die", "und", "mit", "das"]),
            ("fr", ["le", "la", "les", "et", "avec"]), ("es", ["el", "los", "las", "y", "con"]),
        ]
        let scores = markers.map { language, set in (language, words.filter { set.contains(String($0)) }.count) }
        guard let best = scores.max(by: { $0.1 < $1.1 }), best.1 >= 3 else { return nil }
        return best.0
    }
}
