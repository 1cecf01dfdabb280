import Storage
import Vapor

/// `/stats`: events per month, speakers added per month, top affiliations, drawn as SVG.
struct StatsController {
    let cache: TTLCache<String, DatabaseStats>

    func register(on routes: any RoutesBuilder) {
        routes.get("stats") { try await self.stats($0, suffix: nil) }
        routes.get("stats.json") { try await self.stats($0, suffix: "json") }
    }

    struct StatsData: Content {
        var stats: DatabaseStats
    }

    func stats(_ request: Request, suffix: String?) async throws -> Response {
        let db = request.application.storageContext.database
        let stats = try await cache.value(for: "stats") { try await StatsQueries(db).stats() }
        if ResponseFormat.negotiate(request, suffix: suffix) == .json {
            return try await StatsData(stats: stats).encodeResponse(for: request)
        }
        let page = StatsPage(
            stats: stats,
            eventsChart: SVGChart.columns(stats.eventsPerMonth.map { .init(label: $0.month, value: $0.count) }, title: "Events per month"),
            speakersChart: SVGChart.columns(stats.speakersAddedPerMonth.map { .init(label: $0.month, value: $0.count) }, title: "Speakers added per month"),
            affiliationsChart: SVGChart.rows(stats.topAffiliations.map { .init(label: $0.value, value: $0.count) }, title: "Top affiliations"))
        return try await request.view.render("stats", page).encodeResponse(for: request)
    }
}
