import FluentKit
import Foundation
import SQLKit
import Search
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

@Suite("Corrections and plain-English requests on the web")
struct CorrectionAndRequestTests {
    func form(_ fields: [String: String]) -> (inout TestingHTTPRequest) throws -> Void {
        { request in try request.content.encode(fields, as: .urlEncodedForm) }
    }

    @Test func aViewerSuggestsAnEditorApprovesAndTheValueWins() async throws {
        try await withSeededApp { app, database in
            let tester = try app.testing()
            let viewer = try await AccessTests.session(app, role: .viewer, name: "vera")
            let editor = try await AccessTests.session(app, role: .editor, name: "ed")
            // Signed-in users see the form; anonymous public readers do not and cannot post.
            try await tester.test(.GET, "/speakers/1") { response in
                #expect(!response.text.contains("/speakers/1/corrections"))
            }
            try await tester.test(.POST, "/speakers/1/corrections", beforeRequest: form(["field": "title", "value": "x"])) { response in
                #expect([.unauthorized, .seeOther, .forbidden].contains(response.status))
            }
            try await tester.test(.GET, "/speakers/1", headers: ["Cookie": viewer.cookie]) { response in
                #expect(response.text.contains("action=\"/speakers/1/corrections\"") && response.text.contains("name=\"_csrf\" value=\"\(viewer.csrf)\""))
            }
            // A bad value is refused with a reason; a hostile one is stored as text.
            try await tester.test(.POST, "/speakers/1/corrections", headers: ["Cookie": viewer.cookie],
                                  beforeRequest: form(["field": "location", "value": "Atlantis", "_csrf": viewer.csrf])) { response in
                #expect(response.status == .badRequest && response.text.contains("not a city or country"))
            }
            try await tester.test(.POST, "/speakers/1/corrections", headers: ["Cookie": viewer.cookie],
                                  beforeRequest: form(["field": "nickname", "value": "x", "_csrf": viewer.csrf])) { response in
                #expect(response.status == .badRequest)
            }
            try await tester.test(.POST, "/speakers/1/corrections", headers: ["Cookie": viewer.cookie],
                                  beforeRequest: form(["field": "title", "value": "Chief Economist <img src=x onerror=alert(1)>",
                                                       "note": "per the 2025 page", "_csrf": viewer.csrf])) { response in
                #expect(response.status == .seeOther && response.headers.first(name: .location) == "/speakers/1?notice=suggested")
            }
            try await tester.test(.GET, "/speakers/1?notice=suggested", headers: ["Cookie": viewer.cookie]) { response in
                #expect(response.text.contains("waits for an editor") && response.text.contains("1 waiting for review"))
            }
            // The admin overview points at the waiting correction.
            let admin = try await AccessTests.session(app, role: .admin)
            try await tester.test(.GET, "/admin", headers: ["Cookie": admin.cookie]) { response in
                #expect(response.text.contains("Corrections waiting") && response.text.contains("<a href=\"/admin/corrections\">1</a>"))
            }
            // Nothing changed yet; the viewer cannot review.
            #expect(try await SpeakerQueries(database.db).profile(id: 1)?.title != "Chief Economist <img src=x onerror=alert(1)>")
            try await tester.test(.GET, "/admin/corrections", headers: ["Cookie": viewer.cookie]) { response in
                #expect(response.status == .forbidden)
            }
            let pending = try await CorrectionStore(database.db).list()
            let correction = try #require(pending.first)
            #expect(pending.count == 1 && correction.suggestedBy == "vera" && correction.note == "per the 2025 page")
            try await tester.test(.POST, "/admin/corrections/\(correction.id)/approve", headers: ["Cookie": viewer.cookie, "X-CSRF-Token": viewer.csrf]) { response in
                #expect(response.status == .forbidden)
            }
            // The editor's queue escapes the suggestion and approves it.
            try await tester.test(.GET, "/admin/corrections", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.status == .ok && response.text.contains("&lt;img src=x") && !response.text.contains("<img src=x"))
                #expect(response.text.contains("/admin/corrections/\(correction.id)/approve"))
            }
            try await tester.test(.POST, "/admin/corrections/\(correction.id)/approve", headers: ["Cookie": editor.cookie, "X-CSRF-Token": editor.csrf]) { response in
                #expect(response.status == .seeOther)
            }
            try await tester.test(.POST, "/admin/corrections/\(correction.id)/reject", headers: ["Cookie": editor.cookie, "X-CSRF-Token": editor.csrf]) { response in
                #expect(response.status == .conflict, "already approved")
            }
            try await tester.test(.GET, "/speakers/1") { response in
                #expect(response.text.contains("Chief Economist &lt;img src=x onerror=alert(1)&gt;"))
                #expect(!response.text.contains("<img src=x onerror"))
            }
            try await tester.test(.GET, "/speakers/1.json") { response in
                let speaker = try #require((response.json as? [String: Any])?["speaker"] as? [String: Any])
                #expect(speaker["title"] as? String == "Chief Economist <img src=x onerror=alert(1)>")
                #expect((response.json as? [String: Any])?["attributes"] as? [Any] != nil)
            }
            let provenance = try await database.db.sqlDatabase().raw("SELECT origin FROM field_provenance WHERE speaker_id = 1 AND field = 'title' AND origin = 'user'").all()
            #expect(provenance.count == 1)
        }
    }

    @Test func requestsAreParsedAppliedAndExplained() async throws {
        try await withSeededApp { app, database in
            _ = try await EnrichmentRefresh.run(on: database.db, maxAge: 86_400)
            let tester = try app.testing()
            try await tester.test(.GET, "/search.json?q=2%20keynote%20speakers%20on%20finance%2C%20ideally%20women&mode=keyword") { response in
                #expect(response.status == .ok)
                let body = try #require(response.json as? [String: Any])
                let request = try #require(body["request"] as? [String: Any])
                #expect(request["count"] as? Int == 2 && request["topic"] as? String == "finance" && request["parser"] as? String == "offline")
                let constraints = try #require(body["constraints"] as? [[String: Any]])
                #expect(constraints.contains { $0["kind"] as? String == "role" && $0["applied"] as? Bool == true })
                // Inferred gender is for editors: an anonymous search says it was not used.
                #expect(!constraints.contains { $0["kind"] as? String == "gender" })
                #expect((body["notes"] as? [String])?.contains { $0.contains("gender was not used") } == true)
                let hits = try #require(body["hits"] as? [[String: Any]])
                #expect(hits.count <= 2 && !hits.isEmpty)
                for hit in hits {
                    #expect(((hit["explanation"] as? [String: Any])?["met"] as? [String])?.contains("keynote") == true, "\(hit)")
                }
            }
            // An editor's search reads the gender constraint (not applied: no speaker has one).
            let editor = try await AccessTests.session(app, role: .editor)
            try await tester.test(.GET, "/search.json?q=2%20keynote%20speakers%20on%20finance%2C%20ideally%20women&mode=keyword",
                                  headers: ["Cookie": editor.cookie]) { response in
                let constraints = (response.json as? [String: Any])?["constraints"] as? [[String: Any]] ?? []
                #expect(constraints.contains { $0["kind"] as? String == "gender" && $0["applied"] as? Bool == false })
            }
            try await tester.test(.GET, "/search?q=moderators%20on%20finance%20in%202024&explain=1") { response in
                #expect(response.status == .ok && response.text.contains("Read as:") && response.text.contains("appeared as moderator"))
            }
            // Search analytics: the query, result count and latency, never who asked.
            await app.searchLogBuffer?.flush()
            let rows = try await database.db.sqlDatabase().raw("SELECT query, format, results FROM search_log WHERE format LIKE 'search-%'").all()
            #expect(rows.count == 3, "each /search request is logged")
            let columns = try await database.db.sqlDatabase().raw("SELECT * FROM search_log LIMIT 1").first()?.allColumns ?? []
            #expect(!columns.contains { $0.contains("ip") || $0.contains("address") || $0.contains("user") })
        }
    }
}
