import FluentKit
import Foundation
import Identity
import SpeakerCore
import Storage
import Vapor

/// `/stats`: events over time, new speakers by their first appearance, the top
/// organisations (spellings of one organisation counted together) and roles, drawn as
/// accessible SVG with a table of the same numbers; `/stats/leaderboard`: the speakers
/// who appeared most in a chosen period, as HTML, JSON and CSV.
struct StatsController {
    let cache: TTLCache<String, StatsData>
    let leaderboardCache: TTLCache<Leaderboard.Period, [SpeakerTally]>

    init(cache: TTLCache<String, StatsData>, leaderboardCache: TTLCache<Leaderboard.Period, [SpeakerTally]>) {
        self.cache = cache
        self.leaderboardCache = leaderboardCache
    }

    func register(on routes: any RoutesBuilder) {
        routes.get("stats") { try await self.stats($0, suffix: nil) }
        routes.get("stats.json") { try await self.stats($0, suffix: "json") }
        routes.get("stats", "leaderboard") { try await self.leaderboard($0, suffix: nil) }
        routes.get("stats", "leaderboard.json") { try await self.leaderboard($0, suffix: "json") }
        routes.get("stats", "leaderboard.csv") { try await self.leaderboard($0, suffix: "csv") }
    }

    /// What the statistics page shows, as its JSON twin gives it.
    struct StatsData: Content, Equatable {
        var counts: DatabaseCounts
        var events: Timeline
        var newSpeakers: Timeline
        var topAffiliations: [Organisation]
        var roles: [FacetValue]

        struct Organisation: Content, Equatable {
            var name: String
            var speakers: Int
            /// The spellings counted together, most common first.
            var spellings: [String]
        }

        enum CodingKeys: String, CodingKey {
            case counts, events, roles
            case newSpeakers = "new_speakers"
            case topAffiliations = "top_affiliations"
        }
    }

    static func data(_ db: any Database) async throws -> StatsData {
        let stats = try await StatsQueries(db).stats()
        let aliases = try await AffiliationAlias.query(on: db).all()
        let matcher = AffiliationMatcher(aliases: Dictionary(aliases.map { ($0.alias, $0.canonical) }, uniquingKeysWith: { first, _ in first }))
        return StatsData(counts: stats.counts,
                         events: Timeline(months: stats.eventsPerMonth, undated: stats.undatedEvents),
                         newSpeakers: Timeline(months: stats.firstAppearancesPerMonth, undated: stats.speakersWithoutDatedAppearance),
                         topAffiliations: organisations(stats.affiliations, matcher: matcher, limit: 10),
                         roles: stats.roles)
    }

    /// Groups affiliation spellings by organisation (alias table, legal forms, "the",
    /// departments under their university) and names each group by its alias's canonical
    /// name, else its most common spelling.
    static func organisations(_ affiliations: [FacetValue], matcher: AffiliationMatcher, limit: Int) -> [StatsData.Organisation] {
        var groups: [String: [FacetValue]] = [:]
        var order: [String] = []
        for affiliation in affiliations {
            let key = matcher.canonical(affiliation.value)
            guard !key.isEmpty else { continue }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(affiliation)
        }
        let canonicalNames = Dictionary(matcher.aliases.values.map { (matcher.canonical($0), $0) }, uniquingKeysWith: { first, _ in first })
        return order.map { key in
            let members = groups[key]!.sorted { ($0.count, $1.value) > ($1.count, $0.value) }
            return StatsData.Organisation(name: canonicalNames[key] ?? members[0].value, speakers: members.reduce(0) { $0 + $1.count },
                                          spellings: members.map(\.value))
        }
        .sorted { ($0.speakers, $1.name) > ($1.speakers, $0.name) }
        .prefix(limit).map { $0 }
    }

    func stats(_ request: Request, suffix: String?) async throws -> Response {
        let db = request.application.storageContext.database
        let data = try await cache.value(for: "stats") { try await Self.data(db) }
        if ResponseFormat.negotiate(request, suffix: suffix) == .json {
            return try await data.encodeResponse(for: request)
        }
        return try await request.view.render("stats", StatsPage(data: data)).encodeResponse(for: request)
    }

    func leaderboard(_ request: Request, suffix: String?) async throws -> Response {
        let period = try QueryParameters(request).choice("period", of: Leaderboard.Period.self) ?? .all
        let db = request.application.storageContext.database
        let tallies = try await leaderboardCache.value(for: period) {
            try await StatsQueries(db).topSpeakers(since: period.since(Date()), limit: Leaderboard.size)
        }
        let board = Leaderboard(period: period, speakers: tallies)
        switch ResponseFormat.negotiate(request, suffix: suffix) {
        case .json:
            return try await board.encodeResponse(for: request)
        case .csv:
            return CSVResponse.stream(filename: "leaderboard-\(period.rawValue).csv", header: CSVColumns.leaderboard) { emit in
                try await emit(tallies.enumerated().map { index, tally in
                    [String(index + 1), String(tally.id), tally.name, tally.title ?? "", tally.affiliation ?? "", String(tally.events), String(tally.appearances)]
                })
            }
        case .html:
            return try await request.view.render("leaderboard", LeaderboardPage(board: board)).encodeResponse(for: request)
        }
    }
}

/// The most frequent speakers of a period.
struct Leaderboard: Content {
    enum Period: String, Codable, CaseIterable, Hashable, Sendable {
        case all, twelveMonths = "12m", threeMonths = "3m"

        var label: String {
            switch self {
            case .all: "All time"
            case .twelveMonths: "Last 12 months"
            case .threeMonths: "Last 3 months"
            }
        }

        /// The first day counted ("YYYY-MM-DD", UTC), or nil for all time.
        func since(_ now: Date) -> String? {
            let months = switch self {
            case .all: 0
            case .twelveMonths: 12
            case .threeMonths: 3
            }
            guard months > 0 else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let start = calendar.date(byAdding: .month, value: -months, to: now) ?? now
            let parts = calendar.dateComponents([.year, .month, .day], from: start)
            return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
        }
    }

    static let size = 50

    var period: Period
    var speakers: [SpeakerTally]
}
