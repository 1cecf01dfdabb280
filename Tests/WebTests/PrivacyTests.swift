import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

/// Inferred sensitive attributes (gender) are for signed-in editors only, and each
/// inference can be removed for good.
@Suite("Privacy of inferred attributes")
struct PrivacyTests {
    @Test func inferredGenderIsForEditorsOnlyAndRemovable() async throws {
        try await withSeededApp { app, database in
            let store = try AttributeStore(database.db)
            let inferred = SpeakerAttribute(kind: .gender, value: "woman", label: "woman", origin: .llm, confidence: 0.9, evidence: "she leads the team")
            try await store.insert(speakerID: 1, [inferred, SpeakerAttribute(kind: .tag, value: "trade", label: "Trade", origin: .bio, confidence: 0.8)])
            let tester = try app.testing()
            let viewer = try await AccessTests.session(app, role: .viewer)
            let editor = try await AccessTests.session(app, role: .editor)
            func kinds(_ headers: HTTPHeaders) async throws -> [String] {
                var kinds: [String] = []
                try await tester.test(.GET, "/speakers/1.json", headers: headers) { response in
                    kinds = ((response.json as? [String: Any])?["attributes"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
                }
                return kinds
            }
            #expect(try await kinds([:]) == ["tag"], "anonymous readers (PUBLIC_READ) do not get the inferred gender")
            #expect(try await kinds(["Cookie": viewer.cookie]) == ["tag"])
            #expect(try await kinds(["Cookie": editor.cookie]).contains("gender"))
            try await tester.test(.GET, "/speakers/1", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.text.contains("/speakers/1/attributes/gender/remove") && response.text.contains("Visible to editors only"))
            }
            try await tester.test(.GET, "/speakers/1", headers: ["Cookie": viewer.cookie]) { response in
                #expect(!response.text.contains("attributes/gender"))
            }
            // A search asking for women filters by gender only for editors.
            try await tester.test(.GET, "/search.json?q=women%20speakers%20on%20trade&mode=keyword") { response in
                #expect((response.json as? [String: Any]).flatMap { $0["notes"] as? [String] }?.contains { $0.contains("gender was not used") } == true)
            }

            // A viewer cannot remove it; an editor can (with the token), and it stays removed.
            try await tester.test(.POST, "/speakers/1/attributes/gender/remove", headers: ["Cookie": viewer.cookie, "X-CSRF-Token": viewer.csrf]) { response in
                #expect(response.status == .forbidden)
            }
            try await tester.test(.POST, "/speakers/1/attributes/gender/remove", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.status == .forbidden, "the CSRF token is needed")
            }
            try await tester.test(.POST, "/speakers/1/attributes/tag/remove", headers: ["Cookie": editor.cookie, "X-CSRF-Token": editor.csrf]) { response in
                #expect(response.status == .badRequest, "only sensitive inferences are removed here")
            }
            try await tester.test(.POST, "/speakers/1/attributes/gender/remove", headers: ["Cookie": editor.cookie, "X-CSRF-Token": editor.csrf]) { response in
                #expect(response.status == .seeOther)
            }
            #expect(try await kinds(["Cookie": editor.cookie]) == ["tag"], "removed")
            // A later enrichment infers it again: the removal still wins.
            try await store.replace(speakerID: 1, origins: [.llm], with: [inferred])
            #expect(try await kinds(["Cookie": editor.cookie]) == ["tag"], "still removed after re-enrichment")
        }
    }
}

/// The app serves the photos the pipeline stored; pages never link a third-party image.
@Suite("Photos served by the app")
struct PhotoServingTests {
    @Test func storedPhotosAreServedAndTheCSPAllowsNoOtherImages() async throws {
        try await withSeededApp { app, database in
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])
            try await database.db.sqlDatabase().raw("UPDATE speakers SET photo_url = 'https://third-party.example.org/a.png'").run()
            try await PhotoStore(database.db).record(speakerID: 1, url: "https://third-party.example.org/a.png",
                                                     photo: PhotoStore.Photo(contentType: "image/png", bytes: png), error: nil)
            let tester = try app.testing()
            try await tester.test(.GET, "/speakers/1/photo") { response in
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .contentType) == "image/png")
                #expect(Data(response.body.readableBytesView) == png)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            try await tester.test(.GET, "/speakers/2/photo") { response in #expect(response.status == .notFound) }
            try await tester.test(.GET, "/speakers/1") { response in
                #expect(response.text.contains("src=\"/speakers/1/photo\""))
                #expect(!response.text.contains("third-party.example.org"), "the page never links the third-party image")
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("img-src 'self';") || csp.hasSuffix("img-src 'self'"), "\(csp)")
                #expect(!csp.contains("https:") && !csp.contains("data:"))
            }
            try await tester.test(.GET, "/speakers/2") { response in
                #expect(!response.text.contains("<img"), "no stored photo, no image")
            }
        }
    }
}
