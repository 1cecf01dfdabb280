import Crawling
import FluentKit
import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor

/// Photos are fetched once by the pipeline, checked, stored and served by the app.
@Suite("Speaker photos")
struct PhotoTests {
    /// A 1×1 PNG.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
                           0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
                           0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
                           0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
                           0x42, 0x60, 0x82])

    static func routes(_ app: Application) {
        func image(_ data: Data, _ type: String) -> Response {
            Response(status: .ok, headers: ["Content-Type": type], body: .init(data: data))
        }
        app.get("p.png") { _ in image(Self.png, "image/png") }
        app.get("fake.png") { _ in image(Data("<html><script>alert(1)</script></html>".utf8), "image/png") }
        app.get("logo.svg") { _ in image(Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8), "image/svg+xml") }
        app.get("big.jpg") { _ in image(Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(count: 3 << 20), "image/jpeg") }
        app.get("moved") { $0.redirect(to: "/p.png") }
        app.get("away") { request in
            request.redirect(to: "http://localhost:\(request.headers.first(name: .host)?.split(separator: ":").last ?? "80")/p.png")
        }
        app.get("gone.png") { _ in Response(status: .notFound) }
        app.get("loop-a") { $0.redirect(to: "/loop-b") }
        app.get("loop-b") { $0.redirect(to: "/loop-a") }
    }

    static func fetcher() -> PhotoFetcher {
        var configuration = PhotoFetcher.Configuration()
        configuration.addresses = AddressPolicy(allowPrivate: false, allowedHosts: ["127.0.0.1"])
        return PhotoFetcher(configuration: configuration)
    }

    @Test func onlyRealImagesWithinTheCapAndThePolicyAreKept() async throws {
        #expect(PhotoFetcher.sniff(Self.png) == "image/png")
        #expect(PhotoFetcher.sniff(Data([0xFF, 0xD8, 0xFF, 0xDB])) == "image/jpeg")
        #expect(PhotoFetcher.sniff(Data("GIF89a......".utf8)) == "image/gif")
        #expect(PhotoFetcher.sniff(Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == "image/webp")
        #expect(PhotoFetcher.sniff(Data("<svg></svg>".utf8)) == nil)
        try await FixtureServer.with(routes: Self.routes) { server in
            let fetcher = Self.fetcher()
            let photo = try await fetcher.fetch(server.url("/p.png"))
            #expect(photo.contentType == "image/png" && photo.bytes == Self.png)
            #expect(try await fetcher.fetch(server.url("/moved")).bytes == Self.png, "redirects are followed")
            for (path, reason) in [("/fake.png", "not a JPEG"), ("/logo.svg", "not a JPEG"), ("/big.jpg", "larger than"), ("/gone.png", "HTTP 404"), ("/loop-a", "redirect loop")] {
                await #expect {
                    _ = try await fetcher.fetch(server.url(path))
                } throws: { error in
                    "\(error)".contains(reason)
                }
            }
            await #expect {
                _ = try await fetcher.fetch(server.url("/away"))
            } throws: { error in
                if case FetchError.forbiddenAddress = error { return true }
                return false
            }
            await fetcher.shutdown()
        }
    }

    @Test func eachLinkIsFetchedOnceAndAgainWhenItChanges() async throws {
        try await FixtureServer.with(routes: Self.routes) { server in
            try await TestDatabase.with { database in
                try await Fixtures.importSpeakers(into: database)
                let sql = try database.db.sqlDatabase()
                let ids = try await sql.raw("SELECT id FROM speakers ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
                for (id, link) in zip(ids, [server.base + "/p.png", server.base + "/logo.svg", "javascript:alert(1)"]) {
                    try await sql.raw("UPDATE speakers SET photo_url = \(bind: link) WHERE id = \(bind: id)").run()
                }
                let fetcher = Self.fetcher()
                let first = try await fetcher.refresh(on: database.db)
                #expect(first.stored == 1 && first.failed == 1, "a non-http link is not even tried: \(first)")
                let store = try PhotoStore(database.db)
                #expect(try await store.photo(speakerID: ids[0])?.bytes == Self.png)
                #expect(try await store.photo(speakerID: ids[1]) == nil)
                let again = try await fetcher.refresh(on: database.db)
                #expect(again.stored == 0 && again.failed == 0, "nothing is fetched twice, failures included")
                #expect(server.requests("/p.png") == 1)
                try await sql.raw("UPDATE speakers SET photo_url = \(bind: server.base + "/moved") WHERE id = \(bind: ids[1])").run()
                let changed = try await fetcher.refresh(on: database.db)
                #expect(changed.stored == 1, "a changed link is fetched again")
                #expect(try await store.photo(speakerID: ids[1])?.contentType == "image/png")
                await fetcher.shutdown()
            }
        }
    }
}
