import Embeddings
import Foundation
import Search
import SpeakerCore
import SQLKit
import Storage
import Testing
import TestSupport

/// Keyword, semantic and hybrid search over a real database with embeddings computed by
/// the real model (fetched by the test command; a missing model fails, it does not skip).
@Suite("Hybrid search")
struct HybridSearchTests {
    static let encoder: Result<MiniLMEncoder, any Error> = Result { try MiniLMEncoder(location: ModelLocation()) }

    static func speaker(_ id: Int, _ name: String, _ title: String, _ affiliation: String, _ bio: String, event: String) -> ExportSpeaker {
        ExportSpeaker(id: id, name: name, title: title, affiliation: affiliation, bio: bio, events: [
            ExportAppearance(url: "https://events.example.org/\(id)", title: event, date: "2024-0\(id % 9 + 1)-10", role: "speaker"),
        ])
    }

    static let document = ExportDocument(speakers: [
        speaker(1, "Amara Okafor", "Chief Economist", "Northbridge Institute", "Works on trade finance, tariffs and export credit in West Africa.", event: "Trade Futures"),
        speaker(2, "Lucía Fernández", "Senior Fellow", "Halvorsen Lab", "Studies how coastal cities adapt to rising seas, heatwaves and droughts.", event: "Resilient Cities Forum"),
        speaker(3, "Kenji Sato", "Professor", "Kyoto Policy School", "Writes about the Chinese economy, Beijing's industrial policy and the yuan.", event: "Asia Outlook"),
        speaker(4, "Ingrid Solberg", "Director", "Nordic Energy Council", "Leads work on wind power, power grids and the energy transition.", event: "Energy Week"),
        speaker(5, "Omar Haddad", "Researcher", "Institute for Digital Rights", "Researches online privacy, surveillance and data protection law.", event: "Privacy Summit"),
        speaker(6, "Grace Mensah", "Epidemiologist", "Accra Health Institute", "Tracks infectious disease outbreaks and vaccine programmes.", event: "Global Health Day"),
        speaker(7, "Henrik Eriksen", "Journalist", "Morgenbladet", "Reports on football, the Olympics and sports governance.", event: "Sport and Society"),
        speaker(8, "Priya Sharma", "Economist", "Delhi School of Economics", "Works on central banks, inflation and monetary policy.", event: "Money Matters"),
    ])

    /// A database with the document imported and every speaker embedded.
    func withEmbeddedDatabase(_ body: (TestDatabase, MiniLMEncoder) async throws -> Void) async throws {
        let encoder = try Self.encoder.get()
        try await TestDatabase.with { database in
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(Self.document), on: database.db)
            let store = try EmbeddingStore(database.db)
            #expect(try await store.stale(model: MiniLMEncoder.modelID, limit: 100).count == Self.document.speakers.count)
            // Batches of 3 read on after the previous batch's last speaker.
            #expect(try await EmbeddingRefresh.run(on: database.db, encoder: encoder, batch: 3) == Self.document.speakers.count)
            #expect(try await store.stale(model: MiniLMEncoder.modelID, limit: 100).isEmpty, "nothing is stale once embedded")
            try await body(database, encoder)
        }
    }

    func names(_ outcome: SearchOutcome) -> [String] { outcome.hits.map(\.speaker.name) }

    @Test func meaningFindsWhatWordsMiss() async throws {
        try await withEmbeddedDatabase { database, encoder in
            let index = try await SemanticIndex.load(from: EmbeddingStore(database.db))
            #expect(index.count == 8)
            let search = try HybridSearch(database: database.db, index: index, embedder: encoder)
            // No speaker's text contains "warming" or "climate"; words alone find only the
            // "Global Health Day" speaker.
            let keyword = try await search.search("global warming", mode: .keyword, limit: 3)
            #expect(names(keyword) == ["Grace Mensah"])
            let semantic = try await search.search("global warming", mode: .semantic, limit: 3)
            #expect(names(semantic).first == "Lucía Fernández", "\(names(semantic))")
            // Hybrid: the one speaker whose words and meaning both match comes first.
            let hybrid = try await search.search("rising temperatures", mode: .hybrid, limit: 3)
            #expect(names(hybrid).first == "Lucía Fernández", "\(names(hybrid))")
            #expect(hybrid.mode == .hybrid && hybrid.hits.first?.weak == false, "\(String(describing: hybrid.hits.first?.explanation))")
            #expect(hybrid.notes.allSatisfy { $0.contains("weak match") }, "only the weak-match note: \(hybrid.notes)")
            // Other topics, in other words than the bios use: meaning alone ranks the right
            // speaker first; fused with the word ranking it stays in the top three.
            for (query, expected) in [("experts on China's economy", "Kenji Sato"), ("interest rates and the central bank", "Priya Sharma"),
                                      ("pandemic preparedness", "Grace Mensah")] {
                #expect(names(try await search.search(query, mode: .semantic, limit: 1)) == [expected], "\(query)")
                #expect(names(try await search.search(query, mode: .hybrid, limit: 3)).contains(expected), "\(query)")
            }
        }
    }

    @Test func hybridExplainsAndFusesBothRankings() async throws {
        try await withEmbeddedDatabase { database, encoder in
            let index = try await SemanticIndex.load(from: EmbeddingStore(database.db))
            let search = try HybridSearch(database: database.db, index: index, embedder: encoder)
            let outcome = try await search.search("energy", limit: 8)
            let top = try #require(outcome.hits.first)
            #expect(top.speaker.name == "Ingrid Solberg")
            #expect(top.explanation.keywordRank == 1 && top.explanation.semanticRank == 1)
            #expect(abs(top.score - 2 / (HybridSearch.fusionK + 1)) < 1e-12, "both rankings contribute 1/(60+1)")
            #expect(top.explanation.contributions.keys.sorted() == ["keyword", "semantic"])
            #expect((top.explanation.cosine ?? 0) > 0.2)
            // Scores descend, and every hit says where it came from.
            #expect(zip(outcome.hits, outcome.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
            #expect(outcome.hits.allSatisfy { $0.explanation.keywordRank != nil || $0.explanation.semanticRank != nil })
        }
    }

    @Test func withoutEmbeddingsItFallsBackToKeywordAndSaysSo() async throws {
        try await TestDatabase.with { database in
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(Self.document), on: database.db)
            let none = try HybridSearch(database: database.db, index: nil, embedder: nil)
            let outcome = try await none.search("monetary policy", mode: .hybrid)
            #expect(outcome.mode == .keyword && outcome.requested == .hybrid)
            #expect(outcome.notes.first?.contains("fetch-model.sh") == true)
            #expect(names(outcome).first == "Priya Sharma", "every word first")
            #expect(names(outcome).dropFirst().contains("Kenji Sato"), "then some of the words (policy)")
            #expect(outcome.hits.first?.explanation.semanticRank == nil)
            let encoder = try Self.encoder.get()
            let empty = try await SemanticIndex.load(from: EmbeddingStore(database.db))
            let unembedded = try await HybridSearch(database: database.db, index: empty, embedder: encoder).search("monetary policy")
            #expect(unembedded.mode == .keyword && unembedded.notes.first?.contains("speakerdb embed") == true)
        }
    }

    /// A changed profile is embedded again; a deleted speaker's vector goes with it.
    @Test func changedSpeakersAreStaleAndDeletedOnesLeaveNoVector() async throws {
        try await withEmbeddedDatabase { database, _ in
            let sql = try database.db.sqlDatabase()
            try await sql.raw("UPDATE speakers SET bio = 'Now writes about space exploration.' WHERE name = 'Henrik Eriksen'").run()
            let store = try EmbeddingStore(database.db)
            let stale = try await store.stale(model: MiniLMEncoder.modelID, limit: 100)
            #expect(stale.count == 1 && stale.first?.text.contains("space exploration") == true)
            #expect(try await store.stale(model: "another-model", limit: 100).count == 8, "another model has no vectors")
            let id = try #require(try await sql.raw("SELECT id FROM speakers WHERE name = 'Omar Haddad'").first()?.decode(column: "id", as: Int.self))
            try await sql.raw("DELETE FROM appearances WHERE speaker_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM speakers WHERE id = \(bind: id)").run()
            #expect(try await store.status(model: MiniLMEncoder.modelID).count == 7)
        }
    }

    @Test func staleSpeakersArePagedAfterTheLastOneRead() async throws {
        try await TestDatabase.with { database in
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(Self.document), on: database.db)
            let store = try EmbeddingStore(database.db)
            let first = try await store.stale(model: MiniLMEncoder.modelID, limit: 3)
            let rest = try await store.stale(model: MiniLMEncoder.modelID, limit: 100, after: try #require(first.last).speakerID)
            #expect(first.count == 3 && rest.count == 5)
            #expect(Set(first.map(\.speakerID)).isDisjoint(with: rest.map(\.speakerID)))
        }
    }

    /// A broad any-word request (more matches than `fullRankingLimit`) is ranked within the
    /// name, title and affiliation matches; a narrow one over every field.
    @Test func broadAnyWordRequestsRankWithinNameTitleAndAffiliation() async throws {
        try await TestDatabase.with { database in
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(Self.document), on: database.db)
            var queries = try SpeakerQueries(database.db)
            func names(_ ids: [Int]) async throws -> [String] { try await queries.summaries(ids: ids).map(\.name) }
            // "rights": Omar's institute; "privacy": Omar's bio; "football": Henrik's bio only.
            let narrow = try await names(queries.anyWordRanking("privacy rights football", limit: 10))
            #expect(Set(narrow) == ["Omar Haddad", "Henrik Eriksen"], "\(narrow)")
            queries.fullRankingLimit = 1
            let ranked = try await names(queries.anyWordRanking("privacy rights football", limit: 10))
            #expect(ranked == ["Omar Haddad"], "ranked, name/title/affiliation only: \(ranked)")
            queries.fullRankingLimit = 0
            let newest = try await names(queries.anyWordRanking("privacy rights football", limit: 10))
            #expect(newest == ["Omar Haddad"], "newest first, name/title/affiliation only: \(newest)")
        }
    }

    @Test func vectorsRoundTripAsLittleEndianFloat32() {
        let vector: [Float] = [0, 1, -1, .pi, 1e-30, -0.5]
        let data = EmbeddingStore.encode(vector)
        #expect(data.count == 24 && Array(data.prefix(8)) == [0, 0, 0, 0, 0, 0, 0x80, 0x3F])
        #expect(EmbeddingStore.decode(data) == vector)
    }
}
