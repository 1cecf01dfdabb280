import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

@Suite("Pages, JSON twins and CSV")
struct RouteTests {
    /// Every page, its JSON twin by suffix and by Accept header, with something it must show.
    static let pages: [(html: String, json: String, mustShow: String)] = [
        ("/", "/index.json", "Ocean Finance Summit"),
        ("/speakers", "/speakers.json", "Amara Okafor"),
        ("/speakers?_search=nunez", "/speakers.json?_search=nunez", "José Núñez"),
        ("/speakers?role=keynote&year=2023", "/speakers.json?role=keynote&year=2023", "Amara Okafor"),
        ("/speakers/1", "/speakers/1.json", "Trade Futures"),
        ("/events", "/events.json", "Trade Futures"),
        ("/events?_search=ocean&_sort=oldest", "/events.json?_search=ocean&_sort=oldest", "Ocean Finance Summit"),
        ("/events/2", "/events/2.json", "山田 花子"),
        ("/stats", "/stats.json", "Northbridge Institute"),
    ]

    @Test func everyPageRendersAndHasAJSONTwin() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            for page in Self.pages {
                try await tester.test(.GET, page.html) { response in
                    #expect(response.status == .ok, "\(page.html)")
                    #expect(response.headers.contentType?.subType == "html", "\(page.html)")
                    #expect(response.text.contains(page.mustShow), "\(page.html) does not show \(page.mustShow)")
                    #expect(response.text.contains("<link rel=\"stylesheet\" href=\"/css/app.css\">"))
                }
                try await tester.test(.GET, page.json) { response in
                    #expect(response.status == .ok, "\(page.json)")
                    #expect(response.headers.contentType == .json, "\(page.json)")
                    #expect(response.json != nil, "\(page.json) is not JSON")
                    #expect(response.text.contains(page.mustShow), "\(page.json) does not carry \(page.mustShow)")
                }
                try await tester.test(.GET, page.html, headers: ["Accept": "application/json"]) { response in
                    #expect(response.headers.contentType == .json, "Accept on \(page.html)")
                }
            }
        }
    }

    /// The speakers list says where its time went: each phase in `Server-Timing`, with
    /// the match phase only when searching, and nothing else in the header.
    @Test func speakersListSendsServerTiming() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/speakers?_search=okafor") { response in
                let timing = try #require(response.headers.first(name: "Server-Timing"))
                let names = timing.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).split(separator: ";").first.map(String.init) ?? "" }
                #expect(names == ["match", "list", "facets", "render"], "\(timing)")
                #expect(timing.split(separator: ",").allSatisfy { $0.contains(";dur=") })
            }
            try await tester.test(.GET, "/speakers.json") { response in
                let timing = try #require(response.headers.first(name: "Server-Timing"))
                #expect(timing.hasPrefix("list;dur=") && timing.contains("encode;dur=") && !timing.contains("match"), "\(timing)")
            }
        }
    }

    /// Searches are logged with their result count and latency, and nothing about who
    /// searched; `SearchLog.summary` finds the queries that found nobody.
    @Test func searchesAreLoggedWithoutWhoAsked() async throws {
        try await withSeededApp { app, database in
            let tester = try app.testing()
            for path in ["/speakers?_search=okafor", "/speakers.json?_search=Okafor", "/speakers?_search=zzyzx&role=keynote", "/speakers", "/speakers.csv?_search=okafor"] {
                try await tester.test(.GET, path, headers: ["X-Forwarded-For": "203.0.113.9", "User-Agent": "probe/1.0"]) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
            // Written in batches in the background; write what is pending now.
            let buffer = try #require(app.searchLogBuffer)
            await buffer.flush()
            let rows = try await database.context.sql.raw("SELECT * FROM search_log ORDER BY id").all()
            #expect(rows.count == 3, "two searches for okafor and one for zzyzx; plain lists and CSV downloads are not searches")
            let columns = Set(try rows.first.map { try $0.allColumns } ?? [])
            #expect(columns == ["id", "query", "filters", "results", "latency_ms", "format", "created_at"])
            let stored = try rows.map { row in try ["query", "filters", "format"].compactMap { try row.decode(column: $0, as: String?.self) } }
                .joined().joined(separator: " ")
            #expect(!stored.contains("203.0.113.9") && !stored.contains("probe"))
            let summary = try await SearchLog(database.db).summary(since: Date().addingTimeInterval(-60))
            #expect(summary.searches == 3)
            #expect(summary.zeroResults == 1)
            #expect(summary.topQueries.first == FacetValue(value: "okafor", count: 2))
            #expect(summary.topZeroResultQueries == [FacetValue(value: "zzyzx", count: 1)])
            #expect(try rows.last?.decode(column: "filters", as: String?.self) == "role=keynote")
        }
    }

    @Test func listsDownloadAsCSV() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            for (path, header, rows) in [("/speakers.csv", "id,name,title,affiliation,location,appearance_count", 4),
                                         ("/speakers.csv?role=moderator", "id,name", 1),
                                         ("/events.csv", "id,url,title,date,location,speaker_count", 2),
                                         ("/speakers/1.csv", "event_id,url,title,date,location,role", 2),
                                         ("/events/1.csv", "speaker_id,name,title,affiliation,role", 2)] {
                try await tester.test(.GET, path) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers.contentType?.subType == "csv", "\(path)")
                    let lines = response.text.split(separator: "\r\n")
                    #expect(lines.first?.hasPrefix(header) == true, "\(path)")
                    #expect(lines.count == rows + 1, "\(path) has \(lines.count - 1) rows")
                }
            }
        }
    }

    @Test func pagesPaginateAndKeepTheirFilters() async throws {
        try await withSeededApp { app, _ in
            try await app.testing().test(.GET, "/speakers.json?_size=2&_page=1&_search=a") { response in
                let object = try #require(response.json as? [String: Any])
                let links = try #require(object["links"] as? [String: Any])
                #expect(object["page_count"] as? Int ?? 0 >= 1)
                if let next = links["next"] as? String {
                    #expect(next.contains("_search=a") && next.contains("_page=2"))
                }
            }
        }
    }

    @Test func unknownRoutesAre404InTheRequestedFormat() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/no/such/page") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.subType == "html")
                #expect(response.text.contains("Not found"))
            }
            try await tester.test(.GET, "/speakers/999.json") { response in
                #expect(response.status == .notFound)
                let error = (response.json as? [String: Any])?["error"] as? [String: Any]
                #expect(error?["status"] as? Int == 404)
            }
            try await tester.test(.GET, "/speakers/abc") { response in
                #expect(response.status == .notFound)
            }
            try await tester.test(.GET, "/events/0.json") { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: ["/speakers?year=abc", "/speakers.json?role=boss", "/speakers?_size=5000", "/speakers?_page=0",
                      "/events.json?from=yesterday", "/events?_sort=random", "/speakers?_sort=random"])
    func invalidParametersAre400WithAMessage(path: String) async throws {
        try await withSeededApp { app, _ in
            try await app.testing().test(.GET, path) { response in
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.text.contains("Parameter"), "\(path): \(response.text.prefix(200))")
            }
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/healthz") { response in
                #expect(response.status == .ok)
                #expect((response.json as? [String: Any])?["status"] as? String == "ok")
            }
            try await tester.test(.GET, "/readyz") { response in
                #expect(response.status == .ok)
                let object = response.json as? [String: Any]
                #expect(object?["status"] as? String == "ready")
                #expect(object?["migrations"] == nil && object?["database"] == nil, "anonymous callers learn only the status")
            }
            let admin = try await AccessTests.session(app, role: .admin)
            try await tester.test(.GET, "/readyz", headers: ["Cookie": admin.cookie]) { response in
                let object = response.json as? [String: Any]
                #expect(object?["migrations"] as? Int == AllMigrations.list.count)
                #expect(object?["database"] as? String != nil)
            }
        }
    }

    @Test func securityHeadersAreOnEveryResponse() async throws {
        try await withSeededApp { app, _ in
            for path in ["/", "/speakers.json", "/nope", "/css/app.css"] {
                try await app.testing().test(.GET, path) { response in
                    let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                    #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(response.headers.first(name: "Referrer-Policy") != nil)
                    #expect(response.headers[.vary].contains { $0.contains("Accept") }, "\(path) varies by Accept")
                    #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "no HSTS over plain http")
                }
            }
        }
        try await withSeededApp(environment: ["TRUSTED_PROXIES": "*"]) { app, _ in
            try await app.testing().test(.GET, "/", headers: ["X-Forwarded-Proto": "https"]) { response in
                #expect(response.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true, "HSTS behind a TLS proxy")
            }
        }
    }

    /// `/search` and `/search.json`: ranked results with their explanation, a fallback to
    /// words alone (said so) while no speaker has an embedding, and 400 on bad parameters.
    @Test func searchPageAndAPI() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/search.json?q=trade%20finance&mode=keyword") { response in
                #expect(response.status == .ok)
                let body = try #require(response.json as? [String: Any])
                let hits = try #require(body["hits"] as? [[String: Any]])
                #expect((hits.first?["speaker"] as? [String: Any])?["name"] as? String == "Amara Okafor")
                #expect((hits.first?["explanation"] as? [String: Any])?["keyword_rank"] as? Int == 1)
                #expect(body["mode"] as? String == "keyword")
            }
            try await tester.test(.GET, "/search.json?q=trade%20finance") { response in
                let body = try #require(response.json as? [String: Any])
                #expect(body["requested"] as? String == "hybrid" && body["mode"] as? String == "keyword")
                #expect((body["notes"] as? [String])?.first?.contains("keyword ranking only") == true, "\(body)")
            }
            try await tester.test(.GET, "/search?q=trade&explain=1") { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("href=\"/speakers/1\"") && response.text.contains("words: #1"))
            }
            try await tester.test(.GET, "/search.json") { response in
                #expect(response.status == .ok)
                #expect((response.json as? [String: Any])?["hits"] as? [Any] != nil)
            }
            for bad in ["/search.json?q=x&mode=fuzzy", "/search.json?q=x&limit=0", "/search.json?q=x&limit=51"] {
                try await tester.test(.GET, bad) { response in #expect(response.status == .badRequest, "\(bad)") }
            }
            try await tester.test(.GET, "/") { response in
                #expect(response.text.contains("action=\"/search\""), "the home page searches by words and meaning")
            }
        }
    }

    @Test func scrapedTextIsEscapedEverywhere() async throws {
        try await withSeededApp { app, database in
            let hostile = ExportDocument(speakers: [
                ExportSpeaker(id: 77, name: "Eve Hacker", title: "\"><img src=x onerror=alert(1)>",
                              affiliation: "<script>alert('aff')</script>", bio: "<script>alert('bio')</script>", events: [
                                  ExportAppearance(url: "https://evil.example.org/e", title: "<b onmouseover=alert(1)>Talk</b>", date: "2024-01-01", role: "speaker"),
                              ]),
            ])
            _ = try await SpeakerImporter().run(try SpeakerImporter.validate(hostile), on: database.db)
            // A page whose own URL and text carry javascript: links (stored as a crawl could).
            try await database.db.writeTransaction { tx in
                try await tx.sqlDatabase().raw("""
                    UPDATE events SET url = 'javascript:alert(document.cookie)',
                        title = '<a href="javascript:alert(4)">Click</a>', venue = '" onfocus="alert(5)" autofocus="'
                    WHERE id = 2
                    """).run()
                try await tx.sqlDatabase().raw("UPDATE speakers SET bio = '<a href=\"javascript:alert(6)\">me</a>' WHERE id = 1").run()
            }
            let tester = try app.testing()
            for path in ["/speakers", "/speakers/77", "/speakers/1", "/events", "/events/2", "/stats", "/speakers?_search=eve", "/",
                         "/search?q=eve&explain=1", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E%22%20onfocus%3D%22x"] {
                try await tester.test(.GET, path) { response in
                    let html = response.text
                    #expect(!html.contains("<script>alert"), "\(path) renders a script tag")
                    #expect(!html.contains("<img src=x"), "\(path) renders an injected img")
                    #expect(!html.contains("<b onmouseover"), "\(path) renders injected markup")
                    #expect(!html.lowercased().contains("href=\"javascript:"), "\(path) renders a javascript: link")
                    #expect(!html.contains("\" onfocus="), "\(path) lets an attribute break out")
                }
            }
        }
    }
}
