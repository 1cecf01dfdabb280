import Search
import Storage
import Vapor

/// `/search`: speakers by words and meaning (hybrid, keyword or semantic), with an
/// explanation of each result's rank; `/search.json` is its JSON twin.
struct SearchController {
    let semantic: SemanticService

    func register(on routes: any RoutesBuilder) {
        routes.get("search") { try await self.search($0, suffix: nil) }
        routes.get("search.json") { try await self.search($0, suffix: "json") }
    }

    static let maxLimit = 50

    func search(_ request: Request, suffix: String?) async throws -> Response {
        let format = ResponseFormat.negotiate(request, suffix: suffix)
        let query = QueryParameters(request)
        let text = (try query.string("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 500 else { throw Abort(.badRequest, reason: "The query is longer than 500 characters.") }
        let mode = try query.choice("mode", of: SearchMode.self) ?? .hybrid
        let limit = try query.int("limit", in: 1...Self.maxLimit) ?? 10
        let explain = try query.string("explain").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? false
        var outcome = SearchOutcome(query: text, requested: mode, mode: mode, hits: [], notes: [])
        if !text.isEmpty {
            let db = request.application.storageContext.database
            let (index, embedder) = mode == .keyword ? (nil, nil) : try await semantic.current(db)
            outcome = try await HybridSearch(database: db, index: index, embedder: embedder).search(text, mode: mode, limit: limit)
        }
        if format == .json {
            return try await outcome.encodeResponse(for: request)
        }
        return try await request.view.render("search", SearchPage(outcome: outcome, explain: explain)).encodeResponse(for: request)
    }
}

extension SearchOutcome: Content {}

/// The search page's view model.
struct SearchPage: Encodable {
    var query: String
    var mode: String
    var modeUsed: String
    var notes: [String]
    var explain: Bool
    var hits: [Hit]
    var modes: [String]
    var keywordLink: String

    struct Hit: Encodable {
        var id: Int
        var name: String
        var role: String
        var why: String
    }

    init(outcome: SearchOutcome, explain: Bool) {
        query = outcome.query
        mode = outcome.requested.rawValue
        modeUsed = outcome.mode.rawValue
        notes = outcome.notes
        self.explain = explain
        modes = SearchMode.allCases.map(\.rawValue)
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        keywordLink = "/speakers?_search=" + (outcome.query.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        hits = outcome.hits.map { hit in
            var why: [String] = []
            if outcome.mode != .semantic { why.append(hit.explanation.keywordRank.map { "words: #\($0)" } ?? "none of the words") }
            if outcome.mode != .keyword {
                why.append(hit.explanation.semanticRank.map { "meaning: #\($0) (cosine \(String(format: "%.2f", hit.explanation.cosine ?? 0)))" } ?? "meaning: below the top \(HybridSearch.depth)")
            }
            why.append(String(format: "score %.4f", hit.score))
            return Hit(id: hit.speaker.id, name: hit.speaker.name,
                       role: [hit.speaker.title, hit.speaker.affiliation].compactMap { $0 }.joined(separator: ", "),
                       why: why.joined(separator: " · "))
        }
    }
}
