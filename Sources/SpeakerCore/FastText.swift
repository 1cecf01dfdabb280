extension StringProtocol {
    /// Byte-wise substring test on UTF-8, for hot loops where Foundation's `contains` (a
    /// locale-aware CFString search) dominated profiles. Exact bytes only: fold case and
    /// accents before calling.
    public func containsBytes(_ needle: String) -> Bool {
        guard !needle.isEmpty else { return true }
        let hay = Array(self.utf8)
        let pin = Array(needle.utf8)
        guard hay.count >= pin.count else { return false }
        let first = pin[0]
        var index = 0
        let last = hay.count - pin.count
        while index <= last {
            if hay[index] == first {
                var matched = true
                var offset = 1
                while offset < pin.count {
                    if hay[index + offset] != pin[offset] { matched = false; break }
                    offset += 1
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }
}

extension String {
    /// Trims leading and trailing characters that match `predicate`, in pure Swift (the
    /// Foundation CharacterSet version bridges through NSString and showed in profiles).
    public func trimmed(where predicate: (Character) -> Bool) -> String {
        guard let start = firstIndex(where: { !predicate($0) }) else { return "" }
        let end = lastIndex(where: { !predicate($0) })!
        return String(self[start...end])
    }

    /// Whitespace-trimmed.
    public var trimmedWhitespace: String { trimmed(where: { $0.isWhitespace }) }
}
