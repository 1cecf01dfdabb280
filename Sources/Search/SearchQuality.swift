import FluentKit
import Foundation
import SQLKit
import Storage

/// Measures ranking quality on a golden set: queries with graded relevant speakers
/// (grade 2: clearly what the user wants; 1: relevant), scored by nDCG@10 per search mode.
public enum SearchQuality {
    public struct GoldenSet: Decodable, Sendable {
        public struct Query: Decodable, Sendable {
            public struct Relevant: Decodable, Sendable {
                public var name: String
                public var affiliation: String?
                public var grade: Int
            }

            public var query: String
            public var kind: String
            public var relevant: [Relevant]
        }

        public var queries: [Query]

        public static func load(_ url: URL) throws -> GoldenSet {
            try JSONDecoder().decode(GoldenSet.self, from: Data(contentsOf: url))
        }
    }

    public struct Score: Sendable, Codable, Equatable {
        public var mode: SearchMode
        /// Mean nDCG@10 over all queries, and per kind of query.
        public var ndcg: Double
        public var byKind: [String: Double]
        public var queries: Int
        /// Relevant speakers of the golden set not found in the database (they still count
        /// in the ideal ranking, so a missing speaker lowers every mode's score alike).
        public var missingSpeakers: [String]
    }

    /// nDCG@k of a ranking (ids, best first) against graded relevance.
    public static func ndcg(ranked: [Int], grades: [Int: Int], k: Int = 10, idealGrades: [Int]? = nil) -> Double {
        func gain(_ grade: Int) -> Double { pow(2, Double(grade)) - 1 }
        let dcg = ranked.prefix(k).enumerated().reduce(0.0) { sum, item in
            sum + gain(grades[item.element] ?? 0) / log2(Double(item.offset) + 2)
        }
        let ideal = (idealGrades ?? Array(grades.values)).sorted(by: >).prefix(k).enumerated().reduce(0.0) { sum, item in
            sum + gain(item.element) / log2(Double(item.offset) + 2)
        }
        return ideal > 0 ? dcg / ideal : 0
    }

    /// Scores every mode: each query is parsed and searched exactly as the web app and the
    /// CLI do (offline parser, constraints applied), ten results.
    public static func evaluate(_ golden: GoldenSet, database: any Database, hybrid: HybridSearch,
                                modes: [SearchMode] = SearchMode.allCases) async throws -> [Score] {
        let (ids, missing) = try await speakerIDs(golden, database: database)
        let search = try RequestSearch(database: database, hybrid: hybrid)
        let parser = RequestParser()
        var scores: [Score] = []
        for mode in modes {
            var total = 0.0
            var byKind: [String: [Double]] = [:]
            for query in golden.queries {
                var grades: [Int: Int] = [:]
                for r in query.relevant { if let id = ids[key(r)] { grades[id] = max(grades[id] ?? 0, r.grade) } }
                let result = try await search.search(parser.parse(query.query), mode: mode, limit: 10)
                let value = ndcg(ranked: result.outcome.hits.map(\.speaker.id), grades: grades, idealGrades: query.relevant.map(\.grade))
                total += value
                byKind[query.kind, default: []].append(value)
            }
            scores.append(Score(mode: mode, ndcg: total / Double(max(golden.queries.count, 1)),
                                byKind: byKind.mapValues { $0.reduce(0, +) / Double($0.count) }, queries: golden.queries.count,
                                missingSpeakers: missing))
        }
        return scores
    }

    static func key(_ r: GoldenSet.Query.Relevant) -> String { "\(r.name) (\(r.affiliation ?? "-"))" }

    /// The database id of each relevant speaker of the golden set (by exact name and
    /// affiliation), and the ones not found.
    static func speakerIDs(_ golden: GoldenSet, database: any Database) async throws -> (ids: [String: Int], missing: [String]) {
        let sql = try database.sqlDatabase()
        var ids: [String: Int] = [:]
        var missing: [String] = []
        for query in golden.queries {
            for r in query.relevant where ids[key(r)] == nil && !missing.contains(key(r)) {
                let row = try await sql.raw("""
                    SELECT id FROM speakers WHERE name = \(bind: r.name) AND (affiliation = \(bind: r.affiliation) OR (affiliation IS NULL AND \(bind: r.affiliation) IS NULL))
                    ORDER BY id LIMIT 1
                    """).first()
                if let id = try row?.decode(column: "id", as: Int.self) { ids[key(r)] = id } else { missing.append(key(r)) }
            }
        }
        return (ids, missing)
    }

    /// Queries no speaker of the database answers (topics the sample site never covers,
    /// nonsense), for the false-answer rate.
    public struct NegativeSet: Decodable, Sendable {
        public struct Query: Decodable, Sendable {
            public var query: String
            public var note: String
        }

        public var queries: [Query]

        public static func load(_ url: URL) throws -> NegativeSet {
            try JSONDecoder().decode(NegativeSet.self, from: Data(contentsOf: url))
        }
    }

    /// How weak-match flagging does at one similarity floor, in one mode.
    public struct WeakScore: Sendable, Codable, Equatable {
        public var mode: SearchMode
        public var floor: Double
        /// Negative queries answered with at least one result not marked weak (a false answer).
        public var falseAnswers: Int
        public var negativeQueries: Int
        /// Golden queries whose every result is marked weak although a relevant speaker is among them.
        public var answersCalledWeak: Int
        /// Relevant results (grade 2) among the top ten, and how many of them are marked weak.
        public var relevantShown: Int
        public var relevantMarkedWeak: Int
        /// nDCG@10 over the golden queries counting weak results as not shown.
        public var ndcgWithoutWeak: Double

        enum CodingKeys: String, CodingKey {
            case mode, floor
            case falseAnswers = "false_answers", negativeQueries = "negative_queries", answersCalledWeak = "answers_called_weak"
            case relevantShown = "relevant_shown", relevantMarkedWeak = "relevant_marked_weak", ndcgWithoutWeak = "ndcg_without_weak"
        }

        public var falseAnswerRate: Double { Double(falseAnswers) / Double(max(negativeQueries, 1)) }
    }

    /// Weak-match flagging at each floor: false answers on the negative queries, and the
    /// golden set's relevant results it would mark weak. Queries run as `evaluate` runs them.
    public static func weakness(_ golden: GoldenSet, negatives: NegativeSet, database: any Database, hybrid: HybridSearch,
                                floors: [Double], modes: [SearchMode] = [.hybrid]) async throws -> [WeakScore] {
        let ids = try await speakerIDs(golden, database: database).ids
        var search = try RequestSearch(database: database, hybrid: hybrid)
        let parser = RequestParser()
        var scores: [WeakScore] = []
        for mode in modes {
            for floor in floors {
                search.weakFloor = floor
                var score = WeakScore(mode: mode, floor: floor, falseAnswers: 0, negativeQueries: negatives.queries.count,
                                      answersCalledWeak: 0, relevantShown: 0, relevantMarkedWeak: 0, ndcgWithoutWeak: 0)
                for query in negatives.queries {
                    let hits = try await search.search(parser.parse(query.query), mode: mode, limit: 10).outcome.hits
                    if hits.contains(where: { !$0.weak }) { score.falseAnswers += 1 }
                }
                var total = 0.0
                for query in golden.queries {
                    var grades: [Int: Int] = [:]
                    for r in query.relevant { if let id = ids[key(r)] { grades[id] = max(grades[id] ?? 0, r.grade) } }
                    let hits = try await search.search(parser.parse(query.query), mode: mode, limit: 10).outcome.hits
                    let relevant = hits.filter { (grades[$0.speaker.id] ?? 0) == 2 }
                    score.relevantShown += relevant.count
                    score.relevantMarkedWeak += relevant.filter(\.weak).count
                    if !hits.isEmpty && hits.allSatisfy(\.weak) && hits.contains(where: { grades[$0.speaker.id] != nil }) { score.answersCalledWeak += 1 }
                    total += ndcg(ranked: hits.filter { !$0.weak }.map(\.speaker.id), grades: grades, idealGrades: query.relevant.map(\.grade))
                }
                score.ndcgWithoutWeak = total / Double(max(golden.queries.count, 1))
                scores.append(score)
            }
        }
        return scores
    }
}
