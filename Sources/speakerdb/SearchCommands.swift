import ArgumentParser
import AsyncHTTPClient
import Embeddings
import Extraction
import FluentKit
import LLM
import Pipeline
import Foundation
import Search
import SpeakerCore
import Storage

/// `speakerdb embed`: computes the sentence embeddings of speakers whose text changed (or
/// who have none) with the local all-MiniLM-L6-v2 model, or the embeddings API.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute the embeddings of new and changed speakers for semantic search (local all-MiniLM-L6-v2, or the API with EMBEDDINGS=openai).",
        discussion: """
            The model files come from scripts/fetch-model.sh (run by scripts/bootstrap.sh), in \
            $SPEAKERDB_MODEL_DIR or ~/.cache/speakerdb/models/all-MiniLM-L6-v2. With \
            EMBEDDINGS=openai the OpenAI embeddings API (or the OpenAI-compatible server at \
            LLM_BASE_URL) computes them instead, EMBEDDINGS_MODEL, every call recorded with its \
            cost and stopped at LLM_MAX_COST_USD or --max-cost. A speaker is embedded again \
            when its name, title, affiliation, bio or events change.
            """)

    @ArgumentParser.Option(help: "Most speakers to embed in this run.") var limit = 1_000_000
    @ArgumentParser.Option(help: "Speakers per batch (stored after each batch).") var batch = 64
    @ArgumentParser.Option(help: "The model folder (default: the SPEAKERDB_MODEL_DIR setting or the cache folder).") var modelDir: String?
    @ArgumentParser.Option(help: "With EMBEDDINGS=openai: most to spend, in US dollars (default: LLM_MAX_COST_USD).") var maxCost: Double?

    func run() async throws {
        guard limit >= 1, batch >= 1 else { throw ValidationError("--limit and --batch must be at least 1") }
        if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost must be 0 or more") }
        try await CommandSupport.withStorage { context, settings in
            let budget = try await SpendBudget.capped(runLimitMicros: maxCost.map { Int($0 * 1_000_000) } ?? settings.llmMaxCostMicros,
                                                     dailyLimitMicros: settings.llmDailyMaxCostMicros, on: context.database)
            let started = ContinuousClock.now
            let (done, encoder) = try await withHTTPClient { http -> (Int, any DocumentEmbedder) in
                let encoder: any DocumentEmbedder
                if let api = PipelineRunner.apiEmbedder(settings: settings, http: http, database: context.database, budget: budget, runID: nil) {
                    encoder = api
                    print("embedding with \(api.model) (every call recorded with its cost)")
                } else {
                    encoder = try MiniLMEncoder(location: ModelLocation(explicitPath: modelDir ?? settings.modelDirectory))
                }
                return (try await EmbeddingRefresh.run(on: context.database, encoder: encoder, limit: limit, batch: batch), encoder)
            }
            let store = try EmbeddingStore(context.database)
            let seconds = (ContinuousClock.now - started).inSeconds
            let total = try await store.status(model: encoder.model).count
            print(done == 0 ? "every speaker's embedding is up to date (\(total) stored)"
                  : String(format: "embedded %d speakers in %.1f s (%.1f per second); %d stored", done, seconds, Double(done) / max(seconds, 0.001), total))
            if encoder is APIEmbedder { print("API spend: \(PriceTable.dollars(await budget.spentMicros))") }
        }
    }
}

/// `speakerdb enrich`: tags, locations and languages of new, changed and stale speakers.
struct EnrichCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrich",
        abstract: "Enrich speakers offline: expertise tags, where they are based, languages (with provenance and confidence).",
        discussion: """
            Enriches speakers never enriched or changed since, then those enriched longer ago than \
            ENRICH_MAX_AGE_DAYS (or --max-age-days), oldest first. Values read from event pages, \
            bios and event languages are kept side by side; approved corrections are never touched.
            """)

    @ArgumentParser.Option(help: "Most speakers to enrich in this run.") var limit = 1_000_000
    @ArgumentParser.Option(help: "Re-enrich speakers whose enrichment is older than this many days (default: ENRICH_MAX_AGE_DAYS).") var maxAgeDays: Int?
    @ArgumentParser.Flag(help: "Re-enrich every speaker now.") var all = false
    @ArgumentParser.Flag(help: "Do not ask the configured LLM (it is asked by default when a key is set; every call is recorded with its cost).") var offline = false
    @ArgumentParser.Option(help: "Most to spend on LLM calls, in US dollars (default: LLM_MAX_COST_USD).") var maxCost: Double?

    func run() async throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        if let maxAgeDays, maxAgeDays < 0 { throw ValidationError("--max-age-days must be 0 or more") }
        if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost must be 0 or more") }
        try await CommandSupport.withStorage { context, settings in
            let started = ContinuousClock.now
            let age = all ? -1 : TimeInterval(maxAgeDays ?? settings.enrichMaxAgeDays) * 86_400
            let budget = try await SpendBudget.capped(runLimitMicros: maxCost.map { Int($0 * 1_000_000) } ?? settings.llmMaxCostMicros,
                                                     dailyLimitMicros: settings.llmDailyMaxCostMicros, on: context.database)
            let (done, usedLLM) = try await withHTTPClient { http in
                let llm = offline ? nil : PipelineRunner.llmEnricher(settings: settings, http: http, database: context.database, budget: budget, runID: nil)
                if llm != nil { print(LLMConfiguration.describe(settings: settings).replacingOccurrences(of: " with the offline extractors", with: "") + ", with offline enrichment") }
                return (try await EnrichmentRefresh.run(on: context.database, maxAge: age, limit: limit, llm: llm), llm != nil)
            }
            if usedLLM { print("LLM spend: \(PriceTable.dollars(await budget.spentMicros))") }
            let status = try await AttributeStore(context.database).status()
            let kinds = status.byKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print(String(format: "enriched %d speakers in %.1f s; %d enriched in all, %d waiting", done, (ContinuousClock.now - started).inSeconds,
                         status.enriched, status.pending))
            if !kinds.isEmpty { print("attributes: \(kinds)") }
        }
    }
}

/// `speakerdb search`: a name, topic or plain-English request; keyword, semantic or hybrid
/// ranking, constraints applied, with an explanation of the ranking.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find speakers by name, topic or plain-English request: hybrid (keyword and semantic, fused) by default.",
        discussion: """
            A request such as "3 speakers on the Chinese economy, ideally women based in Europe" is \
            parsed into a count, topic words and constraints (where speakers are based or spoke, \
            languages, role, event dates, affiliation, gender), each required or preferred; \
            --explain shows how each was applied. Without the embedding model or stored \
            embeddings (speakerdb embed) the ranking is keyword-only and says so.
            """)

    @ArgumentParser.Argument(help: "The query.") var query: [String]
    @ArgumentParser.Option(help: "hybrid, keyword or semantic.") var mode: String = SearchMode.hybrid.rawValue
    @ArgumentParser.Option(help: "How many results (a count in the request wins).") var limit = 10
    @ArgumentParser.Flag(help: "Show the parsed request and why each result ranks where it does.") var explain = false
    @ArgumentParser.Flag(help: "Print JSON.") var json = false
    @ArgumentParser.Option(help: "The model folder (default: the SPEAKERDB_MODEL_DIR setting or the cache folder).") var modelDir: String?

    func run() async throws {
        guard let mode = SearchMode(rawValue: mode) else { throw ValidationError("--mode must be hybrid, keyword or semantic") }
        guard (1...100).contains(limit) else { throw ValidationError("--limit must be 1 to 100") }
        let text = query.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("give a query") }
        try await CommandSupport.withStorage { context, settings in
            // EMBEDDINGS=openai: the query is embedded by the API (recorded with its cost).
            let (request, result) = try await withHTTPClient { http -> (SearchRequest, RequestOutcome) in
                let api = APIEmbedder.configured(settings: settings, http: http) { call, purpose in
                    await APICallRecorder(context.database).record(call, purpose: purpose, runID: nil)
                }
                var encoder: (any QueryEmbedder)?
                if mode != .keyword {
                    encoder = api ?? (try? MiniLMEncoder(location: ModelLocation(explicitPath: modelDir ?? settings.modelDirectory)))
                }
                var index: SemanticIndex?
                if let encoder { index = try await SemanticIndex.load(from: EmbeddingStore(context.database), for: encoder) }
                let hybrid = try HybridSearch(database: context.database, index: index, embedder: encoder)
                let request = await RequestParsing.parse(text, settings: settings, database: context.database, http: http)
                return (request, try await RequestSearch(database: context.database, hybrid: hybrid).search(request, mode: mode, limit: limit))
            }
            if json { return try CommandSupport.printJSON(result) }
            let outcome = result.outcome
            if explain {
                print("parsed (\(request.parser)): topic \(request.topic.isEmpty ? "(none)" : "\u{201C}\(request.topic)\u{201D}")\(request.count.map { ", count \($0)" } ?? "")")
                for report in result.constraints {
                    print("  \(report.strength == .required ? "required " : "preferred") \(report.kind): \(report.detail)\(report.applied ? "" : " [not applied]")")
                }
            }
            for note in outcome.notes { print("note: \(note)") }
            if outcome.hits.isEmpty { print("no speaker found") }
            for (offset, hit) in outcome.hits.enumerated() {
                let role = [hit.speaker.title, hit.speaker.affiliation].compactMap { $0 }.joined(separator: ", ")
                print("\(offset + 1). [\(hit.speaker.id)] \(hit.speaker.name)\(role.isEmpty ? "" : " — \(role)")")
                if explain {
                    let e = hit.explanation
                    var parts: [String] = []
                    if !request.topic.isEmpty {
                        if outcome.mode != .semantic { parts.append(e.keywordRank.map { "keyword #\($0)" } ?? "none of the words") }
                        if outcome.mode != .keyword {
                            parts.append(e.semanticRank.map { "semantic #\($0) (cosine \(String(format: "%.3f", e.cosine ?? 0)))" } ?? "not in the semantic top \(HybridSearch.depth)")
                        }
                    }
                    if !e.met.isEmpty { parts.append("meets: " + e.met.joined(separator: ", ")) }
                    if !e.missed.isEmpty { parts.append("misses: " + e.missed.joined(separator: ", ")) }
                    if !e.unknown.isEmpty { parts.append("unknown: " + e.unknown.joined(separator: ", ")) }
                    parts.append(String(format: "score %.4f", hit.score))
                    print("   " + parts.joined(separator: "; "))
                }
            }
        }
    }
}

/// Which parser reads a request: the LLM when one is configured (every call recorded in
/// api_calls with its cost), otherwise the offline parser.
enum RequestParsing {
    static func parse(_ text: String, settings: Settings, database: any Database, http: HTTPClient) async -> SearchRequest {
        guard let client = LLMConfiguration.client(settings: settings, http: http) else { return RequestParser().parse(text) }
        return await LLMRequestParser(client: client) { await APICallRecorder(database).record($0, purpose: "search", runID: nil) }.parse(text)
    }
}
