import Foundation
import Identity
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

/// The statistics page tells the truth: a continuous time axis that counts every event
/// (and says how many have no date), new speakers by their first appearance, organisations
/// counted once whatever their spelling, and a leaderboard of the most frequent speakers.
@Suite("Statistics and the leaderboard")
struct StatsPageTests {
    @Test func timelinesAreContinuousAndBinnedByTheirSpan() {
        let short = Timeline(months: [MonthCount(month: "2023-11", count: 2), MonthCount(month: "2024-02", count: 1)], undated: 3)
        #expect(short.bin == .month)
        #expect(short.points.map(\.period) == ["2023-11", "2023-12", "2024-01", "2024-02"], "empty months are on the axis")
        #expect(short.points.map(\.count) == [2, 0, 0, 1])
        #expect(short.undated == 3 && short.total == 6)

        let fiveYears = Timeline(months: [MonthCount(month: "2019-02", count: 1), MonthCount(month: "2019-03", count: 4),
                                          MonthCount(month: "2024-01", count: 2)], undated: 0)
        #expect(fiveYears.bin == .quarter)
        #expect(fiveYears.points.first == Timeline.Point(period: "2019 Q1", count: 5))
        #expect(fiveYears.points.last == Timeline.Point(period: "2024 Q1", count: 2))
        #expect(fiveYears.points.count == 21 && fiveYears.points.map(\.count).reduce(0, +) == 7)

        let decades = Timeline(months: [MonthCount(month: "1998-07", count: 1), MonthCount(month: "2024-12", count: 1),
                                        MonthCount(month: "20x4-1", count: 5)], undated: 0)
        #expect(decades.bin == .year && decades.points.count == 27)
        #expect(decades.undated == 5, "a month that cannot be read is counted as undated, not dropped")
        #expect(decades.total == 7)

        #expect(Timeline(months: [], undated: 2).points.isEmpty)
        #expect(SVGChart.ticks(maximum: 0) == [0, 1])
        #expect(SVGChart.ticks(maximum: 7) == [0, 2, 4, 6, 8])
        #expect(SVGChart.ticks(maximum: 48) == [0, 10, 20, 30, 40, 50])
    }

    @Test func organisationsAreCountedOnceWhateverTheirSpelling() {
        let matcher = AffiliationMatcher(aliases: ["NBI": "Northbridge Institute"])
        let organisations = StatsController.organisations([
            FacetValue(value: "Kyoto Institute of Policy", count: 3), FacetValue(value: "Northbridge Institute", count: 2),
            FacetValue(value: "NBI", count: 1), FacetValue(value: "The Northbridge Institute Ltd", count: 1),
            FacetValue(value: "MIT", count: 1),
        ], matcher: matcher, limit: 10)
        #expect(organisations.first == StatsController.StatsData.Organisation(
            name: "Northbridge Institute", speakers: 4, spellings: ["Northbridge Institute", "NBI", "The Northbridge Institute Ltd"]))
        #expect(organisations.map(\.name) == ["Northbridge Institute", "Kyoto Institute of Policy", "Massachusetts Institute of Technology"])
    }

    @Test func theStatsPageHasTitledAxesEveryEventAndATable() async throws {
        try await withSeededApp { app, database in
            _ = try await FrontierRepository(database.db).enqueueEvents(["https://events.example.org/undated"], sourceID: nil, via: "test")
            let tester = try app.testing()
            try await tester.test(.GET, "/stats") { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("Events per month") && html.contains("Start date (by month)") && html.contains(">Events</text>"))
                #expect(html.contains("<desc>2 dated events"))
                #expect(html.contains("1 of 3 events have no date and are not on the chart."))
                #expect(html.contains("New speakers per month") && html.contains("1 of 4 speakers have no dated appearance"))
                // 2023-06 to 2024-03, every month on the axis: ten rows in the table.
                #expect(html.components(separatedBy: "<tr><td>20").count - 1 == 10 + 10)
                #expect(html.contains("<tr><td>2023-09</td><td class=\"num\">0</td></tr>"))
                #expect(html.contains("/stats/leaderboard"))
            }
            try await tester.test(.GET, "/stats.json") { response in
                let object = try #require(response.json as? [String: Any])
                let events = try #require(object["events"] as? [String: Any])
                #expect(events["total"] as? Int == 3 && events["undated"] as? Int == 1 && events["bin"] as? String == "month")
                #expect((events["points"] as? [Any])?.count == 10)
            }
        }
    }

    @Test func theLeaderboardComesAsHTMLJSONAndCSVForEachPeriod() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/stats/leaderboard") { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Most frequent speakers"))
                #expect(response.text.contains("<a href=\"/speakers/1\">Amara Okafor</a>"))
                #expect(response.text.contains("href=\"/stats/leaderboard.csv\""))
            }
            try await tester.test(.GET, "/stats/leaderboard.json") { response in
                let object = try #require(response.json as? [String: Any])
                #expect(object["period"] as? String == "all")
                let speakers = try #require(object["speakers"] as? [[String: Any]])
                #expect(speakers.first?["name"] as? String == "Amara Okafor" && speakers.first?["events"] as? Int == 2)
                #expect(speakers.count == 3, "David Miller has no appearance")
            }
            try await tester.test(.GET, "/stats/leaderboard.csv") { response in
                #expect(response.headers.contentType?.subType == "csv")
                let lines = response.text.split(separator: "\r\n")
                #expect(lines.first == "rank,id,name,title,affiliation,events,appearances")
                #expect(lines.dropFirst().first?.hasPrefix("1,1,Amara Okafor,") == true)
            }
            // The fixture's events are from 2023 and 2024: nothing in the last three months.
            try await tester.test(.GET, "/stats/leaderboard?period=3m") { response in
                #expect(response.text.contains("Nobody appeared at an event in this period."))
                #expect(response.text.contains("class=\"active\">Last 3 months"))
            }
            try await tester.test(.GET, "/stats/leaderboard.json?period=forever") { response in
                #expect(response.status == .badRequest)
            }
            #expect(Leaderboard.Period.twelveMonths.since(Date(timeIntervalSince1970: 1_796_601_600)) == "2025-12-07")
            #expect(Leaderboard.Period.all.since(Date()) == nil)
        }
    }

    @Test func speakersSortByAppearances() async throws {
        try await withSeededApp { app, _ in
            try await app.testing().test(.GET, "/speakers.json?_sort=appearances") { response in
                let speakers = try #require((response.json as? [String: Any])?["speakers"] as? [[String: Any]])
                #expect(speakers.first?["name"] as? String == "Amara Okafor")
                #expect(speakers.last?["name"] as? String == "David Miller")
            }
            try await app.testing().test(.GET, "/speakers") { response in
                #expect(response.text.contains("_sort=appearances"))
            }
        }
    }
}
