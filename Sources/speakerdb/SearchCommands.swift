import ArgumentParser
import Embeddings
import Foundation
import Search
import SpeakerCore
import Storage

/// `speakerdb embed`: computes the sentence embeddings of speakers whose text changed (or
/// who have none) with the local all-MiniLM-L6-v2 model.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute the embeddings of new and changed speakers for semantic search (local all-MiniLM-L6-v2).",
        discussion: """
            The model files come from scripts/fetch-model.sh (run by scripts/bootstrap.sh), in \
            $SPEAKERDB_MODEL_DIR or ~/.cache/speakerdb/models/all-MiniLM-L6-v2. A speaker is \
            embedded again when its name, title, affiliation, bio or events change.
            """)

    @ArgumentParser.Option(help: "Most speakers to embed in this run.") var limit = 1_000_000
    @ArgumentParser.Option(help: "Speakers per batch (stored after each batch).") var batch = 64
    @ArgumentParser.Option(help: "The model folder (default: the SPEAKERDB_MODEL_DIR setting or the cache folder).") var modelDir: String?

    func run() async throws {
        guard limit >= 1, batch >= 1 else { throw ValidationError("--limit and --batch must be at least 1") }
        try await CommandSupport.withStorage { context, settings in
            let encoder: MiniLMEncoder
            do {
                encoder = try MiniLMEncoder(location: ModelLocation(explicitPath: modelDir ?? settings.modelDirectory))
            } catch {
                CommandSupport.fail("\(error)")
            }
            let started = ContinuousClock.now
            let done = try await EmbeddingRefresh.run(on: context.database, encoder: encoder, limit: limit, batch: batch)
            let store = try EmbeddingStore(context.database)
            let seconds = (ContinuousClock.now - started).inSeconds
            let total = try await store.status(model: MiniLMEncoder.modelID).count
            print(done == 0 ? "every speaker's embedding is up to date (\(total) stored)"
                  : String(format: "embedded %d speakers in %.1f s (%.1f per second); %d stored", done, seconds, Double(done) / max(seconds, 0.001), total))
        }
    }
}

/// `speakerdb search`: keyword, semantic or hybrid search, with an explanation of the ranking.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find speakers by words or meaning: hybrid (keyword and semantic, fused) by default.",
        discussion: "Without the embedding model or stored embeddings (speakerdb embed) the search is keyword-only and says so.")

    @ArgumentParser.Argument(help: "The query.") var query: [String]
    @ArgumentParser.Option(help: "hybrid, keyword or semantic.") var mode: String = SearchMode.hybrid.rawValue
    @ArgumentParser.Option(help: "How many results.") var limit = 10
    @ArgumentParser.Flag(help: "Show why each result ranks where it does.") var explain = false
    @ArgumentParser.Flag(help: "Print JSON.") var json = false
    @ArgumentParser.Option(help: "The model folder (default: the SPEAKERDB_MODEL_DIR setting or the cache folder).") var modelDir: String?

    func run() async throws {
        guard let mode = SearchMode(rawValue: mode) else { throw ValidationError("--mode must be hybrid, keyword or semantic") }
        guard (1...100).contains(limit) else { throw ValidationError("--limit must be 1 to 100") }
        let text = query.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("give a query") }
        try await CommandSupport.withStorage { context, settings in
            let encoder = mode == .keyword ? nil : try? MiniLMEncoder(location: ModelLocation(explicitPath: modelDir ?? settings.modelDirectory))
            let index = encoder == nil ? nil : try await SemanticIndex.load(from: EmbeddingStore(context.database))
            let outcome = try await HybridSearch(database: context.database, index: index, embedder: encoder)
                .search(text, mode: mode, limit: limit)
            if json { return try CommandSupport.printJSON(outcome) }
            for note in outcome.notes { print("note: \(note)") }
            if outcome.hits.isEmpty { print("no speaker found") }
            for (offset, hit) in outcome.hits.enumerated() {
                let role = [hit.speaker.title, hit.speaker.affiliation].compactMap { $0 }.joined(separator: ", ")
                print("\(offset + 1). [\(hit.speaker.id)] \(hit.speaker.name)\(role.isEmpty ? "" : " — \(role)")")
                if explain {
                    let e = hit.explanation
                    var parts: [String] = []
                    if outcome.mode != .semantic { parts.append(e.keywordRank.map { "keyword #\($0)" } ?? "none of the words") }
                    if outcome.mode != .keyword {
                        parts.append(e.semanticRank.map { "semantic #\($0) (cosine \(String(format: "%.3f", e.cosine ?? 0)))" } ?? "not in the semantic top \(HybridSearch.depth)")
                    }
                    parts.append(String(format: "score %.4f", hit.score))
                    print("   " + parts.joined(separator: "; "))
                }
            }
        }
    }
}
