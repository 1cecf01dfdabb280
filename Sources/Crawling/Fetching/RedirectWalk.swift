import AsyncHTTPClient
import Foundation

/// Redirects followed by hand, for every fetcher that talks to untrusted addresses (pages,
/// feeds, photos): each hop must be http(s) with a host, passes the address policy before
/// it is requested, and must not revisit an earlier URL; at most `maxRedirects` hops.
/// The caller sends each request (its own headers) and reads the final response.
struct RedirectWalk {
    let maxRedirects: Int
    let addresses: AddressPolicy

    enum Failure: Error, Equatable {
        case notHTTP(URL)
        case noLocation(status: Int)
        case loop([URL])
        case tooMany(Int)
    }

    struct Outcome {
        var response: HTTPClientResponse
        var url: URL
        /// Every URL requested, the first included.
        var chain: [URL]
    }

    /// Requests `start` and follows redirects; `send(url, hop)` makes one request (hop 0 is
    /// the first). Address refusals and `send`'s errors pass through unchanged.
    func run(from start: URL, send: (URL, Int) async throws -> HTTPClientResponse) async throws -> Outcome {
        var url = start
        var chain = [start]
        for hop in 0...maxRedirects {
            guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw Failure.notHTTP(url)
            }
            try await addresses.check(url)
            let response = try await send(url, hop)
            switch response.status.code {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location"), let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                    throw Failure.noLocation(status: Int(response.status.code))
                }
                if chain.contains(where: { $0.absoluteString == next.absoluteString }) { throw Failure.loop(chain + [next]) }
                chain.append(next)
                url = next
            default:
                return Outcome(response: response, url: url, chain: chain)
            }
        }
        throw Failure.tooMany(maxRedirects)
    }
}
