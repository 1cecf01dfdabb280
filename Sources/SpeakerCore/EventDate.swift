import Foundation

/// When an event happens, typed: a start date, optionally a time, an end, and the zone,
/// with the text it was read from kept beside it.
///
/// Free-text dates hurt the system this replaces; here a date either parses into this
/// type or stays `nil` with the raw text preserved for a later, better parser.
public struct EventDate: Hashable, Codable, Sendable {
    public var start: LocalDate
    public var startTime: LocalTime?
    public var end: LocalDate?
    public var endTime: LocalTime?
    /// An IANA identifier ("Europe/Berlin") or a fixed offset ("+01:00"), when the page says.
    public var timeZone: String?
    /// The text the date was read from, verbatim.
    public var rawText: String?

    public init(start: LocalDate, startTime: LocalTime? = nil, end: LocalDate? = nil,
                endTime: LocalTime? = nil, timeZone: String? = nil, rawText: String? = nil) {
        self.start = start
        self.startTime = startTime
        self.end = end
        self.endTime = endTime
        self.timeZone = timeZone
        self.rawText = rawText
    }

    /// The start as a UTC instant, when both a time and a zone are known.
    public var startInstant: Date? { EventDate.instant(start, startTime, timeZone) }
    /// The end as a UTC instant, when both a time and a zone are known.
    public var endInstant: Date? { EventDate.instant(end ?? start, endTime, timeZone) }

    static func instant(_ date: LocalDate, _ time: LocalTime?, _ zone: String?) -> Date? {
        guard let time, let zone, let tz = EventDate.timeZone(zone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day,
                                                  hour: time.hour, minute: time.minute))
    }

    /// Resolves "Europe/Berlin", "UTC", "Z" or "+01:00" to a `TimeZone`.
    public static func timeZone(_ identifier: String) -> TimeZone? {
        if identifier == "Z" || identifier.uppercased() == "UTC" || identifier.uppercased() == "GMT" {
            return TimeZone(identifier: "UTC")
        }
        if let offset = parseOffset(identifier) {
            return TimeZone(secondsFromGMT: offset)
        }
        return TimeZone(identifier: identifier)
    }

    /// Parses "+01:00", "-0530", "+02" into seconds east of UTC.
    public static func parseOffset(_ text: String) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.allSatisfy(\.isNumber), digits.count == 2 || digits.count == 4,
              let hours = Int(digits.prefix(2)), hours <= 14
        else { return nil }
        let minutes = digits.count == 4 ? Int(digits.suffix(2)) ?? 0 : 0
        guard minutes < 60 else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return sign == "-" ? -seconds : seconds
    }

    /// The ISO 8601 form used in exports: "2024-05-03", "2024-05-03T18:30" or a range
    /// "2024-05-03/2024-05-05". Exports carry only the start date for stability.
    public var isoStart: String { start.iso }
}
