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

extension StringProtocol {
    /// The string without leading and trailing whitespace and newlines; the same result as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` without the Foundation bridge,
    /// which is slow on Linux and runs on every line of every page.
    public func trimmed() -> String {
        trimming { Self.isWhitespace($0) || Self.isNewline($0) }
    }

    /// Without leading and trailing spaces and tabs (`CharacterSet.whitespaces`): newlines stay.
    public func trimmingWhitespace() -> String {
        trimming(Self.isWhitespace)
    }

    private func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !drop($0) })!
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }

    /// `CharacterSet.whitespaces`: Unicode general category Zs, and tab.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar == " " || scalar == "\t" }
        return scalar.properties.generalCategory == .spaceSeparator
    }

    /// `CharacterSet.newlines`: U+000A–U+000D, U+0085, U+2028, U+2029.
    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        (0x0A...0x0D).contains(scalar.value) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits per byte (`String(format: "%02x")` per byte is
    /// slow on Linux, and page hashes are taken for every fetched page).
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
