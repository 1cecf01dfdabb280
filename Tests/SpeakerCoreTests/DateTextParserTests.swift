import SpeakerCore
import Testing

@Suite("Dates as pages write them")
struct DateTextParserTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var start: String
        var end: String? = nil
        var time: String? = nil
        var endTime: String? = nil
        var zone: String? = nil
        var language: String? = nil
        var description: String { text }
    }

    static let cases: [Case] = [
        Case(text: "2024-03-12", start: "2024-03-12"),
        Case(text: "2024-03-12T18:30:00+01:00", start: "2024-03-12", time: "18:30", zone: "+01:00"),
        Case(text: "2024-03-12T09:00Z", start: "2024-03-12", time: "09:00", zone: "UTC"),
        Case(text: "Tuesday, 12 March 2024, 18:30–20:00 CET", start: "2024-03-12", time: "18:30", endTime: "20:00", zone: "Europe/Berlin"),
        Case(text: "March 12, 2024 at 6:30 pm", start: "2024-03-12", time: "18:30"),
        Case(text: "Mar 12th 2024, 6:30-8pm EDT", start: "2024-03-12", time: "18:30", endTime: "20:00", zone: "America/New_York"),
        Case(text: "5–7 June 2024", start: "2024-06-05", end: "2024-06-07"),
        Case(text: "June 5-7, 2024", start: "2024-06-05", end: "2024-06-07"),
        Case(text: "30 May – 2 June 2024", start: "2024-05-30", end: "2024-06-02"),
        Case(text: "May 30 - June 2, 2024", start: "2024-05-30", end: "2024-06-02"),
        Case(text: "Dienstag, 12. März 2024, 18:30 Uhr", start: "2024-03-12", time: "18:30"),
        Case(text: "12.03.2024, 19 Uhr", start: "2024-03-12", time: "19:00"),
        Case(text: "mardi 12 mars 2024 à 18h30", start: "2024-03-12", time: "18:30"),
        Case(text: "1er février 2025", start: "2025-02-01"),
        Case(text: "martes, 12 de marzo de 2024, 19:00 h", start: "2024-03-12", time: "19:00"),
        Case(text: "2024年3月12日（火）18:30〜20:00", start: "2024-03-12", time: "18:30", endTime: "20:00"),
        Case(text: "2019年11月12日〜13日", start: "2019-11-12", end: "2019-11-13"),
        Case(text: "Doors 18:00, 12 March 2024", start: "2024-03-12", time: "18:00"),
        Case(text: "03/12/2024", start: "2024-03-12", language: "en-US"),
        Case(text: "12/03/2024", start: "2024-03-12", language: "en-GB"),
        Case(text: "Day 2 — 28 Dec 2016 11:30 (UTC+1)", start: "2016-12-28", time: "11:30", zone: "+01:00"),
    ]

    @Test(arguments: cases)
    func parses(_ example: Case) throws {
        let parsed = try #require(DateTextParser.parse(example.text, language: example.language), "no date in \(example.text)")
        #expect(parsed.start.iso == example.start)
        #expect(parsed.end?.iso == example.end)
        #expect(parsed.startTime?.iso == example.time)
        #expect(parsed.endTime?.iso == example.endTime)
        #expect(parsed.timeZone == example.zone)
        #expect(parsed.rawText == example.text)
    }

    @Test(arguments: ["no date here", "12 speakers on 3 panels", "Room 2024", "2024-13-45", "31 February 2024"])
    func refusesToGuess(_ text: String) {
        #expect(DateTextParser.parse(text) == nil)
    }
}
