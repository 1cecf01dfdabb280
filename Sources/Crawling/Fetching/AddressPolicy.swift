import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which network addresses the crawler may reach. A crawled site is untrusted: its
/// redirects, feed links and scripts could otherwise send the crawler to the machine
/// itself, the private network or a cloud metadata service, and the answer would be
/// stored and shown. With `allowPrivate` off (the default, `ALLOW_PRIVATE_ADDRESSES`),
/// every host is resolved before each request (every redirect hop, every browser
/// navigation) and refused when any of its addresses is loopback, private, link-local,
/// carrier-grade NAT, multicast, reserved or unspecified.
///
/// Residual risk: the HTTP client resolves the name again when it connects, so a DNS
/// server that answers differently within seconds (DNS rebinding) is not stopped here.
public struct AddressPolicy: Sendable, Hashable {
    public var allowPrivate: Bool
    /// Host names (or literal addresses) allowed even when they are private: the explicit
    /// opt-in for one intranet site without opening every private address.
    public var allowedHosts: Set<String>

    public init(allowPrivate: Bool, allowedHosts: Set<String> = []) {
        self.allowPrivate = allowPrivate
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
    }

    /// Public addresses only: what a deployment crawls with.
    public static let publicOnly = AddressPolicy(allowPrivate: false)
    /// Any address: the demo, the evaluation and the tests, which crawl sites they serve on loopback.
    public static let any = AddressPolicy(allowPrivate: true)

    /// Throws `FetchError.forbiddenAddress` when `url`'s host is, or resolves to, an
    /// address this policy refuses; a host that does not resolve is a network error.
    public func check(_ url: URL) async throws {
        guard !allowPrivate else { return }
        guard var host = url.host, !host.isEmpty else { throw FetchError.invalidURL(url.absoluteString) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !allowedHosts.contains(host.lowercased()) else { return }
        let addresses = try await Self.resolve(host)
        if let refused = addresses.first(where: Self.isNonPublic) {
            throw FetchError.forbiddenAddress(host: host, address: refused)
        }
    }

    /// The numeric addresses a host name (or literal) resolves to.
    static func resolve(_ host: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                #if canImport(Glibc)
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                #else
                hints.ai_socktype = SOCK_STREAM
                #endif
                var result: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, nil, &hints, &result)
                guard status == 0, let first = result else {
                    continuation.resume(throwing: FetchError.network("cannot resolve \(host.prefix(100))"))
                    return
                }
                defer { freeaddrinfo(first) }
                var addresses: [String] = []
                var node: UnsafeMutablePointer<addrinfo>? = first
                while let current = node {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                        addresses.append(String(cString: buffer))
                    }
                    node = current.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    /// Whether a numeric IPv4 or IPv6 address is anything but a public unicast address.
    public static func isNonPublic(_ address: String) -> Bool {
        let text = address.split(separator: "%").first.map(String.init) ?? address
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return isNonPublic(v4: UInt32(bigEndian: v4.s_addr))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return true }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        return isNonPublic(v6: bytes)
    }

    static func isNonPublic(v4 a: UInt32) -> Bool {
        func within(_ base: UInt32, _ bits: UInt32) -> Bool { bits == 0 || (a >> (32 - bits)) == (base >> (32 - bits)) }
        return within(0x0000_0000, 8)          // 0/8 "this network"
            || within(0x0A00_0000, 8)          // 10/8 private
            || within(0x6440_0000, 10)         // 100.64/10 carrier-grade NAT
            || within(0x7F00_0000, 8)          // 127/8 loopback
            || within(0xA9FE_0000, 16)         // 169.254/16 link-local, cloud metadata
            || within(0xAC10_0000, 12)         // 172.16/12 private
            || within(0xC000_0000, 24)         // 192.0.0/24 protocol assignments
            || within(0xC000_0200, 24)         // 192.0.2/24 documentation
            || within(0xC0A8_0000, 16)         // 192.168/16 private
            || within(0xC612_0000, 15)         // 198.18/15 benchmarking
            || within(0xC633_6400, 24)         // 198.51.100/24 documentation
            || within(0xCB00_7100, 24)         // 203.0.113/24 documentation
            || within(0xE000_0000, 4)          // 224/4 multicast
            || within(0xF000_0000, 4)          // 240/4 reserved, broadcast
    }

    static func isNonPublic(v6 bytes: [UInt8]) -> Bool {
        guard bytes.count == 16 else { return true }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }                 // :: and ::1
        let v4tail = UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15])
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return isNonPublic(v4: v4tail) } // ::ffff:a.b.c.d
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return isNonPublic(v4: v4tail) }                                          // ::a.b.c.d
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B { return isNonPublic(v4: v4tail) }      // 64:ff9b::/96 NAT64
        if bytes[0] == 0x20, bytes[1] == 0x02 {                                                                               // 2002::/16 6to4
            return isNonPublic(v4: UInt32(bytes[2]) << 24 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 8 | UInt32(bytes[5]))
        }
        if bytes[0] & 0xFE == 0xFC { return true }                  // fc00::/7 unique local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true } // fe80::/10 link-local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return true } // fec0::/10 site-local (deprecated)
        if bytes[0] == 0xFF { return true }                           // ff00::/8 multicast
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 { return true } // 2001:db8::/32 documentation
        return false
    }
}
