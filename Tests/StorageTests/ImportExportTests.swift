import FluentKit
import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport

@Suite("Import and export")
struct ImportExportTests {
    func exportJSON(_ database: TestDatabase, format: ExportFormat = .json) async throws -> String {
        var text = ""
        try await SpeakerExporter(database.db).export(format: format) { text += $0 }
        return text
    }

    @Test func exportHasTheStableShape() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let json = try await exportJSON(database)
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let speakers = try #require(object?["speakers"] as? [[String: Any]])
            #expect(speakers.count == 4)
            for speaker in speakers {
                #expect(Set(speaker.keys) == ["id", "name", "title", "affiliation", "bio", "events"])
                for event in speaker["events"] as? [[String: Any]] ?? [] {
                    #expect(Set(event.keys) == ["url", "title", "date", "role"])
                }
            }
            let amara = try #require(speakers.first { $0["name"] as? String == "Amara Okafor" })
            #expect((amara["events"] as? [Any])?.count == 2)
        }
    }

    @Test func roundTripThroughAFreshDatabaseIsIdentical() async throws {
        try await TestDatabase.with { first in
            try await Fixtures.importSpeakers(into: first)
            let exported = try await exportJSON(first)
            try await TestDatabase.with { second in
                let document = try SpeakerImporter.parse(Data(exported.utf8))
                _ = try await SpeakerImporter().run(document, on: second.db)
                #expect(try await exportJSON(second) == exported)
                #expect(try await exportJSON(second, format: .csv) == exportJSON(first, format: .csv))
            }
        }
    }

    @Test func importIsIdempotent() async throws {
        try await TestDatabase.with { database in
            let document = try SpeakerImporter.validate(Fixtures.speakers)
            let first = try await SpeakerImporter().run(document, on: database.db)
            #expect(first.speakersCreated == 4)
            #expect(first.eventsCreated == 2)
            #expect(first.appearancesCreated == 4)
            let before = try await exportJSON(database)
            let provenance = try await FieldProvenance.query(on: database.db).count()
            let second = try await SpeakerImporter().run(document, on: database.db)
            #expect(second == ImportReport(speakersCreated: 0, speakersUpdated: 0, speakersUnchanged: 4, eventsCreated: 0, appearancesCreated: 0))
            #expect(try await exportJSON(database) == before)
            #expect(try await FieldProvenance.query(on: database.db).count() == provenance)
        }
    }

    @Test func ndjsonAndCSVCarryEveryAppearance() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let ndjson = try await exportJSON(database, format: .ndjson)
            #expect(ndjson.split(separator: "\n").count == 4)
            let csv = try await exportJSON(database, format: .csv)
            // header + 4 appearances + 1 speaker without events
            #expect(csv.split(separator: "\r\n").count == 6)
            #expect(csv.hasPrefix("speaker_id,name,title,affiliation,bio,event_url,event_title,event_date,role"))
        }
    }

    @Test(arguments: [
        (#"{"speakers": [{"name": "A B", "events": []}, {"events": []}]}"#, "speakers[1].name", "is missing"),
        (#"{"speakers": [{"name": "A B", "events": [{"url": "javascript:alert(1)"}]}]}"#, "speakers[0].events[0].url", "only http"),
        (#"{"speakers": [{"name": "A B", "events": [{"url": "https://x.org/a", "date": "12 March"}]}]}"#, "speakers[0].events[0].date", "YYYY-MM-DD"),
        (#"{"speakers": [{"name": "A B", "events": [{"url": "https://x.org/a", "role": "boss"}]}]}"#, "speakers[0].events[0].role", "must be one of"),
        (#"{"speakers": [{"name": "https://spam.example", "events": []}]}"#, "speakers[0].name", "URL"),
        (#"{"speakers": [{"name": 42}]}"#, "speakers[0].name", "must be a string"),
        (#"{"speakers": [{"id": 1, "name": "A B"}, {"id": 1, "name": "C D"}]}"#, "speakers[1].id", "also the id"),
        (#"{"people": []}"#, "speakers", "is missing"),
        (#"{"speakers": [{"name": "A B""#, "$", "not valid JSON"),
    ])
    func malformedImportsNameTheRecordAndField(json: String, path: String, message: String) {
        do {
            _ = try SpeakerImporter.parse(Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch let error as ImportError {
            #expect(error.path == path)
            #expect(error.message.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aFailingImportStoresNothing() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let before = try await exportJSON(database)
            // A database-level failure on the second record, after the first was written.
            switch TestDatabase.engine {
            case .sqlite:
                try await database.context.sql.raw("""
                    CREATE TRIGGER refuse_broken BEFORE INSERT ON speakers WHEN NEW.name = 'Broken Person'
                    BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END
                    """).run()
            case .postgres:
                try await database.context.sql.raw("""
                    CREATE FUNCTION refuse_broken() RETURNS trigger AS $$
                    BEGIN IF NEW.name = 'Broken Person' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END
                    $$ LANGUAGE plpgsql
                    """).run()
                try await database.context.sql.raw("""
                    CREATE TRIGGER refuse_broken BEFORE INSERT ON speakers FOR EACH ROW EXECUTE FUNCTION refuse_broken()
                    """).run()
            }
            let document = try SpeakerImporter.validate(ExportDocument(speakers: [
                ExportSpeaker(id: 50, name: "New Person", title: "Fellow", affiliation: nil, bio: nil, events: [
                    ExportAppearance(url: "https://new.example.org/e", title: "New", date: nil, role: nil),
                ]),
                ExportSpeaker(id: 1, name: "Amara Okafor", title: "Changed Title", affiliation: "Northbridge Institute", bio: nil, events: []),
                ExportSpeaker(id: 51, name: "Broken Person", title: nil, affiliation: nil, bio: nil, events: []),
            ]))
            await #expect(throws: (any Error).self) {
                _ = try await SpeakerImporter().run(document, on: database.db)
            }
            #expect(try await exportJSON(database) == before)
            #expect(try await Event.query(on: database.db).filter(\.$url == "https://new.example.org/e").count() == 0)
            #expect(try await SpeakerQueries(database.db).list(SpeakerFilter(search: "new person"), page: PageRequest()).total == 0)
        }
    }
}
