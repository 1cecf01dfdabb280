import Embeddings
import Foundation
import Testing

/// Tokenizer behaviour on a small vocabulary (no model files needed). Ids are line numbers.
@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    static let tokens = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]",  // 0...3
        "jose", "muller", "spoke", "at", "zurich",  // 4...8
        "un", "##aff", "##able", "affable",  // 9...12
        ",", ".", "!", "?", "$", "-", "'", "’",  // 13...20
        "北", "京", "の",  // 21...23
        "hello", "world", "a", "##a", "σ", "##σ", "cafe", "ß", "i",  // 24...32
    ]

    let tokenizer: WordPieceTokenizer

    init() throws {
        tokenizer = try WordPieceTokenizer(tokens: Self.tokens)
    }

    func pieces(_ text: String, maxLength: Int = 256) -> [String] {
        tokenizer.encode(text, maxLength: maxLength).map { tokenizer.token(for: $0) ?? "?" }
    }

    @Test func specialTokensComeFromTheVocabulary() {
        #expect(tokenizer.classID == 2)
        #expect(tokenizer.separatorID == 3)
        #expect(tokenizer.unknownID == 1)
        #expect(tokenizer.encode("") == [2, 3])
        #expect(tokenizer.encode(" \t\n ") == [2, 3])
    }

    @Test func lowercasesAndStripsAccents() {
        #expect(pieces("José Müller spoke at Zürich") == ["[CLS]", "jose", "muller", "spoke", "at", "zurich", "[SEP]"])
        #expect(pieces("CAFÉ Café café") == ["[CLS]", "cafe", "cafe", "cafe", "[SEP]"], "precomposed and decomposed")
        #expect(pieces("Cafe\u{301}") == ["[CLS]", "cafe", "[SEP]"], "combining accent")
        #expect(pieces("İ") == ["[CLS]", "i", "[SEP]"], "dotted capital I: the dot is a mark")
        #expect(pieces("ΣΣ ß") == ["[CLS]", "σ", "##σ", "ß", "[SEP]"], "no final-sigma rule, ß stays")
    }

    @Test func splitsPunctuation() {
        #expect(pieces("hello,world!") == ["[CLS]", "hello", ",", "world", "!", "[SEP]"])
        #expect(pieces("$hello-world?") == ["[CLS]", "$", "hello", "-", "world", "?", "[SEP]"], "ASCII symbols count as punctuation")
        #expect(pieces("hello’s") == ["[CLS]", "hello", "’", "[UNK]", "[SEP]"], "Unicode punctuation splits too")
        #expect(pieces("a...") == ["[CLS]", "a", ".", ".", ".", "[SEP]"])
    }

    @Test func splitsCJKIdeographsButNotKana() {
        #expect(pieces("北京") == ["[CLS]", "北", "京", "[SEP]"])
        #expect(pieces("hello北京world") == ["[CLS]", "hello", "北", "京", "world", "[SEP]"])
        #expect(pieces("のの") == ["[CLS]", "[UNK]", "[SEP]"], "kana stay one word (no ##の here)")
    }

    @Test func wordPieceIsGreedyLongestMatch() {
        #expect(pieces("unaffable") == ["[CLS]", "un", "##aff", "##able", "[SEP]"])
        #expect(pieces("affable") == ["[CLS]", "affable", "[SEP]"])
        #expect(pieces("aaa") == ["[CLS]", "a", "##a", "##a", "[SEP]"])
        #expect(pieces("unaffablex") == ["[CLS]", "[UNK]", "[SEP]"], "a word without a full split is one [UNK]")
    }

    @Test func wordsLongerThan100CharactersAreUnknown() {
        #expect(pieces(String(repeating: "a", count: 100)) == ["[CLS]", "a"] + Array(repeating: "##a", count: 99) + ["[SEP]"])
        #expect(pieces(String(repeating: "a", count: 101)) == ["[CLS]", "[UNK]", "[SEP]"])
        // Counted in characters, not UTF-8 bytes: σ takes two.
        #expect(pieces(String(repeating: "σ", count: 100)) == ["[CLS]", "σ"] + Array(repeating: "##σ", count: 99) + ["[SEP]"])
        #expect(pieces(String(repeating: "σ", count: 101)) == ["[CLS]", "[UNK]", "[SEP]"])
    }

    @Test func cleansControlAndFormatCharacters() {
        #expect(pieces("hel\u{0}lo\u{200B} wor\u{FFFD}ld\u{7}") == ["[CLS]", "hello", "world", "[SEP]"])
        #expect(pieces("hello\u{3000}world\u{2028}a") == ["[CLS]", "hello", "world", "a", "[SEP]"], "Unicode spaces separate")
    }

    @Test func truncatesTo256IdsIncludingSpecialTokens() {
        let ids = tokenizer.encode(String(repeating: "hello ", count: 300))
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.classID && ids.last == tokenizer.separatorID)
        #expect(ids.dropFirst().dropLast().allSatisfy { $0 == 24 })
        // A word cut at the limit keeps its first pieces, as Hugging Face truncation does.
        let cut = tokenizer.encode(String(repeating: "hello ", count: 252) + "unaffable", maxLength: 256)
        #expect(cut.count == 256)
        #expect(cut.suffix(3).map { tokenizer.token(for: $0) } == ["un", "##aff", "[SEP]"])
        #expect(tokenizer.encode("hello world", maxLength: 3) == [2, 24, 3])
        #expect(tokenizer.encode("hello world", maxLength: 0) == [2, 3], "room for [CLS] and [SEP] at least")
    }

    @Test func asciiAndUnicodePathsAgree() {
        // The same words, once all-ASCII (fast path) and once with a non-ASCII character.
        #expect(pieces("Hello, WORLD! a-a") == pieces("Hello, WORLD! a-a\u{3000}"))
        #expect(pieces("x\u{1}y") == pieces("x\u{1}y\u{200B}"))
    }

    @Test func vocabularyNeedsTheSpecialTokens() {
        #expect(throws: (any Error).self) { try WordPieceTokenizer(tokens: ["hello", "[CLS]", "[SEP]"]) }
    }

    @Test func vocabularyFileLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("vocab.txt")
        try (Self.tokens.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let loaded = try WordPieceTokenizer(vocabularyURL: url)
        #expect(loaded.vocabularySize == Self.tokens.count)
        #expect(loaded.encode("José spoke") == tokenizer.encode("José spoke"))
        #expect(loaded.id(for: "##able") == 11)

        let missing = folder.appendingPathComponent("nope.txt")
        #expect(throws: (any Error).self) { try WordPieceTokenizer(vocabularyURL: missing) }
    }
}
