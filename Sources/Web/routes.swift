import Embeddings
import Extraction
import Search
import Storage
import Vapor

/// Every route of the web app. Pages and their JSON twins share handlers.
func routes(_ app: Application) throws {
    HealthController().register(on: app)
    HomeController(countsCache: TTLCache(ttl: 10)).register(on: app)
    let searchLog = SearchLogBuffer(database: { [storage = app.storageContext] in storage.database }, logger: app.logger)
    app.lifecycle.use(SearchLogFlusher(buffer: searchLog))
    app.searchLogBuffer = searchLog
    SpeakersController(facetCache: TTLCache(ttl: 30), countCache: TTLCache(ttl: 30), searchLog: searchLog).register(on: app)
    // EMBEDDINGS=openai: queries are embedded by the API, each call recorded like any other.
    let api = APIEmbedder.configured(settings: app.speakerdbSettings, http: app.http.client.shared) { [storage = app.storageContext] call, purpose in
        await APICallRecorder(storage.database).record(call, purpose: purpose, runID: nil)
    }
    let semantic = SemanticService(location: ModelLocation(explicitPath: app.speakerdbSettings.modelDirectory), api: api)
    SearchController(semantic: semantic, searchLog: searchLog).register(on: app)
    EventsController(facetCache: TTLCache(ttl: 30)).register(on: app)
    StatsController(cache: TTLCache(ttl: 30), leaderboardCache: TTLCache(ttl: 30)).register(on: app)
    app.get("openapi.json") { _ in OpenAPIDocument.document() }
    AuthController(throttle: LoginThrottle()).register(on: app)
    AdminController().register(on: app)
    MetricsController().register(on: app)
}

extension JSONValue: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .prettyPrinted]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(self)))
    }
}
