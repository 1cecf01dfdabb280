import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP port that was free a moment ago: the kernel picks it (bind to port 0),
/// so it cannot collide with ports other tests or clients hold, unlike a random number.
public enum FreePort {
    public static func next() -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return Int.random(in: 20_000...30_000) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { return Int.random(in: 20_000...30_000) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return Int.random(in: 20_000...30_000) }
        return Int(UInt16(bigEndian: address.sin_port))
        #else
        return Int.random(in: 20_000...30_000)
        #endif
    }
}
