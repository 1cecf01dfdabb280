import ArgumentParser
import Embeddings
import Foundation
import Logging
import Search
import SpeakerCore
import Storage

/// nDCG@10 of keyword, semantic and hybrid search on the golden set, over a database built
/// from the bundled sample site (`scripts/demo.sh`, or the pipeline on SampleSite/).
struct QualityBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Search quality: nDCG@10 of keyword, semantic and hybrid search on the golden set.",
        discussion: """
            Reads the database in --data-dir (the demo's ./data after scripts/demo.sh), enriches \
            and embeds whatever is stale, then runs every golden query in every mode exactly as \
            `speakerdb search` does and prints mean nDCG@10 per mode and per kind of query.
            """)

    @ArgumentParser.Option(help: "The data folder holding speakers.db.") var dataDir = "./data"
    @ArgumentParser.Option(help: "The golden set.") var golden = "Tests/SearchTests/Fixtures/golden-queries.json"
    @ArgumentParser.Option(help: "Queries nobody answers, for the false-answer rate of weak-match flagging.")
    var negatives = "Tests/SearchTests/Fixtures/negative-queries.json"
    @ArgumentParser.Option(parsing: .upToNextOption, help: "Similarity floors to compare for weak matches (default: the one in use).")
    var floors: [Double] = []
    @ArgumentParser.Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let dbPath = (dataDir as NSString).appendingPathComponent("speakers.db")
        guard FileManager.default.fileExists(atPath: dbPath) else { throw ValidationError("no database at \(dbPath): run scripts/demo.sh first") }
        let encoder: MiniLMEncoder
        do {
            encoder = try MiniLMEncoder(location: ModelLocation())
        } catch {
            throw ValidationError("the embedding model is needed to compare the modes: \(error)")
        }
        let context = try await StorageContext.open(.sqlite(path: dbPath), logger: Logger(label: "bench"))
        try await context.migrate()
        _ = try await EnrichmentRefresh.run(on: context.database, maxAge: 30 * 86_400)
        _ = try await EmbeddingRefresh.run(on: context.database, encoder: encoder)
        let index = try await SemanticIndex.load(from: EmbeddingStore(context.database))
        let set = try SearchQuality.GoldenSet.load(URL(fileURLWithPath: golden))
        let hybrid = try HybridSearch(database: context.database, index: index, embedder: encoder)
        let scores = try await SearchQuality.evaluate(set, database: context.database, hybrid: hybrid)
        let negativeSet = try SearchQuality.NegativeSet.load(URL(fileURLWithPath: negatives))
        let weak = try await SearchQuality.weakness(set, negatives: negativeSet, database: context.database, hybrid: hybrid,
                                                    floors: floors.isEmpty ? [HybridSearch.weakCosine] : floors, modes: [.hybrid, .keyword])
        await context.shutdown()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(scores), as: UTF8.self))
            print(String(decoding: try encoder.encode(weak), as: UTF8.self))
            return
        }
        let kinds = Array(Set(scores.flatMap(\.byKind.keys))).sorted()
        let counts = Dictionary(grouping: set.queries, by: \.kind).mapValues(\.count)
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        let columns = ["all (\(set.queries.count))"] + kinds.map { "\($0) (\(counts[$0] ?? 0))" }
        print("nDCG@10, mean over the golden set's queries")
        print(pad("mode", 10) + columns.map { pad($0, 18) }.joined())
        for score in scores {
            let values = [score.ndcg] + kinds.map { score.byKind[$0] ?? 0 }
            print(pad(score.mode.rawValue, 10) + values.map { pad(String(format: "%.3f", $0), 18) }.joined())
        }
        print("\nweak matches (\(negativeSet.queries.count) negative queries, \(set.queries.count) golden queries)")
        print(pad("mode", 10) + pad("floor", 8) + pad("false answers", 16) + pad("answers called weak", 22) + pad("relevant marked weak", 23) + "nDCG@10 without weak")
        for score in weak {
            print(pad(score.mode.rawValue, 10) + pad(String(format: "%.2f", score.floor), 8)
                  + pad("\(score.falseAnswers)/\(score.negativeQueries)", 16) + pad("\(score.answersCalledWeak)/\(set.queries.count)", 22)
                  + pad("\(score.relevantMarkedWeak)/\(score.relevantShown)", 23) + String(format: "%.3f", score.ndcgWithoutWeak))
        }
        if let missing = scores.first?.missingSpeakers, !missing.isEmpty {
            print("relevant speakers not in this database (counted as unfound): \(missing.joined(separator: ", "))")
        }
    }
}
