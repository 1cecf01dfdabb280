import Foundation

/// The WordPiece vocabulary of a BERT model (`vocab.txt`: one token per line, the line
/// number is the id), stored as an open-addressing hash table over UTF-8 bytes so that a
/// lookup neither allocates nor builds a `String`.
///
/// Tokens that start with the continuation prefix `##` are stored without it, in their own
/// key space: `lookup(bytes, continuation: true)` finds `##bytes`.
struct Vocabulary: Sendable {
    /// Why `vocab.txt` could not be used.
    enum LoadError: Error, CustomStringConvertible {
        case unreadable(URL, underlying: any Error)
        case notUTF8(URL)
        case empty(URL)
        case missingSpecialToken(String, URL)

        var description: String {
            switch self {
            case let .unreadable(url, underlying):
                "cannot read the vocabulary \(url.path): \(underlying.localizedDescription)"
            case let .notUTF8(url):
                "the vocabulary \(url.path) is not UTF-8 text"
            case let .empty(url):
                "the vocabulary \(url.path) has no tokens"
            case let .missingSpecialToken(token, url):
                "the vocabulary \(url.path) has no \(token) token"
            }
        }
    }

    private struct Entry: Sendable {
        var offset: Int32
        var length: Int32
        var id: Int32
        var continuation: Bool
    }

    /// All keys, back to back.
    private let bytes: [UInt8]
    private let entries: [Entry]
    /// Indexes into `entries`, or -1 for an empty slot. The count is a power of two.
    private let slots: [Int32]
    /// Tokens by id, for diagnostics and tests.
    private let tokens: [String]
    /// The longest key in bytes, per key space: no lookup needs to try a longer span.
    let longestInitial: Int
    let longestContinuation: Int

    var count: Int { tokens.count }

    /// Reads `vocab.txt`. A later duplicate of a token wins, as in BERT's `load_vocab`.
    init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError.unreadable(url, underlying: error)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw LoadError.notUTF8(url) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw LoadError.empty(url) }
        try self.init(tokens: lines, source: url)
    }

    /// Builds the table from tokens in id order.
    init(tokens: [String], source: URL = URL(fileURLWithPath: "vocab.txt")) throws {
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        entries.reserveCapacity(tokens.count)
        var longestInitial = 0
        var longestContinuation = 0
        for (id, token) in tokens.enumerated() {
            var utf8 = Array(token.utf8)
            let continuation = utf8.count > 2 && utf8[0] == UInt8(ascii: "#") && utf8[1] == UInt8(ascii: "#")
            if continuation {
                utf8.removeFirst(2)
                longestContinuation = max(longestContinuation, utf8.count)
            } else {
                longestInitial = max(longestInitial, utf8.count)
            }
            entries.append(Entry(offset: Int32(bytes.count), length: Int32(utf8.count), id: Int32(id), continuation: continuation))
            bytes.append(contentsOf: utf8)
        }

        var slotCount = 16
        while slotCount < entries.count * 2 { slotCount <<= 1 }
        var slots = [Int32](repeating: -1, count: slotCount)
        let mask = slotCount - 1
        bytes.withUnsafeBufferPointer { all in
            for (index, entry) in entries.enumerated() {
                let key = UnsafeBufferPointer(rebasing: all[Int(entry.offset)..<Int(entry.offset + entry.length)])
                var slot = Self.hash(key, continuation: entry.continuation) & mask
                while slots[slot] >= 0 {
                    let other = entries[Int(slots[slot])]
                    if other.continuation == entry.continuation,
                       Self.equal(UnsafeBufferPointer(rebasing: all[Int(other.offset)..<Int(other.offset + other.length)]), key) {
                        break  // duplicate token: the later line replaces the earlier one
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(index)
            }
        }

        self.bytes = bytes
        self.entries = entries
        self.slots = slots
        self.tokens = tokens
        self.longestInitial = longestInitial
        self.longestContinuation = longestContinuation
        for special in ["[CLS]", "[SEP]", "[UNK]"] where id(for: special) == nil {
            throw LoadError.missingSpecialToken(special, source)
        }
    }

    /// The id of a whole token as written in `vocab.txt` (e.g. `"##ing"`, `"[CLS]"`).
    func id(for token: String) -> Int32? {
        var utf8 = Array(token.utf8)
        let continuation = utf8.count > 2 && utf8[0] == UInt8(ascii: "#") && utf8[1] == UInt8(ascii: "#")
        if continuation { utf8.removeFirst(2) }
        return utf8.withUnsafeBufferPointer { lookup($0, continuation: continuation) }
    }

    /// The token for an id, or nil when out of range.
    func token(for id: Int32) -> String? {
        tokens.indices.contains(Int(id)) ? tokens[Int(id)] : nil
    }

    /// The id of `key` (a word-initial piece, or with `continuation` a `##` piece).
    func lookup(_ key: UnsafeBufferPointer<UInt8>, continuation: Bool) -> Int32? {
        let mask = slots.count - 1
        var slot = Self.hash(key, continuation: continuation) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let index = slots[slot]
                if index < 0 { return nil }
                let entry = entries[Int(index)]
                if entry.continuation == continuation, Int(entry.length) == key.count,
                   Self.equal(UnsafeBufferPointer(rebasing: all[Int(entry.offset)..<Int(entry.offset + entry.length)]), key) {
                    return entry.id
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// FNV-1a over the bytes, with the key space folded into the seed.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>, continuation: Bool) -> Int {
        var hash: UInt64 = continuation ? 0x84222325CBF29CE4 : 0xCBF29CE484222325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x100000001B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return a.count == 0 }
        return memcmp(pa, pb, a.count) == 0
    }
}
