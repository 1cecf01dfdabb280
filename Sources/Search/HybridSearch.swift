import Embeddings
import FluentKit
import Foundation
import Storage

/// How a search ranks: by words (the full-text index), by meaning (embeddings), or both
/// fused by reciprocal rank.
public enum SearchMode: String, Sendable, CaseIterable, Codable {
    case keyword, semantic, hybrid
}

/// Turns a query into an embedding. The local MiniLM encoder is one; an OpenAI-compatible
/// embeddings API would be another.
public protocol QueryEmbedder: Sendable {
    var model: String { get }
    func embedQuery(_ text: String) async throws -> [Float]
}

extension MiniLMEncoder: QueryEmbedder {
    public var model: String { Self.modelID }
    public func embedQuery(_ text: String) async throws -> [Float] { embed(text) }
}

/// One result and why it ranks where it does.
public struct SearchHit: Sendable, Codable, Equatable {
    public var speaker: SpeakerSummary
    /// The fused score (hybrid), or the single ranking's own order (keyword, semantic).
    public var score: Double
    public var explanation: Explanation
    /// The closest there is, not a match: none of its records has every topic word, and
    /// its meaning is below `HybridSearch.weakCosine` (or was not compared).
    public var weak = false

    public struct Explanation: Sendable, Codable, Equatable {
        /// 1-based place in the keyword ranking (speakers with every word, then with some, by
        /// bm25 with field weights); nil: none of the query's words.
        public var keywordRank: Int?
        /// Whether the speaker's record has every topic word (the keyword ranking's first tier).
        public var allWords = false
        /// 1-based place by cosine similarity; nil when semantic search did not run or ranked it lower.
        public var semanticRank: Int?
        public var cosine: Double?
        /// How each ranking contributed: 1 / (60 + rank) per ranking (reciprocal rank fusion).
        public var contributions: [String: Double]
        /// The request's constraints this speaker meets, misses, or has no data for (their
        /// words as typed: "based in Europe", "moderator").
        public var met: [String] = []
        public var missed: [String] = []
        public var unknown: [String] = []

        public init(keywordRank: Int?, semanticRank: Int?, cosine: Double?, contributions: [String: Double]) {
            self.keywordRank = keywordRank
            self.semanticRank = semanticRank
            self.cosine = cosine
            self.contributions = contributions
        }

        enum CodingKeys: String, CodingKey {
            case keywordRank = "keyword_rank", allWords = "all_words", semanticRank = "semantic_rank", cosine, contributions, met, missed, unknown
        }
    }
}

/// The outcome of a search, with the mode that actually ran and, when semantic ranking
/// was asked for but could not run, why.
public struct SearchOutcome: Sendable, Codable, Equatable {
    public var query: String
    public var requested: SearchMode
    public var mode: SearchMode
    public var hits: [SearchHit]
    public var notes: [String]

    public init(query: String, requested: SearchMode, mode: SearchMode, hits: [SearchHit], notes: [String]) {
        self.query = query
        self.requested = requested
        self.mode = mode
        self.hits = hits
        self.notes = notes
    }
}

/// Keyword, semantic and hybrid search over speakers. Hybrid fuses the two rankings with
/// reciprocal rank fusion (k = 60): each list contributes 1 / (60 + rank) for every speaker
/// it ranks, so a speaker near the top of both beats one at the top of only one; without
/// embeddings it falls back to keyword ranking and says so.
public struct HybridSearch: Sendable {
    public static let fusionK = 60.0
    /// How deep each ranking is read before fusing.
    public static let depth = 100
    /// Least cosine similarity (all-MiniLM-L6-v2) for a result without every topic word
    /// to count as a match rather than the closest weak one. Chosen on the golden set and
    /// its negative queries (docs/QUALITY.md, "Weak matches").
    public static let weakCosine = 0.40
    /// The same for a result with some of the topic words: words and meaning agreeing
    /// count for more than meaning alone.
    public static let weakCosineWithSomeWords = 0.25

    /// Whether a result is only the closest there is: it lacks a topic word and its
    /// meaning is below `floor` (below `weakCosineWithSomeWords` when it has some of the
    /// words). Without a similarity (keyword ranking only), every result lacking a word is weak.
    public static func isWeak(_ explanation: SearchHit.Explanation, floor: Double = weakCosine) -> Bool {
        if explanation.allWords { return false }
        guard let cosine = explanation.cosine else { return true }
        if explanation.keywordRank != nil && cosine >= min(floor, weakCosineWithSomeWords) { return false }
        return cosine < floor
    }

    let queries: SpeakerQueries
    let index: SemanticIndex?
    let embedder: (any QueryEmbedder)?
    let unavailable: String?

    /// `unavailable`: why semantic ranking is off when `embedder` is nil on purpose (shown
    /// in the notes instead of the advice to install the model).
    public init(database: any Database, index: SemanticIndex?, embedder: (any QueryEmbedder)?, unavailable: String? = nil) throws {
        self.queries = try SpeakerQueries(database)
        self.index = index
        self.embedder = embedder
        self.unavailable = unavailable
    }

    public func search(_ query: String, mode requested: SearchMode = .hybrid, limit: Int = 10) async throws -> SearchOutcome {
        let limit = min(max(limit, 1), Self.depth)
        let ranking = try await rank(query, mode: requested, depth: Self.depth)
        let ranked = ranking.ranked.prefix(limit)
        let summaries = try await queries.summaries(ids: ranked.map(\.id))
        let byID = Dictionary(uniqueKeysWithValues: summaries.map { ($0.id, $0) })
        let hits = ranked.compactMap { entry -> SearchHit? in
            guard let speaker = byID[entry.id] else { return nil }  // deleted since the index was loaded
            var hit = SearchHit(speaker: speaker, score: entry.score, explanation: entry.explanation)
            hit.weak = Self.isWeak(entry.explanation)
            return hit
        }
        var notes = ranking.notes
        if let note = Self.weakNote(hits, topic: query) { notes.append(note) }
        return SearchOutcome(query: query, requested: requested, mode: ranking.mode, hits: hits, notes: notes)
    }

    /// What to say when results are weak: all of them ("no speaker clearly matches"), or
    /// from which place on.
    public static func weakNote(_ hits: [SearchHit], topic: String) -> String? {
        let weak = hits.filter(\.weak).count
        guard weak > 0 else { return nil }
        if weak == hits.count {
            return "No speaker clearly matches \u{201C}\(topic)\u{201D}: the results below are the closest, weak matches."
        }
        return "\(weak) of these \(hits.count) results are weak matches (marked): the closest there is, not about \u{201C}\(topic)\u{201D}."
    }

    /// The fused ranking of speaker ids (each ranking read `depth` deep), best first, with
    /// the mode that ran and notes.
    public struct Ranking: Sendable {
        public var mode: SearchMode
        public var notes: [String]
        public var ranked: [(id: Int, score: Double, explanation: SearchHit.Explanation)]
    }

    public func rank(_ query: String, mode requested: SearchMode, depth: Int) async throws -> Ranking {
        var notes: [String] = []
        var mode = requested
        var semanticReady: (index: SemanticIndex, embedder: any QueryEmbedder)?
        if requested != .keyword {
            if let index, let embedder, index.count > 0, index.model == embedder.model {
                semanticReady = (index, embedder)
            } else {
                mode = .keyword
                notes.append(unavailable.map { "\($0); keyword ranking only" } ?? (index == nil || embedder == nil
                    ? "semantic ranking is unavailable (no embedding model loaded: run scripts/fetch-model.sh, then speakerdb embed); keyword ranking only"
                    : "no speaker has an embedding yet (run speakerdb embed); keyword ranking only"))
            }
        }
        // The two rankings run at the same time: the query's embedding and the vector scan
        // on one side, the full-text index on the other.
        async let semanticRanking: [(speakerID: Int, cosine: Float)] = {
            guard let semanticReady else { return [] }
            let vector = try await semanticReady.embedder.embedQuery(query)
            return semanticReady.index.nearest(to: vector, limit: depth)
        }()
        var keyword: [Int] = []
        var allWords = 0
        if mode != .semantic {
            // Speakers with every topical word first (the keyword search's own order), then
            // those with some of the words.
            // A request is a sentence of whole words (the stemmer finds "disasters" from
            // "disaster"), so words are not matched as prefixes: much cheaper on words
            // that a third of all profiles contain.
            keyword = try await queries.relevanceIDs(search: SpeakerSearchIndex.topicalQuery(query), limit: depth, wholeWords: true)
            allWords = keyword.count
            if keyword.count < depth {
                var seen = Set(keyword)
                for id in try await queries.anyWordRanking(query, limit: depth, wholeWords: true) where seen.insert(id).inserted && keyword.count < depth {
                    keyword.append(id)
                }
            }
        }
        let semantic = try await semanticRanking

        var scores: [Int: Double] = [:]
        var explanations: [Int: SearchHit.Explanation] = [:]
        func explanation(_ id: Int) -> SearchHit.Explanation {
            explanations[id] ?? SearchHit.Explanation(keywordRank: nil, semanticRank: nil, cosine: nil, contributions: [:])
        }
        for (offset, id) in keyword.enumerated() {
            let share = 1 / (Self.fusionK + Double(offset + 1))
            var item = explanation(id)
            item.keywordRank = offset + 1
            item.allWords = offset < allWords
            item.contributions["keyword"] = share
            explanations[id] = item
            scores[id, default: 0] += share
        }
        for (offset, match) in semantic.enumerated() {
            let share = 1 / (Self.fusionK + Double(offset + 1))
            var item = explanation(match.speakerID)
            item.semanticRank = offset + 1
            item.cosine = Double(match.cosine)
            item.contributions["semantic"] = share
            explanations[match.speakerID] = item
            scores[match.speakerID, default: 0] += share
        }
        // Ties (equal fused score) go to the better keyword rank, then the lower id.
        let ranked = scores.sorted { a, b in
            if a.value != b.value { return a.value > b.value }
            let ka = explanations[a.key]?.keywordRank ?? .max, kb = explanations[b.key]?.keywordRank ?? .max
            return ka != kb ? ka < kb : a.key < b.key
        }
        return Ranking(mode: mode, notes: notes, ranked: ranked.map { ($0.key, $0.value, explanation($0.key)) })
    }
}
