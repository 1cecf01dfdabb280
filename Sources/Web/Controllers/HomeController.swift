import Storage
import Vapor

/// `/`: the search box, what the database holds, and the latest events.
struct HomeController {
    let countsCache: TTLCache<String, DatabaseCounts>

    func register(on routes: any RoutesBuilder) {
        routes.get { try await self.home($0, suffix: nil) }
        routes.get("index.json") { try await self.home($0, suffix: "json") }
    }

    struct HomeData: Content {
        var counts: DatabaseCounts
        var recentEvents: [EventSummary]

        enum CodingKeys: String, CodingKey {
            case counts
            case recentEvents = "recent_events"
        }
    }

    func home(_ request: Request, suffix: String?) async throws -> Response {
        let db = request.application.storageContext.database
        async let counts = countsCache.value(for: "counts") { try await StatsQueries(db).counts() }
        async let recent = EventQueries(db).list(EventFilter(), sort: .date, page: PageRequest(page: 1, size: 8))
        let data = HomeData(counts: try await counts, recentEvents: try await recent.items)
        if ResponseFormat.negotiate(request, suffix: suffix) == .json {
            return try await data.encodeResponse(for: request)
        }
        return try await request.view.render("home", HomePage(counts: data.counts, recentEvents: data.recentEvents)).encodeResponse(for: request)
    }
}
