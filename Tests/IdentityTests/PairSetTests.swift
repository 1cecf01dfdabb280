import Foundation
import Identity
import SpeakerCore
import Testing

/// The labelled pair set (Resources/pairs.json, written for speakerdb: 250 pairs across
/// title variants, accents, CJK order, initials, nicknames, acronyms, homonyms, job
/// changes, handles and look-alike names).
struct PairSet: Decodable {
    struct Record: Decodable {
        var name: String
        var title: String?
        var affiliation: String?
        var bio: String?
        var links: [String]
        var events: [String]
        var co_speakers: [String]
    }

    struct Pair: Decodable {
        var id: String
        var category: String
        var same: Bool
        var a: Record
        var b: Record
    }

    var pairs: [Pair]

    static func load() throws -> PairSet {
        let url = try #require(Bundle.module.url(forResource: "pairs", withExtension: "json", subdirectory: "Resources"))
        return try JSONDecoder().decode(PairSet.self, from: Data(contentsOf: url))
    }

    static func record(_ record: Record, id: Int) -> IdentityRecord {
        IdentityRecord(id: id, name: record.name, title: record.title, affiliation: record.affiliation, bio: record.bio, links: record.links,
                       events: Set(record.events), coSpeakers: Set(record.co_speakers.map(TextNormalization.matchKey)))
    }
}

struct PairSetResult {
    var truePositives = 0, falsePositives = 0, falseNegatives = 0, reviewedTrue = 0, reviewedFalse = 0
    var errors: [String] = []
    var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    var recall: Double { Double(truePositives) / Double(truePositives + falseNegatives) }

    static func run(_ set: PairSet, scorer: PairScorer = PairScorer()) -> PairSetResult {
        var result = PairSetResult()
        for pair in set.pairs {
            let score = scorer.score(PairSet.record(pair.a, id: 1), PairSet.record(pair.b, id: 2))
            let decision = score.decision()
            switch (decision, pair.same) {
            case (.merge, true): result.truePositives += 1
            case (.merge, false):
                result.falsePositives += 1
                result.errors.append("WRONG MERGE \(pair.id) p=\(String(format: "%.3f", score.probability)) \(score.reasons)")
            case (.review, true):
                result.falseNegatives += 1
                result.reviewedTrue += 1
                result.errors.append("review (same) \(pair.id) p=\(String(format: "%.3f", score.probability)) \(score.reasons)")
            case (.separate, true):
                result.falseNegatives += 1
                result.errors.append("missed \(pair.id) p=\(String(format: "%.3f", score.probability)) \(score.reasons)")
            case (.review, false): result.reviewedFalse += 1
            case (.separate, false): break
            }
        }
        return result
    }
}

@Suite("Identity on the labelled pair set")
struct PairSetTests {
    @Test func automaticMergesArePreciseAndComplete() throws {
        let set = try PairSet.load()
        #expect(set.pairs.count >= 200)
        let categories = Set(set.pairs.map(\.category))
        for required in ["title_variant", "accents_transliteration", "cjk_order", "initials", "nickname", "acronym_affiliation",
                         "homonym", "job_change", "handle_vs_name"] {
            #expect(categories.contains(required), "the pair set has no \(required) pairs")
        }
        let result = PairSetResult.run(set)
        if ProcessInfo.processInfo.environment["SPEAKERDB_PAIR_REPORT"] != nil {
            for error in result.errors { print(error) }
        }
        print(String(format: "pair set: %d pairs, automatic-merge precision %.4f, recall %.4f (TP %d, FP %d, FN %d; %d true pairs sent to review, %d false pairs sent to review)",
                     set.pairs.count, result.precision, result.recall, result.truePositives, result.falsePositives, result.falseNegatives,
                     result.reviewedTrue, result.reviewedFalse))
        #expect(result.precision >= 0.99, "precision \(result.precision): \(result.errors.filter { $0.hasPrefix("WRONG") })")
        #expect(result.recall >= 0.90, "recall \(result.recall)")
    }
}
