import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts and stops `chromedriver` on a free loopback port.
public final class ChromeDriverProcess: @unchecked Sendable {
    public let port: Int
    let process: Process

    public struct Missing: Error, CustomStringConvertible {
        public let what: String
        public var description: String { "\(what) not found (install the Debian packages chromium and chromium-driver, or set CHROMEDRIVER_PATH and CHROMIUM_PATH)" }
    }

    /// Finds an executable by explicit path or on PATH.
    public static func locate(_ explicit: String?, candidates: [String]) -> String? {
        if let explicit, FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in candidates {
            for directory in path.split(separator: ":") + ["/usr/bin", "/usr/lib/chromium"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    public init(executable: String) throws {
        port = try LoopbackPort.free()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-level=OFF"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Stops chromedriver and every browser process it started. chromedriver does not
    /// always stop its browsers (and may ignore SIGTERM), and a browser orphaned by a
    /// killed chromedriver would run on holding a gigabyte, so the browsers are found
    /// first and killed after it.
    public func stop() {
        guard process.isRunning else { return }
        let browsers = descendantProcesses()
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        for pid in browsers where kill(pid, 0) == 0 { kill(pid, SIGTERM) }
        let browserDeadline = Date().addingTimeInterval(2)
        while browsers.contains(where: { kill($0, 0) == 0 && !Self.isZombie($0) }) && Date() < browserDeadline { usleep(20_000) }
        for pid in browsers where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }

    /// Whether a process has exited and only waits for its parent to reap it.
    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    /// Process ids of everything chromedriver started (the browsers), from /proc.
    public func descendantProcesses() -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, let parent = Int32(fields[1]) { parents[pid] = parent }
        }
        var result: [Int32] = []
        var frontier: Set<Int32> = [process.processIdentifier]
        while !frontier.isEmpty {
            let children = parents.filter { frontier.contains($0.value) }.map(\.key)
            result.append(contentsOf: children)
            frontier = Set(children)
        }
        return result
    }
}
