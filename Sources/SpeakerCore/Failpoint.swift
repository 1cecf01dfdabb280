import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named crash points for the tests that prove a step survives `kill -9` (or a power cut)
/// at its worst moment: when the environment variable `SPEAKERDB_FAILPOINT` names a point,
/// the process sends itself SIGKILL there. Unset (always, outside those tests) it costs one
/// environment lookup.
public enum Failpoint {
    public static let variable = "SPEAKERDB_FAILPOINT"

    public static func hit(_ name: String) {
        guard let wanted = ProcessInfo.processInfo.environment[variable], wanted == name else { return }
        kill(getpid(), SIGKILL)
    }
}
