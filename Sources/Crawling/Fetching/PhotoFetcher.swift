import AsyncHTTPClient
import FluentKit
import Foundation
import NIOCore
import NIOHTTP1
import SpeakerCore
import Storage

/// Fetches a speaker's photo once, for the app to serve itself. A photo link is untrusted:
/// the address policy applies to it and to every redirect (`RedirectWalk`, as for pages), the body is capped, and only
/// JPEG, PNG, GIF and WebP are kept, recognised by their first bytes (whatever the server
/// calls them; SVG, which can carry script, and anything else are refused).
public final class PhotoFetcher: Sendable {
    public struct Configuration: Sendable {
        public var maxBytes = 2 << 20
        public var timeout: TimeAmount = .seconds(20)
        public var maxRedirects = 5
        public var addresses = AddressPolicy.publicOnly
        public var userAgent = HTTPFetcher.defaultUserAgent

        public init() {}
    }

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public let configuration: Configuration
    let client: HTTPClient

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: configuration.timeout)))
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The image's content type from its first bytes, or nil for anything else.
    public static func sniff(_ data: Data) -> String? {
        let b = [UInt8](data.prefix(12))
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { return "image/jpeg" }
        if b.count >= 8, b[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if b.count >= 6, b[0..<6].elementsEqual(Array("GIF87a".utf8)) || b[0..<6].elementsEqual(Array("GIF89a".utf8)) { return "image/gif" }
        if b.count >= 12, b[0..<4].elementsEqual(Array("RIFF".utf8)), b[8..<12].elementsEqual(Array("WEBP".utf8)) { return "image/webp" }
        return nil
    }

    public func fetch(_ url: URL) async throws -> PhotoStore.Photo {
        let deadline = NIODeadline.now() + configuration.timeout
        let walk = RedirectWalk(maxRedirects: configuration.maxRedirects, addresses: configuration.addresses)
        let response: HTTPClientResponse
        do {
            response = try await walk.run(from: url) { current, _ in
                var request = HTTPClientRequest(url: current.absoluteString)
                request.headers.add(name: "User-Agent", value: configuration.userAgent)
                request.headers.add(name: "Accept", value: "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1")
                return try await client.execute(request, deadline: deadline)
            }.response
        } catch let failure as RedirectWalk.Failure {
            switch failure {
            case .notHTTP: throw Refusal("not an http(s) link")
            case .noLocation: throw Refusal("a redirect without a usable Location")
            case .loop: throw Refusal("a redirect loop")
            case .tooMany(let limit): throw Refusal("more than \(limit) redirects")
            }
        }
        guard (200..<300).contains(response.status.code) else { throw Refusal("HTTP \(response.status.code)") }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > configuration.maxBytes {
            throw Refusal("larger than \(configuration.maxBytes >> 20) MiB")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: configuration.maxBytes)
        } catch is NIOTooManyBytesError {
            throw Refusal("larger than \(configuration.maxBytes >> 20) MiB")
        }
        let data = Data(body.readableBytesView)
        guard let type = Self.sniff(data) else {
            throw Refusal("not a JPEG, PNG, GIF or WebP image (\(response.headers.first(name: "Content-Type")?.prefix(60) ?? "no type"))")
        }
        return PhotoStore.Photo(contentType: type, bytes: data)
    }

    /// Fetches the photos not fetched yet (at most `limit`), storing each photo or why it
    /// failed; returns how many were stored and how many failed.
    public func refresh(on db: any Database, limit: Int = 500) async throws -> (stored: Int, failed: Int) {
        let store = try PhotoStore(db)
        var stored = 0, failed = 0
        for (speakerID, link) in try await store.pending(limit: limit) {
            try Task.checkCancellation()
            guard let url = URL(string: link) else {
                try await store.record(speakerID: speakerID, url: link, photo: nil, error: "not a valid link")
                failed += 1
                continue
            }
            do {
                let photo = try await fetch(url)
                try await store.record(speakerID: speakerID, url: link, photo: photo, error: nil)
                stored += 1
            } catch {
                try await store.record(speakerID: speakerID, url: link, photo: nil, error: "\(error)")
                failed += 1
            }
        }
        return (stored, failed)
    }
}
