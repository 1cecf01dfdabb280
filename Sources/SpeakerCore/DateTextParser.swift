import Foundation

/// Reads event dates from text as pages write them, in English, German, French, Spanish,
/// Italian, Portuguese, Dutch and Japanese: single days, ranges, times, time ranges and
/// zone abbreviations. Returns nil rather than guessing when no date is found.
public enum DateTextParser {
    /// Month names and abbreviations (lower-case, accents kept and folded both ways).
    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names: [[String]] = [
            ["january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari"],
            ["february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio", "fevereiro", "fev", "februari"],
            ["march", "mar", "märz", "maerz", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt"],
            ["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
            ["may", "mai", "mayo", "maggio", "mag", "maio", "mei"],
            ["june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho"],
            ["july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"],
            ["august", "aug", "août", "aout", "agosto", "ago", "augustus"],
            ["september", "sep", "sept", "septembre", "septiembre", "set", "settembre", "setembro"],
            ["october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out"],
            ["november", "nov", "novembre", "noviembre", "novembro"],
            ["december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "dezembro"],
        ]
        for (index, words) in names.enumerated() {
            for word in words { table[word] = index + 1 }
        }
        return table
    }()

    /// Zone abbreviations pages use, as IANA identifiers (so summer time resolves).
    static let zones: [String: String] = [
        "utc": "UTC", "gmt": "UTC", "z": "UTC", "bst": "Europe/London", "cet": "Europe/Berlin", "cest": "Europe/Berlin",
        "mez": "Europe/Berlin", "mesz": "Europe/Berlin", "eet": "Europe/Athens", "eest": "Europe/Athens",
        "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York", "cst": "America/Chicago",
        "cdt": "America/Chicago", "mst": "America/Denver", "mdt": "America/Denver", "pst": "America/Los_Angeles",
        "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
        "ist": "Asia/Kolkata", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong", "aest": "Australia/Sydney",
        "aedt": "Australia/Sydney", "eat": "Africa/Nairobi", "wat": "Africa/Lagos", "sast": "Africa/Johannesburg",
    ]

    static let monthPattern = #"([A-Za-zÀ-ÿ]{3,10})\.?"#
    static let dash = #"\s*(?:-|–|—|to|bis|au|al|a|〜|~)\s*"#
    /// "Day 2 — 28 Dec" is a day number, not a range start.
    static let notCounter = #"(?<![Dd]ay )(?<![Tt]ag )(?<![Jj]our )(?<![Dd]ía )(?<![Rr]oom )(?<![Nn]o\. )(?<![Pp]art )(?<!#)"#

    struct Pattern: @unchecked Sendable {
        let regex: NSRegularExpression
        let build: ([String?]) -> (LocalDate, LocalDate?)?
    }

    static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    static func month(_ text: String?) -> Int? {
        guard let text else { return nil }
        let key = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return months[key] ?? months[key.folding(options: .diacriticInsensitive, locale: nil)]
    }

    static func int(_ text: String?) -> Int? { text.flatMap { Int($0) } }

    /// Two-digit years are read as 20xx.
    static func year(_ text: String?) -> Int? {
        guard let value = int(text) else { return nil }
        return value < 100 ? 2000 + value : value
    }

    static func date(_ y: Int?, _ m: Int?, _ d: Int?) -> LocalDate? {
        guard let y, let m, let d else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// Date patterns, most specific first. Each yields a start and optional end.
    static let patterns: [Pattern] = [
        // ISO 8601 range or single: 2024-03-12, 2024-03-12/2024-03-14
        Pattern(regex: regex(#"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?:\s*(?:/|–|—|to|-\s)\s*(\d{4})-(\d{2})-(\d{2}))?"#)) { g in
            guard let start = date(int(g[1]), int(g[2]), int(g[3])) else { return nil }
            return (start, date(int(g[4]), int(g[5]), int(g[6])))
        },
        // Japanese / Chinese: 2024年3月12日 (〜 3月14日 | 〜 14日)
        Pattern(regex: regex(#"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:[^〜~\-–]{0,20}?[〜~\-–]\s*(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日)?"#)) { g in
            guard let start = date(int(g[1]), int(g[2]), int(g[3])) else { return nil }
            let end = g[6].flatMap { _ in date(int(g[4]) ?? start.year, int(g[5]) ?? start.month, int(g[6])) }
            return (start, end)
        },
        // 30 May – 2 June 2024 / 30 mai au 2 juin 2024 / 30 de mayo al 2 de junio de 2024
        Pattern(regex: regex(notCounter + #"\b(\d{1,2})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?"# + monthPattern + dash + #"(\d{1,2})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?"# + monthPattern + #",?\s+(?:de\s+)?(\d{4})\b"#)) { g in
            guard let m1 = month(g[2]), let m2 = month(g[4]), let y = year(g[5]) else { return nil }
            guard let end = date(y, m2, int(g[3])) else { return nil }
            let startYear = m1 > m2 ? y - 1 : y
            guard let start = date(startYear, m1, int(g[1])) else { return nil }
            return (start, end)
        },
        // 5–7 June 2024 / 5.–7. Juni 2024 / 5 al 7 de junio de 2024
        Pattern(regex: regex(notCounter + #"\b(\d{1,2})(?:er|st|nd|rd|th|\.)?"# + dash + #"(\d{1,2})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?"# + monthPattern + #",?\s+(?:de\s+)?(\d{4})\b"#)) { g in
            guard let m = month(g[3]), let y = year(g[4]), let start = date(y, m, int(g[1])), let end = date(y, m, int(g[2])), start < end else { return nil }
            return (start, end)
        },
        // May 30 – June 2, 2024
        Pattern(regex: regex(#"\b"# + monthPattern + #"\s+(\d{1,2})(?:st|nd|rd|th)?"# + dash + monthPattern + #"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"#)) { g in
            guard let m1 = month(g[1]), let m2 = month(g[3]), let y = year(g[5]), let end = date(y, m2, int(g[4])) else { return nil }
            guard let start = date(m1 > m2 ? y - 1 : y, m1, int(g[2])) else { return nil }
            return (start, end)
        },
        // June 5–7, 2024
        Pattern(regex: regex(#"\b"# + monthPattern + #"\s+(\d{1,2})(?:st|nd|rd|th)?"# + dash + #"(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"#)) { g in
            guard let m = month(g[1]), let y = year(g[4]), let start = date(y, m, int(g[2])), let end = date(y, m, int(g[3])), start < end else { return nil }
            return (start, end)
        },
        // 12 March 2024 / 12. März 2024 / 12 de marzo de 2024 / 1er mars 2024
        Pattern(regex: regex(#"\b(\d{1,2})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?"# + monthPattern + #",?\s+(?:de\s+)?(\d{4})\b"#)) { g in
            guard let m = month(g[2]), let start = date(year(g[3]), m, int(g[1])) else { return nil }
            return (start, nil)
        },
        // March 12, 2024 / Mar 12th 2024
        Pattern(regex: regex(#"\b"# + monthPattern + #"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"#)) { g in
            guard let m = month(g[1]), let start = date(year(g[3]), m, int(g[2])) else { return nil }
            return (start, nil)
        },
        // 12.03.2024 (day first), optional range 12.–14.03.2024
        Pattern(regex: regex(#"\b(\d{1,2})\.(?:\s*(?:-|–)\s*(\d{1,2})\.)?\s*(\d{1,2})\.\s*(\d{4})\b"#)) { g in
            guard let start = date(int(g[4]), int(g[3]), int(g[1])) else { return nil }
            return (start, g[2].flatMap { _ in date(int(g[4]), int(g[3]), int(g[2])) })
        },
    ]

    /// Numeric slash dates: day first unless the language is US English or the first
    /// number cannot be a day-first date.
    static let slashDate = regex(#"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b"#)
    static let timePattern = regex(#"(?<![\d:.])(\d{1,2})(?:(?::|\.|h)(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|uhr|h\b)?(?:\s*(?:-|–|—|to|bis|〜|~)\s*(\d{1,2})(?:(?::|\.|h)(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|uhr|h\b)?)?(?:\s*\(?\s*(utc|gmt)\s*([+-]\d{1,2}(?::?\d{2})?)\)?|\s*\(?\b([a-z]{1,4})\b\)?)?"#)
    static let isoTime = regex(#"\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"#)

    /// Parses the first date (or date range) in `text`, with times and zone when given.
    /// `language` ("en-US", "de") decides the order of numeric slash dates.
    public static func parse(_ text: String, language: String? = nil) -> EventDate? {
        // Every date form here has a year of four digits or a numeric date; most text has
        // neither, so this check saves the pattern work on nearly every line of a page.
        guard mayContainDate(text) else { return nil }
        let source = text.replacingOccurrences(of: "\u{00A0}", with: " ")
        let range = NSRange(source.startIndex..., in: source)
        var best: (location: Int, length: Int, start: LocalDate, end: LocalDate?)?
        for pattern in patterns {
            for match in pattern.regex.matches(in: source, range: range) {
                let groups = (0..<match.numberOfRanges).map { index -> String? in
                    let r = match.range(at: index)
                    guard r.location != NSNotFound, let swiftRange = Range(r, in: source) else { return nil }
                    return String(source[swiftRange])
                }
                guard let (start, end) = pattern.build(groups) else { continue }
                if best == nil || match.range.location < best!.location
                    || (match.range.location == best!.location && match.range.length > best!.length) {
                    best = (match.range.location, match.range.length, start, end)
                }
                break
            }
        }
        if best == nil, let match = slashDate.firstMatch(in: source, range: range) {
            let values = (1...3).map { Int((source as NSString).substring(with: match.range(at: $0))) ?? 0 }
            let usOrder = language?.lowercased().hasPrefix("en-us") == true || values[1] > 12
            let (day, month) = usOrder ? (values[1], values[0]) : (values[0], values[1])
            if let start = date(values[2] < 100 ? 2000 + values[2] : values[2], month, day) {
                best = (match.range.location, match.range.length, start, nil)
            }
        }
        guard let found = best else { return nil }
        var result = EventDate(start: found.start, end: found.end.flatMap { $0 == found.start ? nil : $0 },
                               rawText: TextNormalization.collapseWhitespace(text).prefix(200).description)
        // ISO timestamps carry their own time and offset.
        if let iso = isoTime.firstMatch(in: source, range: range), iso.range.location == found.location {
            let hour = Int((source as NSString).substring(with: iso.range(at: 1))) ?? 0
            let minute = Int((source as NSString).substring(with: iso.range(at: 2))) ?? 0
            result.startTime = LocalTime(hour: hour, minute: minute)
            if iso.range(at: 3).location != NSNotFound {
                let zone = (source as NSString).substring(with: iso.range(at: 3))
                result.timeZone = zone == "Z" ? "UTC" : normalizeOffset(zone)
            }
            return result
        }
        // Otherwise look for a time after the date, on the same stretch of text.
        let afterStart = found.location + found.length
        let tailLength = min(80, (source as NSString).length - afterStart)
        if tailLength > 0 {
            let tail = (source as NSString).substring(with: NSRange(location: afterStart, length: tailLength))
            applyTime(from: tail, to: &result)
        }
        if result.startTime == nil {
            // "18:30, 12 March 2024": a time just before the date.
            let beforeStart = max(0, found.location - 30)
            let head = (source as NSString).substring(with: NSRange(location: beforeStart, length: found.location - beforeStart))
            applyTime(from: head, to: &result)
        }
        return result
    }

    static func mayContainDate(_ text: String) -> Bool {
        var run = 0
        var sawSeparatedNumber = false
        var previous: Character = " "
        for character in text {
            if character.isASCII && character.isNumber {
                run += 1
                if run >= 4 { return true }
            } else {
                if run >= 1 && (character == "/" || character == ".") { sawSeparatedNumber = true }
                if character == "年" && previous.isNumber { return true }
                run = 0
            }
            previous = character
        }
        return sawSeparatedNumber && text.contains("/")
    }

    static func applyTime(from text: String, to result: inout EventDate) {
        let range = NSRange(text.startIndex..., in: text)
        for match in timePattern.matches(in: text, range: range) {
            func group(_ index: Int) -> String? {
                let r = match.range(at: index)
                guard r.location != NSNotFound, let swiftRange = Range(r, in: text) else { return nil }
                return String(text[swiftRange])
            }
            let hasMinutes = group(2) != nil
            let suffix = group(3)?.lowercased().replacingOccurrences(of: ".", with: "")
            // A bare number is not a time ("12 speakers"); it needs minutes or am/pm/Uhr/h.
            guard hasMinutes || suffix != nil else { continue }
            guard var hour = Int(group(1) ?? ""), hour <= 24 else { continue }
            let minute = Int(group(2) ?? "0") ?? 0
            let endSuffix = group(6)?.lowercased().replacingOccurrences(of: ".", with: "")
            let meridiem = suffix == "am" || suffix == "pm" ? suffix : (endSuffix == "am" || endSuffix == "pm" ? endSuffix : nil)
            hour = adjust(hour, meridiem: meridiem)
            guard let start = LocalTime(hour: hour % 24, minute: minute) else { continue }
            result.startTime = start
            if var endHour = Int(group(4) ?? "") {
                endHour = adjust(endHour, meridiem: endSuffix ?? meridiem)
                if meridiem == nil && endSuffix == nil && endHour < hour && endHour + 12 <= 24 { endHour += 12 }
                result.endTime = LocalTime(hour: endHour % 24, minute: Int(group(5) ?? "0") ?? 0)
            }
            if let offset = group(8), group(7) != nil {
                result.timeZone = normalizeOffset(offset)
            } else if let zone = group(7) {
                result.timeZone = "UTC"
                _ = zone
            } else if let abbreviation = group(9)?.lowercased(), let zone = zones[abbreviation] {
                result.timeZone = zone
            }
            return
        }
    }

    static func adjust(_ hour: Int, meridiem: String?) -> Int {
        switch meridiem {
        case "pm": return hour < 12 ? hour + 12 : hour
        case "am": return hour == 12 ? 0 : hour
        default: return hour
        }
    }

    /// "+0100", "+1", "-05:30" → "+01:00", "+01:00", "-05:30".
    static func normalizeOffset(_ text: String) -> String {
        let sign = text.first == "-" ? "-" : "+"
        let digits = text.dropFirst().filter(\.isNumber)
        let hours: Int, minutes: Int
        if digits.count <= 2 {
            hours = Int(digits) ?? 0
            minutes = 0
        } else {
            hours = Int(digits.prefix(digits.count - 2)) ?? 0
            minutes = Int(digits.suffix(2)) ?? 0
        }
        return String(format: "%@%02d:%02d", sign, hours, minutes)
    }
}
