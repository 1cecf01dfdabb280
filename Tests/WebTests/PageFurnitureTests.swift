import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

/// What every page carries besides its content, as a reader sees it: titles that name the
/// page, error pages that say what happened, an icon, list summaries that never count past
/// the end, and expertise tags that each lead to the speakers who share them.
@Suite("Page furniture")
struct PageFurnitureTests {
    static func title(_ html: String) -> String? {
        guard let start = html.range(of: "<title>"), let end = html.range(of: "</title>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func everyPageHasItsOwnTitle() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            let expected = [("/", "speakerdb"), ("/search", "Search · speakerdb"), ("/search?q=ocean", "Search: ocean · speakerdb"),
                            ("/speakers", "Speakers · speakerdb"), ("/events", "Events · speakerdb"), ("/no/such/page", "Not found · speakerdb")]
            for (path, title) in expected {
                try await tester.test(.GET, path) { response in
                    #expect(Self.title(response.text) == title, "\(path)")
                    #expect(response.text.contains("<link rel=\"icon\" href=\"/favicon.svg\""), "\(path)")
                }
            }
            try await tester.test(.GET, "/favicon.svg") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType.hasPrefix("svg") == true)
            }
        }
    }

    @Test func errorPagesSayWhatHappened() async throws {
        // Without PUBLIC_READ, an anonymous reader is asked to sign in; a viewer may not administer.
        try await withSeededApp(environment: ["PUBLIC_READ": "false"]) { app, _ in
            let tester = try app.testing()
            let viewer = try await AccessTests.session(app, role: .viewer)
            try await tester.test(.GET, "/no/such/page", headers: ["Cookie": viewer.cookie]) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("<h1>Not found</h1>"))
                #expect(!response.text.contains("Not Found"), "the reason is not the status repeated")
                #expect(response.text.contains("There is no page at this address"))
            }
            try await tester.test(.GET, "/admin", headers: ["Cookie": viewer.cookie, "Accept": "text/html"]) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("<h1>Not allowed</h1>") && !response.text.contains("Bad request"))
            }
            #expect(ErrorPageMiddleware.heading(.unauthorized) == "Sign-in required")
            #expect(ErrorPageMiddleware.explanation(.unauthorized, message: "Unauthorized") == "Sign in to see this page.")
            #expect(ErrorPageMiddleware.explanation(.badRequest, message: "year must be a number") == "year must be a number")
        }
    }

    @Test func aPagePastTheEndSaysSoAndLinksTheLastPage() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/speakers?_page=99999") { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Page 99999 is past the last page (1)"))
                #expect(response.text.contains("Go to the last page") && response.text.contains("_page=1"))
                let summary = response.text.components(separatedBy: "<p class=\"summary\">").dropFirst().first?.components(separatedBy: "</p>").first ?? ""
                #expect(!summary.isEmpty && !summary.contains("–"), "no range that starts past the total: \(summary)")
            }
            try await tester.test(.GET, "/speakers?_size=2") { response in
                #expect(response.text.contains("1–2 of "))
            }
            try await tester.test(.GET, "/events?_page=500") { response in
                #expect(response.text.contains("Page 500 is past the last page"))
            }
        }
    }

    @Test func jsonPagesLinkToJSONPages() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/speakers.json?_size=1&_page=2") { response in
                let links = try #require((response.json as? [String: Any])?["links"] as? [String: Any])
                let next = try #require(links["next"] as? String, "four speakers, one a page")
                let previous = try #require(links["previous"] as? String)
                #expect(next.hasPrefix("/speakers.json?") && next.contains("_page=3") && next.contains("_size=1"), "\(next)")
                #expect(previous.hasPrefix("/speakers.json?"), "\(previous)")
            }
            for base in ["/speakers", "/events"] {
                try await tester.test(.GET, "\(base).json?_size=1") { response in
                    let links = try #require((response.json as? [String: Any])?["links"] as? [String: Any])
                    #expect((links["next"] as? String)?.hasPrefix("\(base).json?") == true, "\(base)")
                }
                // The same list asked for by Accept header links to the JSON twin too.
                try await tester.test(.GET, "\(base)?_size=1", headers: ["Accept": "application/json"]) { response in
                    let links = try #require((response.json as? [String: Any])?["links"] as? [String: Any])
                    #expect((links["next"] as? String)?.hasPrefix("\(base).json?") == true)
                }
                try await tester.test(.GET, "\(base)?_size=1") { response in
                    #expect(response.text.contains("rel=\"next\" href=\"\(base)?"), "the HTML page's links stay on HTML pages")
                }
            }
        }
    }

    @Test func expertiseTagsAreChipsThatListTheSpeakersWhoShareThem() async throws {
        try await withSeededApp { app, database in
            let store = try AttributeStore(database.db)
            try await store.insert(speakerID: 1, [SpeakerAttribute(kind: .tag, value: "trade-policy", label: "Trade & policy", origin: .bio, confidence: 0.8),
                                                  SpeakerAttribute(kind: .tag, value: "oceans", label: "Oceans", origin: .bio, confidence: 0.8)])
            try await store.insert(speakerID: 2, [SpeakerAttribute(kind: .tag, value: "oceans", label: "Oceans", origin: .bio, confidence: 0.7)])
            let tester = try app.testing()
            try await tester.test(.GET, "/speakers/1") { response in
                #expect(response.text.contains("<ul class=\"chips\">"))
                #expect(response.text.contains("<a class=\"chip\" href=\"/speakers?tag=trade-policy\""))
                #expect(response.text.contains(">Trade &amp; policy</a>"))
            }
            var names: [String] = []
            try await tester.test(.GET, "/speakers.json?tag=oceans") { response in
                names = ((response.json as? [String: Any])?["speakers"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            }
            let two = try await SpeakerQueries(database.db).list(SpeakerFilter(), page: PageRequest()).items.filter { [1, 2].contains($0.id) }.map(\.name)
            #expect(Set(names) == Set(two) && names.count == 2)
            try await tester.test(.GET, "/speakers?tag=oceans") { response in
                #expect(response.text.contains("Speakers with expertise in oceans"))
                #expect(response.text.contains("name=\"tag\" value=\"oceans\""), "a search keeps the tag")
            }
            try await tester.test(.GET, "/speakers.json?tag=no-such-tag") { response in
                #expect((response.json as? [String: Any])?["total"] as? Int == 0)
            }
        }
    }

    /// Shared links outlive records: a merged speaker's link (HTML or JSON) answers 301 to
    /// the speaker kept, through any number of merges; a removed one's answers 410.
    @Test func mergedAndRemovedSpeakersLinksStillAnswer() async throws {
        try await withSeededApp { app, database in
            let tester = try app.testing()
            _ = try await SpeakerMerger(database.db).merge(keep: 1, absorb: 2, decidedBy: "test", refreshFields: { _, _ in })
            try await tester.test(.GET, "/speakers/2") { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers.first(name: .location) == "/speakers/1")
            }
            try await tester.test(.GET, "/speakers/2.json") { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers.first(name: .location) == "/speakers/1.json")
            }
            // Merged again: the old link follows both merges.
            _ = try await SpeakerMerger(database.db).merge(keep: 3, absorb: 1, decidedBy: "test", refreshFields: { _, _ in })
            try await tester.test(.GET, "/speakers/2.csv") { response in
                #expect(response.headers.first(name: .location) == "/speakers/3.csv")
            }
            // Removed for good.
            let sql = try database.db.sqlDatabase()
            try await SpeakerLinks.recordRemoved([4], reason: "No event page names this speaker any more.", on: sql)
            try await sql.raw("DELETE FROM speakers WHERE id = 4").run()
            try await tester.test(.GET, "/speakers/4") { response in
                #expect(response.status == .gone)
                #expect(response.text.contains("<h1>Gone</h1>") && response.text.contains("No event page names this speaker any more."))
            }
            try await tester.test(.GET, "/speakers/4.json") { response in
                #expect(response.status == .gone)
                #expect(((response.json as? [String: Any])?["error"] as? [String: Any])?["status"] as? Int == 410)
            }
            try await tester.test(.GET, "/speakers/999") { response in
                #expect(response.status == .notFound, "an id no speaker ever had")
            }
        }
    }

    /// A profile shows the person's own links (website, LinkedIn, X, GitHub, ORCID) as
    /// found on event pages; anything but an http(s) link is left out.
    @Test func profilesShowThePersonsLinks() async throws {
        try await withSeededApp { app, database in
            let links = #"{"website": "https://amara.example.org/", "linkedin": "https://www.linkedin.com/in/amara-okafor", "orcid": "javascript:alert(1)", "other": "https://x.example"}"#
            try await database.db.sqlDatabase().raw("UPDATE speakers SET links = \(bind: links) WHERE id = 1").run()
            let tester = try app.testing()
            try await tester.test(.GET, "/speakers/1") { response in
                #expect(response.text.contains("<a class=\"chip\" href=\"https://amara.example.org/\" rel=\"nofollow noopener noreferrer\">Website</a>"))
                #expect(response.text.contains(">LinkedIn</a>"))
                #expect(!response.text.contains("javascript:") && !response.text.contains(">ORCID</a>"))
            }
            try await tester.test(.GET, "/speakers/1.json") { response in
                let speaker = try #require((response.json as? [String: Any])?["speaker"] as? [String: Any])
                #expect((speaker["links"] as? [String: String]) == ["website": "https://amara.example.org/", "linkedin": "https://www.linkedin.com/in/amara-okafor"])
            }
            try await tester.test(.GET, "/speakers/2.json") { response in
                let speaker = try #require((response.json as? [String: Any])?["speaker"] as? [String: Any])
                #expect((speaker["links"] as? [String: String]) == [:])
            }
        }
    }

    /// The review of an unsure pair shows both records side by side, with the evidence
    /// for and against, and the two decisions; editors only.
    @Test func aReviewPairShowsBothRecordsAndTheEvidence() async throws {
        try await withSeededApp { app, database in
            let pair = IdentityCandidate(speakerA: 1, speakerB: 2, probability: 0.71,
                                         reasons: #"["+2.1 same surname", "-1.3 different affiliations"]"#)
            try await pair.create(on: database.db)
            let id = try pair.requireID()
            let editor = try await AccessTests.session(app, role: .editor)
            let viewer = try await AccessTests.session(app, role: .viewer)
            let tester = try app.testing()
            try await tester.test(.GET, "/admin/review", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.text.contains("href=\"/admin/review/\(id)/compare\""))
            }
            try await tester.test(.GET, "/admin/review/\(id)/compare", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("Amara Okafor") && html.contains("Chief Economist") && html.contains("Northbridge Institute"))
                #expect(html.contains("José Núñez") && html.contains("Senior Fellow") && html.contains("Halvorsen Climate Lab"))
                #expect(html.contains("Trade Futures") && html.contains("Ocean Finance Summit"), "both records' events")
                #expect(html.contains("0.71"))
                let against = html.components(separatedBy: "Evidence against").last ?? ""
                #expect(against.contains("-1.3 different affiliations") && !against.contains("+2.1 same surname"))
                #expect(html.contains("action=\"/admin/review/\(id)/accept\"") && html.contains("value=\"\(editor.csrf)\""))
            }
            try await tester.test(.GET, "/admin/review/\(id)/compare", headers: ["Cookie": viewer.cookie]) { response in
                #expect(response.status == .forbidden)
            }
            try await tester.test(.GET, "/admin/review/99999/compare", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// A search admits what it does not know: results without the topic's words (and, with
    /// embeddings, far in meaning) are marked as the closest, weak matches, and the note
    /// says no speaker clearly matches. The link to the list search carries the topic words.
    @Test func weakMatchesAreMarkedAndSaidSo() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/search.json?q=quantum%20finance&mode=keyword") { response in
                let object = try #require(response.json as? [String: Any])
                let hits = try #require(object["hits"] as? [[String: Any]])
                #expect(!hits.isEmpty && hits.allSatisfy { $0["weak"] as? Bool == true }, "\(hits)")
                #expect((object["notes"] as? [String])?.contains { $0.hasPrefix("No speaker clearly matches") } == true)
            }
            try await tester.test(.GET, "/search?q=quantum%20finance&mode=keyword") { response in
                #expect(response.text.contains("closest, weak match"))
            }
            try await tester.test(.GET, "/search.json?q=trade%20finance&mode=keyword") { response in
                let hits = try #require((response.json as? [String: Any])?["hits"] as? [[String: Any]])
                let first = try #require(hits.first)
                #expect(first["weak"] as? Bool == false && (first["explanation"] as? [String: Any])?["all_words"] as? Bool == true)
            }
            try await tester.test(.GET, "/search?q=two%20speakers%20on%20ocean%20finance%20based%20in%20Europe&mode=keyword") { response in
                #expect(response.text.contains("/speakers?_search=ocean%20finance\""), "the list link searches the topic words")
            }
        }
    }
}
