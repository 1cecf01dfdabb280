import AsyncHTTPClient
import Extraction
import LLM
import Search
import SpeakerCore
import Storage
import Vapor

/// `/search`: speakers by name, topic or plain-English request — the request parsed into
/// a count, topic words and constraints, ranked by words and meaning (hybrid, keyword or
/// semantic), with an explanation of each result's rank; `/search.json` is its JSON twin.
/// A GET is always answered offline (the offline parser; semantic ranking only with the
/// local model), so a link from another site cannot make anyone spend money. Paid reading
/// (the configured LLM parses the request; a paid API embeds it) is a POST, which needs an
/// admin and the CSRF token, like every other action that spends money.
struct SearchController {
    let semantic: SemanticService
    let searchLog: SearchLogBuffer

    func register(on routes: any RoutesBuilder) {
        routes.get("search") { try await self.search($0, suffix: nil) }
        routes.get("search.json") { try await self.search($0, suffix: "json") }
        routes.post("search") { try await self.search($0, suffix: nil, paid: true) }
        routes.post("search.json") { try await self.search($0, suffix: "json", paid: true) }
    }

    static let maxLimit = 50

    func search(_ request: Request, suffix: String?, paid: Bool = false) async throws -> Response {
        let started = ContinuousClock.now
        let format = ResponseFormat.negotiate(request, suffix: suffix)
        let query = QueryParameters(request)
        let text = (try query.string("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 500 else { throw Abort(.badRequest, reason: "The query is longer than 500 characters.") }
        let mode = try query.choice("mode", of: SearchMode.self) ?? .hybrid
        let limit = try query.int("limit", in: 1...Self.maxLimit) ?? 10
        let explain = try query.string("explain").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? false
        var result = RequestOutcome(request: SearchRequest(query: text, topic: ""), constraints: [],
                                    outcome: SearchOutcome(query: text, requested: mode, mode: mode, hits: [], notes: []))
        if !text.isEmpty {
            let db = request.application.storageContext.database
            // Only a POST (an admin, with the CSRF token: see AccessRule) may spend money.
            var mayPay = paid && (request.session?.account.role ?? .viewer) >= .admin
            var capNote: String?
            if mayPay, let daily = request.application.speakerdbSettings.llmDailyMaxCostMicros,
               try await StatsQueries(db).spentMicros(since: Date().addingTimeInterval(-86_400)) >= daily {
                // Within the same rolling daily cap as every run and command.
                mayPay = false
                capNote = "the daily cap on paid calls (LLM_DAILY_MAX_COST_USD, \(PriceTable.dollars(daily))) is spent: this search was read offline"
            }
            let (index, embedder) = mode == .keyword ? (nil, nil) : try await semantic.current(db, mayPay: mayPay)
            var parsed = await Self.parse(text, request: request, mayPay: mayPay)
            // Inferred gender is visible to editors only, so only their searches filter by it.
            var genderNote: String?
            if !parsed.genders.isEmpty, (request.session?.account.role ?? .viewer) < .editor {
                parsed.genders = []
                genderNote = "gender was not used: inferred gender is visible to signed-in editors only"
            }
            let unavailable = semantic.api != nil && !mayPay
                ? "semantic ranking embeds the query with a paid API (EMBEDDINGS=openai): an admin can run it with \"Search with paid services\"" : nil
            let hybrid = try HybridSearch(database: db, index: index, embedder: embedder, unavailable: unavailable)
            result = try await RequestSearch(database: db, hybrid: hybrid).search(parsed, mode: mode, limit: limit)
            if let capNote { result.outcome.notes.append(capNote) }
            if let genderNote { result.outcome.notes.append(genderNote) }
            // Search analytics: the query, result count and latency; nothing about who asked.
            await searchLog.add(SearchLog.Entry(query: text, filters: "mode=\(mode.rawValue)", results: result.outcome.hits.count,
                                                latency: ContinuousClock.now - started, format: format == .json ? "search-json" : "search-html"))
        }
        if format == .json {
            return try await result.encodeResponse(for: request)
        }
        var page = SearchPage(result: result, explain: explain)
        let settings = request.application.speakerdbSettings
        let paidConfigured = semantic.api != nil || LLMConfiguration.client(settings: settings, http: request.application.http.client.shared) != nil
        if !text.isEmpty, !paid, paidConfigured, (request.session?.account.role ?? .viewer) >= .admin {
            page.paidAction = "/search?" + [("q", text), ("mode", mode.rawValue), ("explain", explain ? "1" : "")]
                .filter { !$0.1.isEmpty }.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        page.paid = paid
        return try await request.view.render("search", page).encodeResponse(for: request)
    }

    /// The offline parse, or — for a signed-in admin, when an LLM is configured — the LLM's
    /// (its cost recorded in api_calls like every other call).
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func parse(_ text: String, request: Request, mayPay: Bool) async -> SearchRequest {
        let settings = request.application.speakerdbSettings
        guard mayPay,
              let client = LLMConfiguration.client(settings: settings, http: request.application.http.client.shared) else {
            return RequestParser().parse(text)
        }
        let db = request.application.storageContext.database
        return await LLMRequestParser(client: client) { await APICallRecorder(db).record($0, purpose: "search", runID: nil) }.parse(text)
    }
}

extension SearchOutcome: Content {}
extension RequestOutcome: Content {}

/// The search page's view model.
struct SearchPage: Encodable {
    var title: String
    var nav = "search"
    var query: String
    var mode: String
    var modeUsed: String
    var notes: [String]
    var explain: Bool
    var hits: [Hit]
    var modes: [String]
    var keywordLink: String
    /// The words that link searches the speakers list for.
    var keywordWords: String
    var parsed: Parsed?
    /// Where an admin posts the same search to run it with the paid services, when any is configured.
    var paidAction: String?
    /// Whether this answer used them.
    var paid = false

    struct Hit: Encodable {
        var id: Int
        var name: String
        var role: String
        var why: String
        var meets: String
        var misses: String
        /// The closest there is, not a match.
        var weak: Bool
    }

    /// How the request was read, shown above the results when it had constraints.
    struct Parsed: Encodable {
        var topic: String
        var count: String
        var parser: String
        var constraints: [Line]

        struct Line: Encodable {
            var strength: String
            var kind: String
            var detail: String
            var applied: Bool
        }
    }

    init(result: RequestOutcome, explain: Bool) {
        let outcome = result.outcome
        query = outcome.query
        title = query.isEmpty ? "Search" : "Search: \(query.prefix(80))"
        mode = outcome.requested.rawValue
        modeUsed = outcome.mode.rawValue
        notes = outcome.notes
        self.explain = explain
        modes = SearchMode.allCases.map(\.rawValue)
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        let request = result.request
        // The list search needs every word: the request's topic words, not its whole sentence.
        let words = request.topic.isEmpty ? outcome.query : request.topic
        keywordLink = "/speakers?_search=" + (words.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        keywordWords = words
        if request.hasConstraints || request.count != nil {
            parsed = Parsed(topic: request.topic, count: request.count.map(String.init) ?? "", parser: request.parser,
                            constraints: result.constraints.filter { $0.kind != "count" }.map {
                                .init(strength: $0.strength.rawValue, kind: $0.kind, detail: $0.detail, applied: $0.applied)
                            })
        }
        let ranked = !request.topic.isEmpty
        hits = outcome.hits.map { hit in
            var why: [String] = []
            if ranked && outcome.mode != .semantic {
                why.append(hit.explanation.keywordRank.map { "words: #\($0)" + (hit.explanation.allWords ? " (every word)" : " (some words)") } ?? "none of the words")
            }
            if ranked && outcome.mode != .keyword {
                why.append(hit.explanation.semanticRank.map { "meaning: #\($0) (cosine \(String(format: "%.2f", hit.explanation.cosine ?? 0)))" } ?? "meaning: below the top \(HybridSearch.depth)")
            }
            why.append(String(format: "score %.4f", hit.score))
            return Hit(id: hit.speaker.id, name: hit.speaker.name,
                       role: [hit.speaker.title, hit.speaker.affiliation].compactMap { $0 }.joined(separator: ", "),
                       why: why.joined(separator: " · "),
                       meets: hit.explanation.met.joined(separator: ", "),
                       misses: (hit.explanation.missed + hit.explanation.unknown.map { "\($0) (unknown)" }).joined(separator: ", "),
                       weak: hit.weak)
        }
    }
}
