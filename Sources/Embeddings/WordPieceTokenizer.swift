import Foundation

/// BERT's uncased WordPiece tokenizer, as configured for all-MiniLM-L6-v2 (Hugging Face
/// `BertNormalizer` + `BertPreTokenizer` + `WordPiece`), producing the ids the model reads.
///
/// The steps, in the order of the Hugging Face implementation the reference ids come from:
/// 1. clean: drop NUL, U+FFFD and control, format and private-use characters (Cc, Cf, Co)
///    except tab, CR and LF; every whitespace character becomes a space;
/// 2. CJK ideographs are surrounded by spaces, so each becomes a word of its own;
/// 3. strip accents: NFD, then drop nonspacing marks (Mn);
/// 4. lowercase;
/// 5. split on whitespace, and around each punctuation character (ASCII punctuation, or a
///    Unicode P* category), which becomes a word of its own;
/// 6. WordPiece: greedy longest match from the left, pieces after the first looked up with
///    the `##` prefix; a word with no complete split, or longer than 100 characters, is [UNK].
///
/// The result is `[CLS] pieces… [SEP]`, truncated to `maxLength` ids in all.
/// Text that is all ASCII takes a byte-level fast path with the same result.
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many Unicode scalars become [UNK] (BERT's `max_input_chars_per_word`).
    public static let maxCharactersPerWord = 100

    private let vocabulary: Vocabulary
    public let classID: Int32
    public let separatorID: Int32
    public let unknownID: Int32

    /// Loads `vocab.txt` (one token per line; the line number, from 0, is the id).
    public init(vocabularyURL: URL) throws {
        try self.init(vocabulary: Vocabulary(contentsOf: vocabularyURL))
    }

    /// A tokenizer over the given tokens in id order (for tests and tools).
    public init(tokens: [String]) throws {
        try self.init(vocabulary: Vocabulary(tokens: tokens))
    }

    private init(vocabulary: Vocabulary) throws {
        self.vocabulary = vocabulary
        // Vocabulary's initializer guarantees the three special tokens exist.
        classID = vocabulary.id(for: "[CLS]") ?? 101
        separatorID = vocabulary.id(for: "[SEP]") ?? 102
        unknownID = vocabulary.id(for: "[UNK]") ?? 100
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// The id of a token as written in `vocab.txt` (e.g. `"##s"`), or nil.
    public func id(for token: String) -> Int32? { vocabulary.id(for: token) }

    /// The token of an id, or nil when out of range.
    public func token(for id: Int32) -> String? { vocabulary.token(for: id) }

    /// Token ids for `text`: `[CLS]`, the word pieces, `[SEP]`, at most `maxLength` ids in
    /// all (longer input is cut after `maxLength - 2` pieces; `maxLength` below 2 counts as 2).
    public func encode(_ text: String, maxLength: Int = 256) -> [Int32] {
        let pieceLimit = max(maxLength, 2) - 1  // room for [CLS] + pieces; [SEP] comes last
        var ids: [Int32] = [classID]
        ids.reserveCapacity(min(pieceLimit + 1, text.utf8.count + 2))
        var splitter = WordSplitter(tokenizer: self, limit: pieceLimit)

        var utf8Text = text
        utf8Text.makeContiguousUTF8()
        let isASCII = utf8Text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 }
        } ?? false
        if isASCII {
            utf8Text.utf8.withContiguousStorageIfAvailable { bytes in
                splitter.splitASCII(bytes, into: &ids)
            }
        } else {
            splitter.splitUnicode(Self.normalizedForSplitting(utf8Text), into: &ids)
        }
        if ids.count > pieceLimit { ids.removeSubrange(pieceLimit...) }
        ids.append(separatorID)
        return ids
    }

    // MARK: WordPiece

    /// Appends the WordPiece ids of one word (its UTF-8 bytes, `scalarCount` scalars long).
    fileprivate func appendWordPieces(of word: UnsafeBufferPointer<UInt8>, scalarCount: Int, to ids: inout [Int32]) {
        guard !word.isEmpty else { return }
        if scalarCount > Self.maxCharactersPerWord {
            ids.append(unknownID)
            return
        }
        let firstPiece = ids.count
        var start = 0
        while start < word.count {
            let continuation = start > 0
            let longest = continuation ? vocabulary.longestContinuation : vocabulary.longestInitial
            var end = min(word.count, start + longest)
            var found: Int32?
            while end > start {
                // Only cut on scalar boundaries (a UTF-8 continuation byte is 10xxxxxx).
                if end == word.count || word[end] & 0xC0 != 0x80,
                   let id = vocabulary.lookup(UnsafeBufferPointer(rebasing: word[start..<end]), continuation: continuation) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                // No piece matches here: the whole word is unknown.
                ids.removeSubrange(firstPiece...)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
        }
    }

    // MARK: Normalisation (steps 1–4) for non-ASCII text

    /// Steps 1–4 for text with non-ASCII characters; splitting (step 5) is left to
    /// `WordSplitter.splitUnicode`, which also lowercases.
    static func normalizedForSplitting(_ text: String) -> String {
        // 1–2: clean, and isolate CJK ideographs.
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0, 0xFFFD:
                continue
            case 0x09, 0x0A, 0x0D:
                cleaned.append(" ")
                continue
            default:
                break
            }
            if isOther(scalar) { continue }
            if scalar.properties.isWhitespace {
                cleaned.append(" ")
            } else if isCJKIdeograph(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // 3: canonical decomposition; the marks are dropped while splitting.
        return String(cleaned).decomposedStringWithCanonicalMapping
    }

    /// The "other" characters that cleaning drops: control, format, surrogate and private
    /// use (Cc Cf Cs Co). Unassigned code points (Cn) are kept, as Hugging Face keeps them.
    static func isOther(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse: true
        default: false
        }
    }

    /// BERT's `_is_chinese_char`: the CJK Unified Ideographs blocks and extensions, and the
    /// compatibility ideographs (not kana or hangul, which are written with spaces or pieces).
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            true
        default:
            false
        }
    }

    /// BERT's `_is_punctuation`: all ASCII non-alphanumeric printable characters (so `$`,
    /// `+`, `^`, `` ` `` too), and every Unicode punctuation category (Pc Pd Ps Pe Pi Pf Po).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isASCIIPunctuation(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (33...47).contains(byte) || (58...64).contains(byte) || (91...96).contains(byte) || (123...126).contains(byte)
    }
}

/// Step 5 (and 4 for the Unicode path): cuts normalised text into words and hands each to
/// WordPiece, stopping once `limit` ids are there.
private struct WordSplitter {
    let tokenizer: WordPieceTokenizer
    let limit: Int
    /// The word being collected, lowercased, as UTF-8.
    var word: [UInt8] = []
    var wordScalars = 0

    init(tokenizer: WordPieceTokenizer, limit: Int) {
        self.tokenizer = tokenizer
        self.limit = limit
        word.reserveCapacity(64)
    }

    /// All of steps 1–5 on ASCII bytes.
    mutating func splitASCII(_ bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        for byte in bytes {
            if ids.count >= limit { return }
            switch byte {
            case 0x09, 0x0A, 0x0D, 0x20:  // whitespace
                flush(into: &ids)
            case 0x00...0x1F, 0x7F:  // other control characters are dropped
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                word.append(byte | 0x20)
                wordScalars += 1
            default:
                if WordPieceTokenizer.isASCIIPunctuation(byte) {
                    flush(into: &ids)
                    word.append(byte)
                    wordScalars = 1
                    flush(into: &ids)
                } else {
                    word.append(byte)
                    wordScalars += 1
                }
            }
        }
        flush(into: &ids)
    }

    /// Steps 3 (dropping the marks), 4 and 5 on text from `normalizedForSplitting`.
    mutating func splitUnicode(_ text: String, into ids: inout [Int32]) {
        for scalar in text.unicodeScalars {
            if ids.count >= limit { return }
            if scalar.isASCII {
                var byte = UInt8(scalar.value)
                if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { byte |= 0x20 }
                add(Unicode.Scalar(byte), into: &ids)
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.changesWhenLowercased {
                for lower in properties.lowercaseMapping.unicodeScalars {
                    add(lower, into: &ids)
                }
            } else {
                add(scalar, into: &ids)
            }
        }
        flush(into: &ids)
    }

    private mutating func add(_ scalar: Unicode.Scalar, into ids: inout [Int32]) {
        let isSeparator: Bool
        let isPunctuation: Bool
        if scalar.isASCII {
            isSeparator = scalar == " "
            isPunctuation = WordPieceTokenizer.isASCIIPunctuation(UInt8(scalar.value))
        } else {
            isSeparator = scalar.properties.isWhitespace
            isPunctuation = !isSeparator && WordPieceTokenizer.isPunctuation(scalar)
        }
        if isSeparator {
            flush(into: &ids)
        } else if isPunctuation {
            flush(into: &ids)
            append(scalar)
            flush(into: &ids)
        } else {
            append(scalar)
        }
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        wordScalars += 1
        Unicode.UTF8.encode(scalar) { word.append($0) }
    }

    private mutating func flush(into ids: inout [Int32]) {
        guard !word.isEmpty else { return }
        let scalars = wordScalars
        word.withUnsafeBufferPointer { tokenizer.appendWordPieces(of: $0, scalarCount: scalars, to: &ids) }
        word.removeAll(keepingCapacity: true)
        wordScalars = 0
    }
}
