import FluentKit
import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport

@Suite("Speaker and event queries")
struct QueryTests {
    @Test func fullTextSearchIsPrefixAndAccentInsensitive() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let queries = try SpeakerQueries(database.db)
            func names(_ query: String) async throws -> [String] {
                try await queries.list(SpeakerFilter(search: query), page: PageRequest()).items.map(\.name)
            }
            #expect(try await names("nunez") == ["José Núñez"])
            #expect(try await names("Núñez") == ["José Núñez"])
            #expect(try await names("amar") == ["Amara Okafor"])
            #expect(try await names("trade finance") == ["Amara Okafor"])
            // Event titles are indexed too.
            #expect(Set(try await names("ocean")) == ["Amara Okafor", "山田 花子"])
            #expect(try await names("\"* OR NEAR(") == [])
            #expect(try await names("zzzz") == [])
        }
    }

    /// The web app reads a search's matches once (`matchCounts`) and pages and facets
    /// come from that read; they must equal what the direct queries return, for narrow
    /// searches (one ranked list) and broad ones (the facet sample), on every page.
    @Test func pagesAndFacetsFromOneReadEqualTheDirectQueries() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            for broad in [false, true] {
                var queries = try SpeakerQueries(database.db)
                if broad {
                    queries.fullRankingLimit = 1
                    queries.exactFacetLimit = 1
                    queries.facetSample = 3
                }
                for search in ["trade", "a", "ocean", "nunez", "institute", "zzzz"] {
                    let filter = SpeakerFilter(search: search)
                    let counts = try await queries.matchCounts(filter)
                    var listed: [Int] = []
                    for page in 1...3 {
                        let request = PageRequest(page: page, size: 1)
                        let direct = try await queries.list(filter, page: request)
                        let shared = try await queries.list(filter, page: request, counts: counts)
                        #expect(direct.items.map(\.id) == shared.items.map(\.id), "\(search) page \(page) broad \(broad)")
                        #expect(direct.total == shared.total)
                        listed += direct.items.map(\.id)
                    }
                    // The ids-only ranking (hybrid search's keyword leg) is the list's order.
                    #expect(try await queries.relevanceIDs(search: search, limit: 3) == listed, "\(search) broad \(broad)")
                    #expect(try await queries.facets(filter) == queries.facets(filter, counts: counts), "\(search) broad \(broad)")
                    if !broad, TestDatabase.engine == .sqlite, let counts, counts.all > 0 {
                        #expect(counts.ranked?.count == counts.all, "a narrow search is read once, in full")
                    }
                }
            }
        }
    }

    /// A search's facets are counted from the stored facet values, which must follow every
    /// change that reaches the search index: imports, merges, deletions.
    @Test func storedFacetValuesFollowChanges() async throws {
        try await TestDatabase.with { database in
            let sql = try database.db.sqlDatabase()
            func stored() async throws -> [String] {
                try await sql.raw("SELECT speaker_id, facet, value FROM speaker_facet_values ORDER BY speaker_id, facet, value").all()
                    .map { "\(try $0.decode(column: "speaker_id", as: Int.self)) \(try $0.decode(column: "facet", as: String.self)) \(try $0.decode(column: "value", as: String.self))" }
            }
            func computed() async throws -> [String] {
                try await sql.raw("""
                    SELECT speaker_id, facet, value FROM (
                        SELECT s.id AS speaker_id, 'affiliation' AS facet, s.affiliation AS value FROM speakers s WHERE s.affiliation IS NOT NULL
                        UNION SELECT s.id, 'location', s.location FROM speakers s WHERE s.location IS NOT NULL
                        UNION SELECT a.speaker_id, 'role', a.role FROM appearances a
                        UNION SELECT a.speaker_id, 'year', substr(e.starts_on, 1, 4) FROM appearances a JOIN events e ON e.id = a.event_id
                              WHERE e.starts_on IS NOT NULL) AS v
                    ORDER BY speaker_id, facet, value
                    """).all()
                    .map { "\(try $0.decode(column: "speaker_id", as: Int.self)) \(try $0.decode(column: "facet", as: String.self)) \(try $0.decode(column: "value", as: String.self))" }
            }
            try await Fixtures.importSpeakers(into: database)
            #expect(try await stored().contains("1 role keynote"))
            #expect(try await stored() == computed())
            let queries = try SpeakerQueries(database.db)
            let ocean = try await queries.facets(SpeakerFilter(search: "ocean"))
            #expect(Set(ocean.affiliation.map(\.value)) == ["Northbridge Institute", "Kyoto Institute of Policy"])
            #expect(ocean.role.reduce(0) { $0 + $1.count } >= 2)

            // A merge moves the absorbed speaker's appearances; a deleted speaker's rows go.
            _ = try await SpeakerMerger(database.db).merge(keep: 1, absorb: 2, decidedBy: "test", refreshFields: { _, _ in })
            #expect(try await stored() == computed())
            #expect(try await !stored().contains { $0.hasPrefix("2 ") })
            try await database.db.writeTransaction { tx in
                try await tx.sqlDatabase().raw("DELETE FROM speakers WHERE id = 3").run()
            }
            #expect(try await !stored().contains { $0.hasPrefix("3 ") })
        }
    }

    @Test func filtersAndFacetsCombine() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let queries = try SpeakerQueries(database.db)
            #expect(try await queries.list(SpeakerFilter(role: .moderator), page: PageRequest()).items.map(\.name) == ["José Núñez"])
            #expect(try await queries.list(SpeakerFilter(year: 2023), page: PageRequest()).total == 2)
            #expect(try await queries.list(SpeakerFilter(affiliation: "Brightwater Partners"), page: PageRequest()).items.map(\.id) == [4])
            let facets = try await queries.facets(SpeakerFilter())
            #expect(facets.year == [FacetValue(value: "2024", count: 2), FacetValue(value: "2023", count: 2)])
            #expect(facets.role.first { $0.value == "keynote" }?.count == 1)
            let filtered = try await queries.facets(SpeakerFilter(search: "ocean"))
            #expect(Set(filtered.affiliation.map(\.value)) == ["Northbridge Institute", "Kyoto Institute of Policy"])
        }
    }

    @Test func paginationCountsEverything() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let page = try await SpeakerQueries(database.db).list(SpeakerFilter(), page: PageRequest(page: 2, size: 3))
            #expect(page.total == 4)
            #expect(page.items.count == 1)
            #expect(page.pageCount == 2)
            #expect(!page.hasNext && page.hasPrevious)
        }
    }

    @Test func profilesAndEventsCarryAppearances() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let profile = try #require(try await SpeakerQueries(database.db).profile(id: 1))
            #expect(profile.appearances.map(\.date) == ["2024-03-12", "2023-06-05"])
            let events = try await EventQueries(database.db).list(EventFilter(), page: PageRequest())
            #expect(events.items.map(\.title) == ["Trade Futures", "Ocean Finance Summit"])
            let detail = try #require(try await EventQueries(database.db).detail(id: events.items[1].id))
            #expect(detail.speakers.map(\.role) == ["keynote", "panelist"])
            #expect(try await EventQueries(database.db).list(EventFilter(search: "ocean"), page: PageRequest()).total == 1)
            #expect(try await EventQueries(database.db).list(EventFilter(from: LocalDate(iso: "2024-01-01")), page: PageRequest()).total == 1)
            #expect(try await SpeakerQueries(database.db).profile(id: 999) == nil)
        }
    }

    @Test func statsCountMonthsAndAffiliations() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let stats = try await StatsQueries(database.db).stats()
            #expect(stats.counts == DatabaseCounts(speakers: 4, events: 2, appearances: 4, sources: 0))
            #expect(stats.eventsPerMonth == [MonthCount(month: "2023-06", count: 1), MonthCount(month: "2024-03", count: 1)])
            #expect(stats.undatedEvents == 0)
            // New speakers by their first dated appearance; David Miller has none.
            #expect(stats.firstAppearancesPerMonth == [MonthCount(month: "2023-06", count: 2), MonthCount(month: "2024-03", count: 1)])
            #expect(stats.speakersWithoutDatedAppearance == 1)
            #expect(stats.affiliations.count == 4)
            // An undated event is counted as such, not dropped.
            _ = try await FrontierRepository(database.db).enqueueEvents(["https://events.example.org/undated"], sourceID: nil, via: "test")
            #expect(try await StatsQueries(database.db).stats().undatedEvents == 1)
        }
    }

    @Test func spendIsSummedByUTCDayAndMonthInSQL() async throws {
        try await TestDatabase.with { database in
            #expect(try await StatsQueries(database.db).spendSummary() == SpendSummary(), "no call, no spend")
            let now = try #require(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z"))
            // Two calls today, one late on the last day of the previous month, one 40 days ago.
            for (micros, date) in [(1_500, now), (2_500, now.addingTimeInterval(-3_600)), (10_000, now.addingTimeInterval(-36 * 3_600 - 1)),
                                   (7, now.addingTimeInterval(-40 * 86_400))] {
                let call = APICall()
                call.provider = "openai"; call.model = "m"; call.purpose = "extract"; call.inputTokens = 1; call.outputTokens = 1
                call.costMicros = micros; call.priceVersion = "test"; call.latencyMilliseconds = 1; call.status = "ok"
                try await call.create(on: database.db)
                try await database.db.sqlDatabase().raw("UPDATE api_calls SET created_at = \(bind: date) WHERE id = \(bind: call.id!)").run()
            }
            let spend = try await StatsQueries(database.db).spendSummary(now: now)
            #expect(spend.calls == 4 && spend.total == 14_007)
            #expect(spend.today == 4_000 && spend.month == 4_000)
            #expect(spend.days.map(\.key) == ["2026-03-02", "2026-02-28"], "the call 40 days ago is outside the 30-day list")
            #expect(spend.days.first?.calls == 2)
            #expect(spend.months.map { "\($0.key) \($0.micros)" } == ["2026-03 4000", "2026-02 10000", "2026-01 7"])
        }
    }

    @Test func theLeaderboardCountsEventsInThePeriod() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            let queries = try StatsQueries(database.db)
            let all = try await queries.topSpeakers(since: nil, limit: 10)
            #expect(all.map(\.name) == ["Amara Okafor", "José Núñez", "山田 花子"])
            #expect(all.first?.events == 2 && all.first?.appearances == 2)
            // Since 2024: only Trade Futures (2024-03-12) counts.
            let recent = try await queries.topSpeakers(since: "2024-01-01", limit: 10)
            #expect(recent.map(\.name) == ["Amara Okafor", "José Núñez"] && recent.allSatisfy { $0.events == 1 })
            #expect(try await queries.topSpeakers(since: "2030-01-01", limit: 10).isEmpty)
            #expect(try await queries.topSpeakers(since: nil, limit: 1).count == 1)
        }
    }
}

@Suite("Broad searches")
struct BroadSearchTests {
    /// Above the full-ranking limit, name/title/affiliation matches come first and paging
    /// stays consistent; facets say they count the top results only.
    @Test func tieredRankingPagesConsistently() async throws {
        try await TestDatabase.with { database in
            var speakers: [ExportSpeaker] = []
            for index in 1...30 {
                speakers.append(ExportSpeaker(id: index, name: "Person Number\(index)", title: nil, affiliation: "Institute \(index % 4)",
                                              bio: "Works on climate adaptation.", events: []))
            }
            for index in 31...33 {
                speakers.append(ExportSpeaker(id: index, name: "Strong Match\(index)", title: "Climate Scientist", affiliation: nil, bio: nil, events: []))
            }
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(ExportDocument(speakers: speakers)), on: database.db)
            var queries = try SpeakerQueries(database.db)
            queries.fullRankingLimit = 5
            queries.exactFacetLimit = 10
            queries.facetSample = 8
            let filter = SpeakerFilter(search: "climate")
            var seen: [Int] = []
            for page in 1...4 {
                let result = try await queries.list(filter, sort: .relevance, page: PageRequest(page: page, size: 10))
                #expect(result.total == 33)
                seen += result.items.map(\.id)
            }
            #expect(seen.count == 33 && Set(seen).count == 33, "pages overlap or miss results")
            #expect(Set(seen.prefix(3)) == [31, 32, 33], "title matches do not come first: \(seen.prefix(5))")
            let facets = try await queries.facets(filter)
            #expect(facets.sampled == 8)
            #expect(facets.affiliation.map(\.count).reduce(0, +) <= 8)
            // Small result sets are ranked fully and counted exactly.
            let narrow = try await queries.facets(SpeakerFilter(search: "scientist"))
            #expect(narrow.sampled == nil)
        }
    }

    /// Facets counted in Swift from a search's matches (all of them, or a sample that
    /// covers them all) equal the facets SQL counts for the same speakers.
    @Test func sampledFacetsCountLikeExactFacets() async throws {
        try await TestDatabase.with { database in
            let roles = ["speaker", "panelist", "moderator", "keynote"]
            var speakers: [ExportSpeaker] = []
            for index in 1...40 {
                let events = (0..<(index % 4)).map { n in
                    ExportAppearance(url: "https://example.org/e/\((index + n) % 9)", title: "Event \((index + n) % 9)",
                                     date: n == 2 ? nil : "20\(10 + (index + n) % 9)-05-01", role: roles[(index + n) % 4])
                }
                speakers.append(ExportSpeaker(id: index, name: "Person Number\(index)", title: index % 3 == 0 ? "Climate Lead" : nil,
                                              affiliation: index % 5 == 0 ? nil : "Institute \(index % 7)",
                                              bio: "Works on climate adaptation.", events: events))
            }
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(ExportDocument(speakers: speakers)), on: database.db)
            var queries = try SpeakerQueries(database.db)
            let filter = SpeakerFilter(search: "climate")
            // Every speaker matches, so the search's facets (counted in Swift from its
            // matches) must equal those of the unfiltered list (counted by SQL).
            let exact = try await queries.facets(SpeakerFilter())
            #expect(try await queries.facets(filter) == exact)
            #expect(exact.sampled == nil)
            #expect(!exact.role.isEmpty && !exact.year.isEmpty && !exact.affiliation.isEmpty)
            queries.exactFacetLimit = 10
            queries.facetSample = 100
            var sampled = try await queries.facets(filter)
            #expect(sampled.sampled == 40)
            sampled.sampled = nil
            #expect(sampled == exact)
        }
    }
}
