extension Array {
    /// The elements in consecutive runs of at most `size` (for bound-parameter limits and
    /// batched transactions).
    public func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number (for reports and timings).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    public var inMilliseconds: Double { inSeconds * 1000 }
}
