import AsyncHTTPClient
import FluentKit
import Foundation
import LLM
import SQLKit
import Search
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting

/// `EMBEDDINGS=openai` on the web: a query embedded by the paid API is an admin's to
/// spend, by a POST with the CSRF token; every GET ranks by words and says why.
@Suite("Search with the embeddings API")
struct EmbeddingsAPISearchTests {
    static let key = "sk-test-WEB-EMBEDDINGS-SECRET-7"

    @Test func onlyAnAdminsPostedSearchEmbedsTheQueryAndEveryCallIsRecorded() async throws {
        let standIn = StandInEmbeddings()
        try await FixtureServer.with(routes: { standIn.routes($0) }) { server in
            let base = server.base + "/v1"
            try await withSeededApp(environment: ["EMBEDDINGS": "openai", "OPENAI_API_KEY": Self.key, "LLM_BASE_URL": base]) { app, database in
                // The speakers' vectors, stored under the model id the app uses.
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                let embedder = APIEmbedder(client: OpenAIEmbeddingsClient(apiKey: Self.key, model: nil, baseURL: base, http: http)) { _, _ in }
                let embedded = try await EmbeddingRefresh.run(on: database.db, encoder: embedder)
                try await http.shutdown()
                #expect(embedded > 0)
                let before = standIn.requests.count
                let tester = try app.testing()
                try await tester.test(.GET, "/search.json?q=ocean%20economy") { response in
                    let body = try #require(response.json as? [String: Any])
                    #expect(body["mode"] as? String == "keyword")
                    #expect((body["notes"] as? [String])?.contains { $0.contains("paid API") } == true, "\(body)")
                    #expect(!response.text.contains(Self.key))
                }
                #expect(standIn.requests.count == before, "an anonymous search made no paid call")

                // An admin's GET (what a link from another site makes) spends nothing either;
                // the page offers the paid search as a form that posts with the CSRF token.
                let admin = try await AccessTests.session(app, role: .admin)
                try await tester.test(.GET, "/search.json?q=ocean%20economy", headers: ["Cookie": admin.cookie]) { response in
                    #expect((response.json as? [String: Any])?["mode"] as? String == "keyword")
                }
                try await tester.test(.GET, "/search?q=ocean%20economy", headers: ["Cookie": admin.cookie]) { response in
                    #expect(response.text.contains("method=\"post\"") && response.text.contains("Search with paid services"))
                }
                #expect(standIn.requests.count == before, "an admin's GET made no paid call")
                try await tester.test(.POST, "/search.json?q=ocean%20economy", headers: ["Cookie": admin.cookie]) { response in
                    #expect(response.status == .forbidden, "a paid search needs the CSRF token")
                }
                #expect(standIn.requests.count == before)
                try await tester.test(.POST, "/search.json?q=ocean%20economy", headers: ["Cookie": admin.cookie, "X-CSRF-Token": admin.csrf]) { response in
                    let body = try #require(response.json as? [String: Any])
                    #expect(body["mode"] as? String == "hybrid", "\(body)")
                    #expect(!response.text.contains(Self.key))
                }
                #expect(standIn.requests.count == before + 1)
                let rows = try await database.db.sqlDatabase().raw("""
                    SELECT provider, purpose, input_tokens, status FROM api_calls WHERE model LIKE 'text-embedding%'
                    """).all()
                #expect(rows.count == 1)
                #expect(try rows.first?.decode(column: "purpose", as: String.self) == "search")
                #expect(try rows.first?.decode(column: "provider", as: String.self) == "openai-compatible")
                #expect(try (rows.first?.decode(column: "input_tokens", as: Int.self) ?? 0) == 2)
            }
        }
    }
}
