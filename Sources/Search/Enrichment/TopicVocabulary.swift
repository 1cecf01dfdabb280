import Foundation

/// The expertise topics speakers are tagged with (`Resources/topics.tsv`): each topic has
/// a slug, a label, an optional parent and the key phrases that signal it. A phrase
/// matches whole words after folding case and accents; a trailing `*` matches any ending.
public final class TopicVocabulary: Sendable {
    public static let shared = TopicVocabulary()

    public struct Topic: Sendable, Hashable {
        public var slug: String
        public var label: String
        public var parent: String?
    }

    public struct Match: Sendable, Hashable {
        public var topic: Topic
        /// The words of the text that matched.
        public var phrase: String
    }

    public let topics: [String: Topic]
    /// (folded phrase words, prefix match?, topic slug), longest phrases first.
    let phrases: [(words: [Substring], prefix: Bool, slug: String)]
    /// Phrase indexes by their first word (exact), and the single-word prefix phrases: a
    /// text is matched by looking up its own words, not by trying every phrase.
    let byFirstWord: [Substring: [Int]]
    let prefixWords: [(prefix: Substring, index: Int)]
    let cjk: [Int]

    init(rows: [[String]]? = nil) {
        var topics: [String: Topic] = [:]
        var phrases: [(words: [Substring], prefix: Bool, slug: String)] = []
        for row in rows ?? Gazetteer.rows("topics") where row.count >= 4 {
            let topic = Topic(slug: row[0], label: row[1], parent: row[2].isEmpty ? nil : row[2])
            topics[topic.slug] = topic
            for raw in Gazetteer.list(row, 3) {
                let prefix = raw.hasSuffix("*")
                let folded = Gazetteer.fold(prefix ? String(raw.dropLast()) : raw)
                guard !folded.isEmpty else { continue }
                phrases.append((folded.split(separator: " "), prefix, topic.slug))
            }
        }
        self.topics = topics
        self.phrases = phrases.sorted { $0.words.count > $1.words.count }
        var byFirstWord: [Substring: [Int]] = [:]
        var prefixWords: [(prefix: Substring, index: Int)] = []
        var cjk: [Int] = []
        for (index, phrase) in self.phrases.enumerated() {
            if phrase.words.count == 1, let first = phrase.words[0].unicodeScalars.first, first.value >= 0x3000 { cjk.append(index) }
            if phrase.words.count == 1 && phrase.prefix {
                prefixWords.append((phrase.words[0], index))
            } else {
                byFirstWord[phrase.words[0], default: []].append(index)
            }
        }
        self.byFirstWord = byFirstWord
        self.prefixWords = prefixWords
        self.cjk = cjk
    }

    /// The topics a text is about, each once, with the phrase that showed it (the longest
    /// matching phrase of each topic). Matches inside CJK text (no spaces between words)
    /// are by substring.
    public func matches(in text: String) -> [Match] {
        let folded = Gazetteer.fold(text)
        guard !folded.isEmpty else { return [] }
        let words = folded.split(separator: " ")
        // Candidate phrases: those starting with one of the text's words, the prefix words
        // some text word starts with, and the CJK ones.
        var candidates = Set<Int>()
        for word in words {
            if let list = byFirstWord[word] { candidates.formUnion(list) }
        }
        for entry in prefixWords where words.contains(where: { $0.hasPrefix(entry.prefix) }) { candidates.insert(entry.index) }
        candidates.formUnion(cjk)
        var found: [String: Match] = [:]
        var order: [String] = []
        for index in candidates.sorted() {
            let phrase = phrases[index]
            guard found[phrase.slug] == nil else { continue }
            if let hit = Self.find(phrase.words, prefix: phrase.prefix, in: words) ?? Self.findCJK(phrase.words, in: folded), let topic = topics[phrase.slug] {
                found[phrase.slug] = Match(topic: topic, phrase: hit)
                order.append(phrase.slug)
            }
        }
        return order.compactMap { found[$0] }
    }

    static func find(_ phrase: [Substring], prefix: Bool, in words: [Substring]) -> String? {
        guard !phrase.isEmpty, words.count >= phrase.count else { return nil }
        outer: for start in 0...(words.count - phrase.count) {
            for (offset, word) in phrase.enumerated() {
                let candidate = words[start + offset]
                let last = offset == phrase.count - 1
                if last && prefix ? !candidate.hasPrefix(word) : candidate != word { continue outer }
            }
            return words[start..<(start + phrase.count)].joined(separator: " ")
        }
        return nil
    }

    /// Japanese or Chinese phrases are matched as substrings (the text has no spaces).
    static func findCJK(_ phrase: [Substring], in text: String) -> String? {
        guard phrase.count == 1, let first = phrase[0].unicodeScalars.first, first.value >= 0x3000 else { return nil }
        return text.contains(phrase[0]) ? String(phrase[0]) : nil
    }
}
