import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport

/// Search analytics do not grow for ever: what is older than the retention is deleted.
@Suite("Search log retention")
struct SearchLogRetentionTests {
    @Test func searchesOlderThanTheCutoffAreDeleted() async throws {
        try await TestDatabase.with { database in
            let log = SearchLog(database.db)
            let now = Date()
            try await log.record([
                SearchLog.Entry(query: "ancient", filters: nil, results: 1, latency: .milliseconds(3), format: "html", date: now.addingTimeInterval(-200 * 86_400)),
                SearchLog.Entry(query: "old", filters: nil, results: 0, latency: .milliseconds(3), format: "html", date: now.addingTimeInterval(-91 * 86_400)),
                SearchLog.Entry(query: "recent", filters: nil, results: 2, latency: .milliseconds(3), format: "json", date: now.addingTimeInterval(-89 * 86_400)),
                SearchLog.Entry(query: "today", filters: nil, results: 2, latency: .milliseconds(3), format: "json", date: now),
            ])
            #expect(try await log.prune(before: now.addingTimeInterval(-90 * 86_400)) == 2)
            let kept = try await log.summary(since: now.addingTimeInterval(-365 * 86_400))
            #expect(kept.searches == 2)
            #expect(try await log.prune(before: now.addingTimeInterval(-90 * 86_400)) == 0, "nothing left to delete")
        }
    }
}

/// Exports read the ordered ids once and the rows in batches: the same speakers in the
/// same order as paging through the list.
@Suite("Export order")
struct ExportOrderTests {
    @Test func orderedIDsMatchTheListPageByPage() async throws {
        try await TestDatabase.with { database in
            let speakers = (1...260).map { index in
                ExportSpeaker(id: index, name: "Person \(["Ada", "Bo", "Cy", "Di"][index % 4]) Number\(index)", title: index % 3 == 0 ? "Economist" : "Fellow",
                              affiliation: "Institute \(index % 7)", bio: nil, events: [
                                  ExportAppearance(url: "https://events.example.org/e/\(index % 9)", title: "Event \(index % 9)", date: "2024-05-0\(1 + index % 9)", role: "speaker"),
                              ])
            }
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(ExportDocument(speakers: speakers)), on: database.db)
            let queries = try SpeakerQueries(database.db)
            for (filter, sort) in [(SpeakerFilter(), nil), (SpeakerFilter(), SpeakerSort.newest), (SpeakerFilter(search: "economist"), nil),
                                   (SpeakerFilter(affiliation: "Institute 3"), SpeakerSort.name), (SpeakerFilter(search: "!!!"), nil)] as [(SpeakerFilter, SpeakerSort?)] {
                var paged: [Int] = []
                var page = 1
                while true {
                    let result = try await queries.list(filter, sort: sort, page: PageRequest(page: page, size: 50))
                    paged += result.items.map(\.id)
                    guard result.hasNext else { break }
                    page += 1
                }
                #expect(try await queries.orderedIDs(filter, sort: sort) == paged, "\(filter) \(String(describing: sort))")
            }
        }
    }
}
