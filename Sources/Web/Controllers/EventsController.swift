import SpeakerCore
import Storage
import Vapor

/// `/events`: the filterable list and each event with its speakers, as HTML, JSON and CSV.
struct EventsController {
    let facetCache: TTLCache<EventFilter, EventFacets>

    func register(on routes: any RoutesBuilder) {
        routes.get("events") { try await self.list($0, suffix: nil) }
        routes.get("events.json") { try await self.list($0, suffix: "json") }
        routes.get("events.csv") { try await self.list($0, suffix: "csv") }
        routes.get("events", ":id") { try await self.show($0) }
    }

    struct ListData: Content {
        var events: [EventSummary]
        var total: Int
        var page: Int
        var size: Int
        var pageCount: Int
        var filters: Filters
        var facets: EventFacets
        var links: PageLinks

        struct Filters: Content {
            var search: String?
            var year: Int?
            var location: String?
            var source: Int?
            var from: String?
            var to: String?
            var sort: String
        }

        enum CodingKeys: String, CodingKey {
            case events, total, page, size, filters, facets, links
            case pageCount = "page_count"
        }
    }

    static func filter(from request: Request) throws -> (EventFilter, EventSort) {
        let query = QueryParameters(request)
        let filter = EventFilter(
            search: try query.string("_search"),
            year: try query.int("year", in: 1000...9999),
            location: try query.string("location"),
            sourceID: try query.int("source", in: 1...Int(Int32.max)),
            from: try query.date("from"),
            to: try query.date("to"))
        return (filter, try query.choice("_sort", of: EventSort.self) ?? .date)
    }

    func list(_ request: Request, suffix: String?) async throws -> Response {
        let format = ResponseFormat.negotiate(request, suffix: suffix)
        let (filter, sort) = try Self.filter(from: request)
        let queries = try EventQueries(request.application.storageContext.database)
        if format == .csv {
            return CSVResponse.stream(filename: "events.csv", header: CSVColumns.events) { emit in
                var page = 1
                while true {
                    let result = try await queries.list(filter, sort: sort, page: PageRequest(page: page, size: PageRequest.maxSize))
                    try await emit(result.items.map { [String($0.id), $0.url, $0.title, $0.date, $0.location, String($0.speakerCount)] })
                    guard result.hasNext else { return }
                    page += 1
                }
            }
        }
        let pageRequest = try QueryParameters(request).pageRequest()
        async let page = queries.list(filter, sort: sort, page: pageRequest)
        async let facets = facetCache.value(for: filter) { try await queries.facets(filter) }
        let result = try await page
        let data = ListData(
            events: result.items, total: result.total, page: result.page, size: result.size, pageCount: result.pageCount,
            filters: .init(search: filter.search, year: filter.year, location: filter.location, source: filter.sourceID,
                           from: filter.from?.iso, to: filter.to?.iso, sort: sort.rawValue),
            facets: try await facets,
            links: PageLinks(request: request, path: "/events", page: result, asJSON: format == .json))
        if format == .json {
            return try await data.encodeResponse(for: request)
        }
        return try await request.view.render("events", EventsPage(request: request, data: data)).encodeResponse(for: request)
    }

    func show(_ request: Request) async throws -> Response {
        let (idText, suffix) = ResponseFormat.splitSuffix(request.parameters.get("id") ?? "")
        guard let id = Int(idText), id > 0 else {
            throw Abort(.notFound, reason: "There is no event \(idText.prefix(40)).")
        }
        let format = ResponseFormat.negotiate(request, suffix: suffix)
        guard let detail = try await EventQueries(request.application.storageContext.database).detail(id: id) else {
            throw Abort(.notFound, reason: "There is no event \(id).")
        }
        switch format {
        case .json:
            return try await EventData(event: detail).encodeResponse(for: request)
        case .csv:
            let speakers = detail.speakers
            return CSVResponse.stream(filename: "event-\(id)-speakers.csv", header: CSVColumns.eventSpeakers) { emit in
                try await emit(speakers.map { [String($0.speakerID), $0.name, $0.title, $0.affiliation, $0.role] })
            }
        case .html:
            return try await request.view.render("event", EventPage(detail: detail)).encodeResponse(for: request)
        }
    }
}

struct EventData: Content {
    var event: EventDetail
}
