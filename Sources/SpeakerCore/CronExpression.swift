import Foundation

/// A five-field cron expression, always read in UTC: `minute hour day-of-month month
/// day-of-week`, as in crontab(5). Fields take `*`, numbers, ranges `a-b`, steps `*/n` and
/// `a-b/n`, lists `a,b`, and names (`jan`…`dec`, `sun`…`sat`; 7 is also Sunday). The
/// macros `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly` and `@yearly`
/// (`@annually`) are accepted. When both day fields are restricted a day matches either
/// of them, like Vixie cron.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { text }

    public struct ParseError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    static let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                         "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(_ text: String) throws {
        let trimmed = text.trimmingWhitespace()
        self.text = trimmed
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "a cron expression has 5 fields (minute hour day-of-month month day-of-week), got \(fields.count) in \"\(trimmed)\"")
        }
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31, names: [])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, firstNameValue: 1)
        let weekdays = try Self.field(fields[4], name: "day of week", range: 0...7, names: Self.dayNames, firstNameValue: 0)
        daysOfWeek = Set(weekdays.map { $0 % 7 })
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String], firstNameValue: Int = 0) throws -> Set<Int> {
        func value(_ token: Substring) throws -> Int {
            if let number = Int(token), range.contains(number) { return number }
            if let index = names.firstIndex(of: token.lowercased()) { return index + firstNameValue }
            throw ParseError(message: "\(name): \"\(token)\" is not a value from \(range.lowerBound) to \(range.upperBound)")
        }
        var result = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let base = parts.first, !base.isEmpty else {
                throw ParseError(message: "\(name): \"\(item)\" is not a valid item")
            }
            var step = 1
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), parsed >= 1 else {
                    throw ParseError(message: "\(name): the step in \"\(item)\" must be a whole number of at least 1")
                }
                step = parsed
            }
            let lower: Int, upper: Int
            if base == "*" {
                (lower, upper) = (range.lowerBound, range.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                lower = try value(base[..<dash])
                upper = try value(base[base.index(after: dash)...])
                guard lower <= upper else { throw ParseError(message: "\(name): the range \"\(base)\" runs backwards") }
            } else {
                lower = try value(base)
                upper = parts.count == 2 ? range.upperBound : lower
            }
            result.formUnion(stride(from: lower, through: upper, by: step))
        }
        return result
    }

    func matches(day: CivilDay) -> Bool {
        guard months.contains(day.month) else { return false }
        let byMonthDay = daysOfMonth.contains(day.day), byWeekday = daysOfWeek.contains(day.weekday)
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return byMonthDay || byWeekday
        case (true, false): return byMonthDay
        case (false, true): return byWeekday
        case (false, false): return true
        }
    }

    /// How far to look for a matching day: "30 2 31 2 *" (31 February) never matches.
    static let searchDays = 366 * 8

    /// The latest time the expression matches at or before `date` (to the minute), or nil
    /// when it matches no day in the last eight years.
    public func previous(atOrBefore date: Date) -> Date? {
        let minute = Int((date.timeIntervalSince1970 / 60).rounded(.down))
        let epochDay = Int((Double(minute) / 1440).rounded(.down))
        let minuteOfDay = minute - epochDay * 1440
        let sortedTimes = hours.sorted(by: >).flatMap { hour in minutes.sorted(by: >).map { hour * 60 + $0 } }
        for offset in 0..<Self.searchDays {
            let day = epochDay - offset
            guard matches(day: CivilDay(epochDay: day)) else { continue }
            let limit = offset == 0 ? minuteOfDay : 1439
            if let time = sortedTimes.first(where: { $0 <= limit }) {
                return Date(timeIntervalSince1970: Double((day * 1440 + time) * 60))
            }
        }
        return nil
    }

    /// The first time the expression matches strictly after `date` (to the minute), or nil
    /// when it matches no day in the next eight years.
    public func next(after date: Date) -> Date? {
        let minute = Int((date.timeIntervalSince1970 / 60).rounded(.down)) + 1
        let epochDay = Int((Double(minute) / 1440).rounded(.down))
        let minuteOfDay = minute - epochDay * 1440
        let sortedTimes = hours.sorted().flatMap { hour in minutes.sorted().map { hour * 60 + $0 } }
        for offset in 0..<Self.searchDays {
            let day = epochDay + offset
            guard matches(day: CivilDay(epochDay: day)) else { continue }
            let floor = offset == 0 ? minuteOfDay : 0
            if let time = sortedTimes.first(where: { $0 >= floor }) {
                return Date(timeIntervalSince1970: Double((day * 1440 + time) * 60))
            }
        }
        return nil
    }
}

/// A proleptic Gregorian date from a count of days since 1970-01-01, without Calendar.
struct CivilDay {
    let year: Int
    let month: Int
    let day: Int
    /// 0 = Sunday.
    let weekday: Int

    init(epochDay: Int) {
        // Howard Hinnant's civil_from_days.
        let z = epochDay + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        weekday = ((epochDay % 7) + 11) % 7
    }
}
