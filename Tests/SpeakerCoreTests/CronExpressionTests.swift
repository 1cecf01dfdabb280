import Foundation
import SpeakerCore
import Testing
import TestSupport

@Suite("Cron expressions")
struct CronExpressionTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    func iso(_ date: Date?) -> String? {
        date.map { ISO8601DateFormatter().string(from: $0) }
    }

    @Test func dailyAtTwo() throws {
        let cron = try CronExpression("0 2 * * *")
        #expect(iso(cron.next(after: date("2026-11-29T01:59:00Z"))) == "2026-11-29T02:00:00Z")
        #expect(iso(cron.next(after: date("2026-11-29T02:00:00Z"))) == "2026-11-30T02:00:00Z", "strictly after")
        #expect(iso(cron.previous(atOrBefore: date("2026-11-29T02:00:30Z"))) == "2026-11-29T02:00:00Z", "at or before, to the minute")
        #expect(iso(cron.previous(atOrBefore: date("2026-11-29T01:59:59Z"))) == "2026-11-28T02:00:00Z")
        #expect(iso(cron.next(after: date("2026-12-31T23:00:00Z"))) == "2027-01-01T02:00:00Z")
    }

    @Test func fieldsListsRangesStepsNamesAndMacros() throws {
        #expect(iso(try CronExpression("*/15 9-17 * * mon-fri").next(after: date("2026-11-28T12:00:00Z"))) == "2026-11-30T09:00:00Z", "Saturday → Monday 09:00")
        #expect(iso(try CronExpression("30 4 1,15 * *").next(after: date("2026-11-02T00:00:00Z"))) == "2026-11-15T04:30:00Z")
        #expect(iso(try CronExpression("0 0 29 feb *").next(after: date("2026-01-01T00:00:00Z"))) == "2028-02-29T00:00:00Z", "leap day")
        #expect(iso(try CronExpression("@weekly").next(after: date("2026-11-29T00:00:00Z"))) == "2026-12-06T00:00:00Z", "Sunday midnight")
        #expect(iso(try CronExpression("@hourly").previous(atOrBefore: date("2026-11-29T13:59:00Z"))) == "2026-11-29T13:00:00Z")
        #expect(iso(try CronExpression("0 12 * * 7").next(after: date("2026-11-29T13:00:00Z"))) == "2026-12-06T12:00:00Z", "7 is Sunday")
        // Both day fields restricted: either matches (13th of the month, or any Friday).
        #expect(iso(try CronExpression("0 0 13 * 5").next(after: date("2026-11-01T00:00:00Z"))) == "2026-11-06T00:00:00Z")
        #expect(try CronExpression("0 0 31 2 *").next(after: date("2026-01-01T00:00:00Z")) == nil, "31 February never comes")
    }

    @Test func badExpressionsAreRefusedWithTheField() {
        for (text, word) in [("0 2 * *", "5 fields"), ("60 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day of month"),
                             ("* * * 13 *", "month"), ("* * * * 8", "day of week"), ("*/0 * * * *", "step"), ("5-1 * * * *", "backwards"),
                             ("a * * * *", "minute"), ("1,,2 * * * *", "minute")] {
            #expect {
                _ = try CronExpression(text)
            } throws: { error in
                "\(error)".contains(word)
            }
        }
    }

    /// Against a walk through the calendar (day by day, then minute by minute), for
    /// random expressions and times.
    @Test func nextAndPreviousAgreeWithAWalk() throws {
        var generator = SeededGenerator()
        func pick(_ options: [String]) -> String { options.randomElement(using: &generator)! }
        for _ in 0..<80 {
            let text = [pick(["*", "0", "*/7", "5,35", "10-20/5"]), pick(["*", "3", "*/5", "8-10"]), pick(["*", "1", "15", "28-31"]),
                        pick(["*", "*", "2", "6-8"]), pick(["*", "*", "1", "0,6", "mon-wed"])].joined(separator: " ")
            let cron = try CronExpression(text)
            let start = Date(timeIntervalSince1970: Double(Int.random(in: 1_700_000_000...1_900_000_000, using: &generator)))
            let startMinute = Int(start.timeIntervalSince1970) / 60
            let startDay = startMinute / 1440
            var forward: Date?, backward: Date?
            for offset in 0..<800 where forward == nil {
                let day = startDay + offset
                guard dayMatches(cron: text, Date(timeIntervalSince1970: Double(day * 86_400))) else { continue }
                for minute in 0..<1440 where day * 1440 + minute > startMinute && timeMatches(cron: text, minute) {
                    forward = Date(timeIntervalSince1970: Double((day * 1440 + minute) * 60))
                    break
                }
            }
            for offset in 0..<800 where backward == nil {
                let day = startDay - offset
                guard dayMatches(cron: text, Date(timeIntervalSince1970: Double(day * 86_400))) else { continue }
                for minute in (0..<1440).reversed() where day * 1440 + minute <= startMinute && timeMatches(cron: text, minute) {
                    backward = Date(timeIntervalSince1970: Double((day * 1440 + minute) * 60))
                    break
                }
            }
            #expect(cron.next(after: start) == forward, "\(text) after \(start) (\(generator.replay))")
            #expect(cron.previous(atOrBefore: start) == backward, "\(text) at or before \(start) (\(generator.replay))")
        }
    }

    /// An independent reading of one field: `*`, `a`, `a-b`, with `/step`, comma lists.
    func has(_ field: String, _ value: Int, lowest: Int, names: [String] = []) -> Bool {
        field.split(separator: ",").contains { item in
            let pieces = item.split(separator: "/")
            let step = pieces.count > 1 ? Int(pieces[1])! : 1
            func number(_ s: Substring) -> Int { Int(s) ?? names.firstIndex(of: String(s))! }
            let range: ClosedRange<Int>
            if pieces[0] == "*" {
                range = lowest...99
            } else if pieces[0].contains("-") {
                let ends = pieces[0].split(separator: "-")
                range = number(ends[0])...number(ends[1])
            } else {
                range = number(pieces[0])...(pieces.count > 1 ? 99 : number(pieces[0]))
            }
            return range.contains(value) && (value - range.lowerBound) % step == 0
        }
    }

    func timeMatches(cron text: String, _ minuteOfDay: Int) -> Bool {
        let parts = text.split(separator: " ").map(String.init)
        return has(parts[0], minuteOfDay % 60, lowest: 0) && has(parts[1], minuteOfDay / 60, lowest: 0)
    }

    /// The day fields read through Calendar.
    func dayMatches(cron text: String, _ date: Date) -> Bool {
        let parts = text.split(separator: " ").map(String.init)
        let c = Self.utc.dateComponents([.day, .month, .weekday], from: date)
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let dom = has(parts[2], c.day!, lowest: 1), dow = has(parts[4], c.weekday! - 1, lowest: 0, names: days)
        guard has(parts[3], c.month!, lowest: 1) else { return false }
        switch (parts[2] != "*", parts[4] != "*") {
        case (true, true): return dom || dow
        case (true, false): return dom
        case (false, true): return dow
        case (false, false): return true
        }
    }
}
