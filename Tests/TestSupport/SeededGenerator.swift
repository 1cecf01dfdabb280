import Foundation

/// A reproducible random number generator for property tests (SplitMix64). The seed is
/// the one given, else `SPEAKERDB_TEST_SEED` when set, else taken from the clock; a test
/// prints it in every failure message, so a failing run can be replayed exactly.
public struct SeededGenerator: RandomNumberGenerator {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64? = nil) {
        let chosen = seed ?? ProcessInfo.processInfo.environment["SPEAKERDB_TEST_SEED"].flatMap { UInt64($0) }
            ?? UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds)
        self.seed = chosen
        state = chosen &+ 0x9E37_79B9_7F4A_7C15
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// "(seed 123: replay with SPEAKERDB_TEST_SEED=123)", for failure messages.
    public var replay: String { "seed \(seed): replay with SPEAKERDB_TEST_SEED=\(seed)" }
}
