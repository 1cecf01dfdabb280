import FluentKit
import Foundation
import Search
import SpeakerCore
import SQLKit
import Storage
import Testing
import TestSupport

/// Offline enrichment, requests with constraints and corrections, on a real database
/// (SQLite here; the PostgreSQL pass runs them again).
@Suite("Enrichment, requests and corrections")
struct EnrichmentAndRequestTests {
    static func speaker(_ id: Int, _ name: String, _ title: String, _ affiliation: String, _ bio: String,
                        events: [(String, String, String)]) -> ExportSpeaker {
        ExportSpeaker(id: id, name: name, title: title, affiliation: affiliation, bio: bio, events: events.enumerated().map { offset, event in
            ExportAppearance(url: "https://events.example.org/\(id)/\(offset)", title: event.0, date: event.1, role: event.2)
        })
    }

    static let document = ExportDocument(speakers: [
        speaker(1, "Amara Okafor", "Chief Economist", "Northbridge Institute",
                "Amara Okafor is based in Nairobi, Kenya, and works on climate finance. She speaks English, French and Swahili.",
                events: [("Water Security and Finance", "2024-05-08", "moderator"), ("Adaptation Finance Day", "2023-06-01", "speaker")]),
        speaker(2, "Kenji Sato", "Professor of Urban Engineering", "Tokyo Institute of Urban Studies",
                "Kenji Sato studies earthquake resilience and disaster risk.",
                events: [("都市レジリエンス・フォーラム", "2025-04-18", "panelist")]),
        speaker(3, "Lucía Fernández", "Senior Fellow", "Halvorsen Lab", "A Lisbon-based urbanist working on heatwaves in cities.",
                events: [("Cooling Cities", "2023-07-10", "speaker")]),
        speaker(4, "Grace Mensah", "Epidemiologist", "University of Ghana", "Tracks infectious disease outbreaks.",
                events: [("Global Health Day", "2022-03-01", "keynote")]),
    ])

    func withEnriched(_ body: (TestDatabase) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(Self.document), on: database.db)
            let sql = try database.db.sqlDatabase()
            try await sql.raw("UPDATE events SET language = 'ja', location = '青葉ホール（東京都千代田区）' WHERE url LIKE '%/2/%'").run()
            try await sql.raw("UPDATE events SET language = 'en', location = 'Nairobi' WHERE url LIKE '%/1/%'").run()
            try await sql.raw("UPDATE events SET language = 'en', location = 'Lisbon, PT' WHERE url LIKE '%/3/%'").run()
            try await sql.raw("UPDATE events SET language = 'en', location = 'London, GB' WHERE url LIKE '%/4/%'").run()
            #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: 30 * 86_400) == 4)
            try await body(database)
        }
    }

    func id(_ name: String, _ db: any Database) async throws -> Int {
        try await db.sqlDatabase().raw("SELECT id FROM speakers WHERE name = \(bind: name)").first()!.decode(column: "id", as: Int.self)
    }

    @Test func enrichmentReadsTagsPlacesAndLanguagesWithProvenance() async throws {
        try await withEnriched { database in
            let store = try AttributeStore(database.db)
            let amara = try await id("Amara Okafor", database.db)
            let attributes = try await store.attributes(speakerIDs: [amara])[amara] ?? []
            let country = try #require(attributes.first { $0.kind == .country })
            #expect(country.value == "KE" && country.origin == .bio && country.confidence == 0.8)
            #expect(country.evidence?.contains("based in Nairobi") == true)
            #expect(attributes.contains { $0.kind == .city && $0.value == "Nairobi, KE" })
            let languages = SpeakerAttribute.shown(attributes, kind: .language).map(\.value)
            #expect(Set(languages) == ["en", "fr", "sw"], "\(languages)")
            #expect(attributes.contains { $0.kind == .language && $0.value == "sw" && $0.origin == .bio && $0.confidence == 0.9 })
            let tags = attributes.filter { $0.kind == .tag }
            #expect(tags.contains { $0.value == "climate-finance" && $0.origin == .bio }, "\(tags.map(\.value))")
            #expect(tags.contains { $0.origin == .event && $0.evidence == "Water Security and Finance" }, "\(tags.map(\.value))")
            #expect(!attributes.contains { $0.kind == .gender }, "gender is never guessed offline")

            // The event's language; the Lisbon-based urbanist; the university's city.
            let kenji = try await id("Kenji Sato", database.db)
            #expect(try await store.attributes(speakerIDs: [kenji])[kenji]?.contains { $0.kind == .language && $0.value == "ja" && $0.origin == .event } == true)
            let lucia = try await id("Lucía Fernández", database.db)
            #expect(try await store.attributes(speakerIDs: [lucia])[lucia]?.first { $0.kind == .country }?.value == "PT")
            let grace = try await id("Grace Mensah", database.db)
            let graceCountry = try await store.attributes(speakerIDs: [grace])[grace]?.first { $0.kind == .country }
            #expect(graceCountry?.value == "GH" && graceCountry?.confidence == 0.5)

            // Tags are searchable words: "public" is only in the tag ("Epidemiologist" → Public Health).
            #expect(try await store.attributes(speakerIDs: [grace])[grace]?.contains { $0.kind == .tag && $0.value == "public-health" } == true)
            #expect(try await SpeakerQueries(database.db).relevanceIDs(search: "public", limit: 10) == [grace])
        }
    }

    @Test func aPagesLocationWinsOverABioGuessAndBothAreKept() async throws {
        try await withEnriched { database in
            let amara = try await id("Amara Okafor", database.db)
            try await database.db.sqlDatabase().raw("UPDATE speakers SET location = 'Accra, Ghana' WHERE id = \(bind: amara)").run()
            try await SpeakerSearchIndex.refresh(speakerIDs: [amara], on: database.db)
            #expect(try await AttributeStore(database.db).stale(olderThan: Date(), limit: 10).contains(amara), "a changed speaker is stale again")
            #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: 30 * 86_400) == 1, "only the changed speaker is enriched again")
            let attributes = try await AttributeStore(database.db).attributes(speakerIDs: [amara])[amara] ?? []
            #expect(Set(attributes.filter { $0.kind == .country }.map(\.value)) == ["GH", "KE"], "both values are kept")
            let shown = SpeakerAttribute.shown(attributes, kind: .country)
            #expect(shown.map(\.value) == ["GH"] && shown.first?.origin == .page, "the page's value is shown")
        }
    }

    @Test func staleSpeakersAreReEnrichedOldestFirst() async throws {
        try await withEnriched { database in
            let store = try AttributeStore(database.db)
            #expect(try await store.stale(olderThan: Date().addingTimeInterval(-3600), limit: 10).isEmpty)
            let sql = try database.db.sqlDatabase()
            let grace = try await id("Grace Mensah", database.db), kenji = try await id("Kenji Sato", database.db)
            try await sql.raw("UPDATE speakers SET enriched_at = 1000 WHERE id = \(bind: kenji)").run()
            try await sql.raw("UPDATE speakers SET enriched_at = 500 WHERE id = \(bind: grace)").run()
            #expect(try await store.stale(olderThan: Date().addingTimeInterval(-86_400), limit: 10) == [grace, kenji])
            #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: 86_400, limit: 1) == 1)
            #expect(try await store.stale(olderThan: Date().addingTimeInterval(-86_400), limit: 10) == [kenji], "the oldest went first")
        }
    }

    func search(_ database: TestDatabase, _ text: String) async throws -> RequestOutcome {
        let hybrid = try HybridSearch(database: database.db, index: nil, embedder: nil)
        return try await RequestSearch(database: database.db, hybrid: hybrid)
            .search(RequestParser(today: LocalDate(year: 2026, month: 11, day: 29)!).parse(text), mode: .keyword, limit: 10)
    }

    func names(_ result: RequestOutcome) -> [String] { result.outcome.hits.map(\.speaker.name) }

    @Test func requiredConstraintsFilterAndPreferencesLift() async throws {
        try await withEnriched { database in
            // Language (bio and event), required.
            #expect(names(try await search(database, "Swahili speakers")) == ["Amara Okafor"])
            #expect(names(try await search(database, "Japanese-speaking experts on disasters")) == ["Kenji Sato"])
            // Role and date on the events.
            #expect(names(try await search(database, "moderators")) == ["Amara Okafor"])
            #expect(Set(names(try await search(database, "speakers since 2023"))) == ["Kenji Sato", "Lucía Fernández", "Amara Okafor"])
            #expect(names(try await search(database, "keynote speakers before 2023")) == ["Grace Mensah"])
            // Where they are based, by region; where they spoke.
            #expect(Set(names(try await search(database, "experts based in Africa"))) == ["Amara Okafor", "Grace Mensah"])
            #expect(names(try await search(database, "experts based in Europe")) == ["Lucía Fernández"])
            #expect(names(try await search(database, "people who spoke in Nairobi")) == ["Amara Okafor"])
            #expect(names(try await search(database, "experts in Tokyo")) == ["Kenji Sato"], "the event's address names Tokyo")
            // Affiliation.
            #expect(names(try await search(database, "someone from Halvorsen Lab")) == ["Lucía Fernández"])
            // A preference lifts without filtering.
            let preferred = try await search(database, "experts on cities, ideally based in Kenya")
            #expect(names(preferred).first != nil)
            let report = try #require(preferred.constraints.first { $0.kind == "location" })
            #expect(report.applied && report.strength == .preferred)
            // Count.
            #expect(try await search(database, "2 speakers since 2022").outcome.hits.count == 2)
            // Role and date at one and the same event: Amara moderated in 2024 and spoke in
            // 2023; she did not moderate in 2023.
            #expect(names(try await search(database, "moderators in 2024")) == ["Amara Okafor"])
            let apart = try await search(database, "moderators in 2023")
            #expect(apart.outcome.hits.isEmpty && apart.constraints.contains { $0.kind == "same event" })
        }
    }

    @Test func aConstraintWithoutDataIsReportedNotApplied() async throws {
        try await withEnriched { database in
            let result = try await search(database, "women economists")
            let gender = try #require(result.constraints.first { $0.kind == "gender" })
            #expect(!gender.applied && gender.detail.contains("not applied"))
            #expect(names(result).contains("Amara Okafor"), "the rest of the request still runs")
            // Nobody speaks Icelandic: applied, and nobody is left.
            let icelandic = try await search(database, "economists who speak Icelandic")
            #expect(icelandic.outcome.hits.isEmpty && icelandic.constraints.first?.applied == true)
            // It says so, and names the constraint that emptied the list.
            let note = try #require(icelandic.outcome.notes.first { $0.hasPrefix("no speaker meets the request") }, "\(icelandic.outcome.notes)")
            let language = try #require(icelandic.constraints.first { $0.kind == "language" })
            #expect(note.contains("\"\(language.text)\" left out"), "\(note)")
            #expect(try await search(database, "economists").outcome.notes.allSatisfy { !$0.hasPrefix("no speaker meets") })
        }
    }

    @Test func correctionsAreSuggestedReviewedAndWin() async throws {
        try await withEnriched { database in
            let amara = try await id("Amara Okafor", database.db)
            // Bad values are refused with a reason.
            await #expect(throws: CorrectionError.self) {
                _ = try await Corrections.suggest(on: database.db, speakerID: amara, field: .location, value: "Atlantis", note: nil, userID: nil, username: "v")
            }
            await #expect(throws: CorrectionError.self) {
                _ = try await Corrections.suggest(on: database.db, speakerID: amara, field: .name, value: "<b>x</b>", note: nil, userID: nil, username: "v")
            }
            let title = try await Corrections.suggest(on: database.db, speakerID: amara, field: .title, value: "Chief Economist and Director",
                                                      note: "see the 2025 page", userID: nil, username: "viewer1")
            let location = try await Corrections.suggest(on: database.db, speakerID: amara, field: .location, value: "Accra", note: nil, userID: nil, username: "viewer1")
            let languages = try await Corrections.suggest(on: database.db, speakerID: amara, field: .languages, value: "English, Yoruba", note: nil, userID: nil, username: "viewer1")
            let rejected = try await Corrections.suggest(on: database.db, speakerID: amara, field: .bio, value: "spam", note: nil, userID: nil, username: "viewer1")
            let store = try CorrectionStore(database.db)
            #expect(try await store.list().count == 4)
            #expect(try await store.find(title)?.previous == "Chief Economist")
            // Nothing changes before review.
            #expect(try await SpeakerQueries(database.db).profile(id: amara)?.title == "Chief Economist")

            try await Corrections.approve(on: database.db, id: title, reviewerID: nil)
            try await Corrections.approve(on: database.db, id: location, reviewerID: nil)
            try await Corrections.approve(on: database.db, id: languages, reviewerID: nil)
            try await Corrections.reject(on: database.db, id: rejected, reviewerID: nil)
            await #expect(throws: CorrectionError.self) { try await Corrections.approve(on: database.db, id: rejected, reviewerID: nil) }
            #expect(try await store.list().isEmpty)

            let profile = try #require(try await SpeakerQueries(database.db).profile(id: amara))
            #expect(profile.title == "Chief Economist and Director")
            #expect(profile.bio?.contains("spam") == false)
            let provenance = try await database.db.sqlDatabase().raw("""
                SELECT origin, extractor FROM field_provenance WHERE speaker_id = \(bind: amara) AND field = 'title' AND origin = 'user'
                """).all()
            #expect(provenance.count == 1)
            // Re-enrichment keeps the user's values, and they win on display.
            #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: -1) == 4)
            let attributes = try await AttributeStore(database.db).attributes(speakerIDs: [amara])[amara] ?? []
            #expect(SpeakerAttribute.shown(attributes, kind: .country).map(\.value) == ["GH"])
            #expect(Set(SpeakerAttribute.shown(attributes, kind: .language).map(\.value)) == ["en", "yo"])
            #expect(attributes.contains { $0.kind == .country && $0.value == "KE" && $0.origin == .bio }, "the bio's value is kept beside it")
            // And the constraints see them.
            #expect(names(try await search(database, "Yoruba speakers")) == ["Amara Okafor"])
            #expect(names(try await search(database, "speakers based in Kenya")).isEmpty)
        }
    }

    @Test func aMergeKeepsTheAbsorbedSpeakersCorrections() async throws {
        try await withEnriched { database in
            let amara = try await id("Amara Okafor", database.db), grace = try await id("Grace Mensah", database.db)
            let pending = try await Corrections.suggest(on: database.db, speakerID: grace, field: .title, value: "Professor", note: nil, userID: nil, username: "v")
            let location = try await Corrections.suggest(on: database.db, speakerID: grace, field: .location, value: "Kumasi", note: nil, userID: nil, username: "v")
            try await Corrections.approve(on: database.db, id: location, reviewerID: nil)
            _ = try await SpeakerMerger(database.db).merge(keep: amara, absorb: grace, decidedBy: "test", refreshFields: { _, _ in })
            #expect(try await CorrectionStore(database.db).find(pending)?.speakerID == amara, "the pending suggestion follows the person")
            let attributes = try await AttributeStore(database.db).attributes(speakerIDs: [amara])[amara] ?? []
            #expect(attributes.contains { $0.kind == .city && $0.value == "Kumasi, GH" && $0.origin == .user }, "an approved value is not lost")
            #expect(try await AttributeStore(database.db).stale(olderThan: Date(), limit: 10).contains(amara), "the kept speaker is enriched again")
        }
    }

    @Test func theGoldenSetScorerComputesNDCG() {
        // Perfect, reversed and empty rankings of grades 2, 1.
        #expect(SearchQuality.ndcg(ranked: [1, 2], grades: [1: 2, 2: 1]) == 1)
        let reversed = SearchQuality.ndcg(ranked: [2, 1], grades: [1: 2, 2: 1])
        #expect(abs(reversed - (1 + 3 / log2(3)) / (3 + 1 / log2(3))) < 1e-12)
        #expect(SearchQuality.ndcg(ranked: [9, 8], grades: [1: 2]) == 0)
        // A relevant speaker missing from the database still counts in the ideal.
        #expect(SearchQuality.ndcg(ranked: [1], grades: [1: 2], idealGrades: [2, 2]) < 1)
    }
}
