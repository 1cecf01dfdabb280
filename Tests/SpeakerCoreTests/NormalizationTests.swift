import Foundation
@testable import SpeakerCore
import Testing
import TestSupport

@Suite("URL normalisation")
struct URLNormalizerTests {
    @Test(arguments: [
        ("HTTPS://Example.ORG:443/Events/Talk/", "https://example.org/Events/Talk/"),
        ("https://example.org/Events/Talk//", "https://example.org/Events/Talk/"),
        ("http://example.org:80/a?utm_source=x&b=2&a=1#section", "http://example.org/a?a=1&b=2"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a/./b/../c", "https://example.org/a/c"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("https://example.org/x?fbclid=abc", "https://example.org/x"),
        ("https://user:pw@example.org/x", "https://example.org/x"),
    ])
    func normalises(input: String, expected: String) throws {
        #expect(try URLNormalizer.normalize(input) == expected)
    }

    @Test func resolvesRelativeLinks() throws {
        let base = URL(string: "https://example.org/events/page/2.html")!
        #expect(try URLNormalizer.normalize("../2024/talk.html", relativeTo: base) == "https://example.org/events/2024/talk.html")
        #expect(try URLNormalizer.normalize("/about", relativeTo: base) == "https://example.org/about")
    }

    @Test(arguments: ["javascript:alert(1)", "mailto:a@b.c", "ftp://example.org/x", "", "not a url", "https://"])
    func rejectsNonWebURLs(input: String) {
        #expect(throws: URLNormalizer.Failure.self) { try URLNormalizer.normalize(input) }
    }
}

@Suite("Text and dates")
struct TextTests {
    @Test func matchKeysFoldAccentsCaseAndPunctuation() {
        #expect(TextNormalization.matchKey("  José  Núñez-García ") == "jose nunez garcia")
        #expect(TextNormalization.matchKey("O’Brien") == "obrien")
        #expect(TextNormalization.matchKey("ＡＢＣ") == "abc")
        #expect(TextNormalization.matchKey("山田 花子") == "山田 花子")
    }

    /// The ASCII fast path gives exactly the key the Unicode path gives, on every printable
    /// ASCII character and on names with punctuation, digits, handles and odd spacing.
    @Test func hexStringsMatchPrintfHex() {
        let bytes = (0...255).map(UInt8.init)
        #expect(bytes.hexString == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexString == "")
    }

    @Test func asciiMatchKeysEqualUnicodeMatchKeys() {
        var samples = ["  Dr. Jane  O'Neil-Smith, PhD ", "@jane_doe", "ACME Corp. (U.K.) Ltd.", "R2-D2 & C-3PO", "`quoted` 'name'", "\t\nTabbed\tName\n", ""]
        samples += (0x20...0x7E).map { "a\(Character(Unicode.Scalar($0)!))b" }
        var random = SeededGenerator()
        for _ in 0..<500 {
            samples.append(String((0..<Int.random(in: 0...20, using: &random)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x09...0x7E, using: &random))) }))
        }
        for sample in samples {
            #expect(TextNormalization.asciiMatchKey(sample) == TextNormalization.unicodeMatchKey(sample), "\(sample.debugDescription) (\(random.replay))")
        }
    }

    @Test func localDatesRejectImpossibleDays() {
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2023, month: 13, day: 1) == nil)
        #expect(LocalDate(iso: "2024-03-12")?.iso == "2024-03-12")
        #expect(LocalDate(iso: "2024-03-12T18:30:00Z")?.iso == "2024-03-12")
        #expect(LocalDate(iso: "12 March 2024") == nil)
    }

    @Test func eventDatesResolveToUTCWhenTimeAndZoneAreKnown() throws {
        let date = EventDate(start: LocalDate(year: 2024, month: 3, day: 12)!, startTime: LocalTime(hour: 18, minute: 30), timeZone: "Europe/Berlin")
        #expect(date.startInstant == ISO8601DateFormatter().date(from: "2024-03-12T17:30:00Z"))
        let offset = EventDate(start: LocalDate(year: 2024, month: 3, day: 12)!, startTime: LocalTime(hour: 18, minute: 30), timeZone: "+05:30")
        #expect(offset.startInstant == ISO8601DateFormatter().date(from: "2024-03-12T13:00:00Z"))
        #expect(EventDate(start: LocalDate(year: 2024, month: 3, day: 12)!).startInstant == nil)
    }

    @Test func rolesParseFromLabelsInSeveralLanguages() {
        #expect(Role(label: "Moderated by") == .moderator)
        #expect(Role(label: "Keynote speaker") == .keynote)
        #expect(Role(label: "Panelists") == .panelist)
        #expect(Role(label: "Referenten") == .speaker)
        #expect(Role(label: "Modération") == .moderator)
        #expect(Role(label: "基調講演") == .keynote)
        #expect(Role(label: "Register now") == nil)
    }

    @Test func csvQuotesAndDefusesFormulas() {
        #expect(CSVWriter.row(["a", "b,c", "say \"hi\"", nil]) == "a,\"b,c\",\"say \"\"hi\"\"\",\r\n")
        #expect(CSVWriter.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVWriter.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.cell("-2+3") == "'-2+3")
    }

    @Test func fieldRulesRejectNonNames() {
        #expect(SpeakerFieldRules.problem(withName: "Amara Okafor") == nil)
        #expect(SpeakerFieldRules.problem(withName: "山田 花子") == nil)
        #expect(SpeakerFieldRules.problem(withName: "") != nil)
        #expect(SpeakerFieldRules.problem(withName: "https://example.org/amara") != nil)
        #expect(SpeakerFieldRules.problem(withName: "amara@example.org") != nil)
        #expect(SpeakerFieldRules.problem(withName: "<script>alert(1)</script>") != nil)
        #expect(SpeakerFieldRules.problem(withName: String(repeating: "a", count: 200)) != nil)
        #expect(SpeakerFieldRules.problem(withName: "1234") != nil)
    }

    @Test func redactionScrubsSecrets() {
        #expect(Redaction.scrub("key sk-123456789 used", secrets: ["sk-123456789"]) == "key **** used")
        #expect(Redaction.redactURLPassword("postgres://u:secret@h/db") == "postgres://u:****@h/db")
        #expect(!Redaction.mask("sk-ant-abcdefghijklmnop").contains("abcdefghijklmnop"))
    }
}
