import AsyncHTTPClient
import Crawling
import Embeddings
import Extraction
import FluentKit
import Foundation
import Identity
import Search
import LLM
import Logging
import SQLKit
import SpeakerCore
import Storage

/// The stages of a pipeline run, in the order they run.
public enum PipelineStage: String, CaseIterable, Sendable, Codable {
    case crawl, extract, resolve, enrich, embed

    /// Every stage.
    public static let all = Set(allCases)

    /// Stages named in a comma-separated list ("crawl,extract"); nil when a name is unknown
    /// or the list is empty.
    public static func parse(list: String) -> Set<PipelineStage>? {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let stages = names.compactMap(PipelineStage.init(rawValue:))
        return stages.isEmpty || stages.count != names.count ? nil : Set(stages)
    }
}

/// What one pipeline run did, stage by stage.
public struct PipelineReport: Sendable, Codable {
    public struct Stage: Sendable, Codable {
        public var name: String
        public var seconds: Double
        public var counts: [String: Int]
        public var errors: [String]

        public init(_ stage: PipelineStage, seconds: Double, counts: [String: Int], errors: [String]) {
            self.name = stage.rawValue
            self.seconds = seconds
            self.counts = counts
            self.errors = errors
        }
    }

    public var runID: Int?
    public var stages: [Stage] = []

    /// The report of `stage`, when it ran.
    public func stage(_ stage: PipelineStage) -> Stage? { stages.first { $0.name == stage.rawValue } }
    public var crawl = CrawlStats()
    public var extraction = ExtractionStats()
    public var resolution = ResolveReport()
    /// What the run spent on LLM calls, in micro-dollars: the sum of the calls recorded
    /// for it in `api_calls`, taken when the run ends.
    public var spentMicros = 0

    public init(runID: Int?) {
        self.runID = runID
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case stages, crawl, extraction, resolution
        case spentMicros = "spent_micros"
    }
}

/// The one pipeline — crawl, then the stages later capabilities add — used the same way
/// by the CLI, the scheduler and the admin "run now" button. Each run is recorded in
/// `pipeline_runs` with its per-stage figures.
public final class PipelineRunner: Sendable {
    let storage: StorageContext
    let settings: Settings
    let fetchers: FetcherSet
    let logger: Logger

    public init(storage: StorageContext, settings: Settings, fetchers: FetcherSet, logger: Logger) {
        self.storage = storage
        self.settings = settings
        self.fetchers = fetchers
        self.logger = logger
    }

    public struct Options: Sendable {
        public var crawl = CrawlOptions()
        public var noDelayOnLoopback = false
        public var trigger = "cli"
        public var kind = "pipeline"
        /// Which stages run.
        public var stages = PipelineStage.all
        /// Resolve every speaker instead of only those the run's extraction touched.
        public var resolveAll = false
        /// Re-extract events already extracted (after the extractors changed).
        public var reextract = false
        /// Most to spend on LLM calls in this run, in micro-dollars (nil: `LLM_MAX_COST_USD` or no limit).
        public var maxCostMicros: Int?
        /// Most events to extract in this run.
        public var extractLimit = 1_000_000
        /// Extract exactly these events (by id), due or not, instead of the pending ones.
        public var extractEvents: [Int]?
        /// Called once the run is recorded, with its id (the job worker links the run to its job).
        public var onRunStarted: (@Sendable (Int) async -> Void)?

        public init() {}
    }

    public static func makeFetchers(settings: Settings) -> FetcherSet {
        var http = HTTPFetcher.Configuration()
        http.readTimeout = .seconds(Int64(settings.crawlTimeoutSeconds))
        http.totalTimeout = .seconds(Int64(settings.crawlTimeoutSeconds * 2))
        http.maxBodyBytes = settings.crawlMaxPageBytes
        let addresses = addressPolicy(settings)
        http.addresses = addresses
        var browser = BrowserFetcher.Configuration(poolSize: settings.browserPoolSize, chromedriverPath: settings.chromedriverPath,
                                                   chromiumPath: settings.chromiumPath)
        browser.addresses = addresses
        browser.sandbox = BrowserFetcher.SandboxMode(rawValue: settings.browserSandbox) ?? .auto
        return FetcherSet(http: HTTPFetcher(configuration: http), browser: BrowserFetcher(configuration: browser))
    }

    /// Adds or updates the sources of `SOURCES_FILE`, when set.
    public static func syncSourcesFile(settings: Settings, storage: StorageContext) async throws {
        guard let path = settings.sourcesFile else { return }
        for spec in try SourcesFile.load(path: path) {
            try await SourceRepository(storage.database).upsert(spec)
        }
    }

    /// Which addresses the crawler and the photo fetcher may reach (`ALLOW_PRIVATE_ADDRESSES`).
    static func addressPolicy(_ settings: Settings) -> AddressPolicy {
        AddressPolicy(allowPrivate: settings.allowPrivateAddresses, allowedHosts: Set(settings.privateHostsAllowed))
    }

    /// Crawls the given sources (all unpaused ones when empty) and records the run.
    public func run(sources requested: [Source], options: Options,
                    progress: (@Sendable (CrawlProgress) -> Void)? = nil) async throws -> PipelineReport {
        _ = try? await RunReaper.markInterrupted(on: storage.database, processStart: false)
        let run = PipelineRun(kind: options.kind, trigger: options.trigger)
        try await storage.database.writeTransaction { try await run.create(on: $0) }
        var report = PipelineReport(runID: run.id)
        if let id = run.id { await options.onRunStarted?(id) }
        do {
            let sources = requested.isEmpty
                ? try await Source.query(on: storage.database).filter(\.$paused == false).sort(\.$id).all()
                : requested
            if options.stages.contains(.crawl) {
                try await crawlStage(sources: sources, options: options, report: &report, progress: progress)
            }
            try Task.checkCancellation()
            let lastAppearance = try await maxAppearanceID()
            if options.stages.contains(.extract) {
                try await extractStage(sources: requested.isEmpty ? [] : sources, options: options, runID: run.id, report: &report)
            }
            try Task.checkCancellation()
            if options.stages.contains(.resolve) {
                try await resolveStage(after: options.resolveAll ? nil : lastAppearance, report: &report)
            }
            try Task.checkCancellation()
            if options.stages.contains(.enrich) {
                try await enrichStage(runID: run.id, options: options, report: &report)
            }
            try Task.checkCancellation()
            if options.stages.contains(.embed) && settings.embeddingsEnabled {
                try await embedStage(runID: run.id, options: options, report: &report)
            }
            try await finish(run, report: &report, error: nil)
        } catch where Task.isCancelled || error is CancellationError {
            try? await finish(run, report: &report, error: "stopped before the end (the process was shutting down); the rest runs next time")
            throw CancellationError()
        } catch {
            try? await finish(run, report: &report, error: "\(error)")
            throw error
        }
        return report
    }

    func crawlStage(sources: [Source], options: Options, report: inout PipelineReport,
                    progress: (@Sendable (CrawlProgress) -> Void)?) async throws {
        let scheduler = HostScheduler(configuration: .init(perHost: settings.crawlConcurrencyPerHost, delay: settings.crawlDelay,
                                                           noDelayOnLoopback: options.noDelayOnLoopback))
        let crawler = Crawler(storage: storage, fetchers: fetchers, scheduler: scheduler, logger: logger, progress: progress)
        let clock = ContinuousClock()
        let started = clock.now
        var errors: [String] = []
        for source in sources {
            do {
                let stats = try await crawler.crawl(source, options: options.crawl)
                report.crawl.add(stats)
                logger.info("crawled source", metadata: ["source": .string(source.url), "fetched": .stringConvertible(stats.eventsFetched),
                                                        "failed": .stringConvertible(stats.eventsFailed),
                                                        "stopped": .string(stats.stoppedBecause ?? "-")])
            } catch where Task.isCancelled || error is CancellationError {
                throw CancellationError()
            } catch {
                errors.append("\(source.url): \(error)")
                logger.error("source failed", metadata: ["source": .string(source.url), "error": .string("\(error)")])
            }
        }
        report.stages.append(.init(.crawl, seconds: (clock.now - started).inSeconds, counts: [
            "sources": sources.count, "listing_pages": report.crawl.listingPages, "events_discovered": report.crawl.eventsDiscovered,
            "events_fetched": report.crawl.eventsFetched, "events_changed": report.crawl.eventsChanged,
            "events_failed": report.crawl.eventsFailed, "events_skipped": report.crawl.eventsSkipped,
        ], errors: errors))
    }

    /// Extracts the speakers of every stored page that is due (of the given sources, or all).
    func extractStage(sources: [Source], options: Options, runID: Int?, report: inout PipelineReport) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let llm = LLMConfiguration.extractor(settings: settings, http: http)
        let budget = try await SpendBudget.capped(runLimitMicros: options.maxCostMicros ?? settings.llmMaxCostMicros,
                                                  dailyLimitMicros: settings.llmDailyMaxCostMicros, on: storage.database)
        let service = ExtractionService(storage: storage, llm: llm, llmPages: settings.llmPages, budget: budget, runID: runID, logger: logger)
        var stats = ExtractionStats()
        let scopes: [Int?] = sources.isEmpty ? [nil] : sources.map(\.id)
        for scope in options.extractEvents == nil ? scopes : [nil] {
            let events = if let ids = options.extractEvents {
                ids.isEmpty ? [] : try await Event.query(on: storage.database).filter(\.$id ~~ ids).sort(\.$id).all()
            } else {
                try await service.pendingEvents(sourceID: scope, limit: options.extractLimit, reextract: options.reextract)
            }
            let part = await service.run(events)
            stats.events += part.events
            stats.withSpeakers += part.withSpeakers
            stats.withoutSpeakers += part.withoutSpeakers
            stats.failed += part.failed
            stats.people += part.people
            stats.llmCalls = part.llmCalls
            stats.llmCacheHits = part.llmCacheHits
            stats.llmCostMicros = part.llmCostMicros
            stats.llmStoppedBecause = part.llmStoppedBecause
        }
        try? await http.shutdown()
        report.extraction = stats
        var errors: [String] = []
        if let reason = stats.llmStoppedBecause { errors.append("LLM stopped: \(reason)") }
        report.stages.append(.init(.extract, seconds: (clock.now - started).inSeconds, counts: [
            "events": stats.events, "with_speakers": stats.withSpeakers, "without_speakers": stats.withoutSpeakers,
            "failed": stats.failed, "people": stats.people, "llm_calls": stats.llmCalls, "llm_cache_hits": stats.llmCacheHits,
            "llm_cost_micros": stats.llmCostMicros,
        ], errors: errors))
    }

    func maxAppearanceID() async throws -> Int {
        try await storage.sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM appearances").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Resolves identities: the speakers who gained appearances after `lastAppearance`
    /// against everyone (incremental), or all speakers when it is nil.
    func resolveStage(after lastAppearance: Int?, report: inout PipelineReport) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let resolver = SpeakerResolver(storage: storage, logger: logger)
        var focus: [Int]?
        if let lastAppearance {
            focus = try await storage.sql.raw("SELECT DISTINCT speaker_id FROM appearances WHERE id > \(bind: lastAppearance)").all()
                .map { try $0.decode(column: "speaker_id", as: Int.self) }
        }
        if focus?.isEmpty != true {
            report.resolution = try await resolver.resolve(speakerIDs: focus)
        }
        report.stages.append(.init(.resolve, seconds: (clock.now - started).inSeconds, counts: [
            "speakers_considered": focus?.count ?? report.resolution.speakers, "pairs_compared": report.resolution.pairsCompared,
            "merged": report.resolution.merged, "queued_for_review": report.resolution.queuedForReview,
        ], errors: []))
    }

    /// Enriches new and changed speakers, and those enriched longer ago than
    /// ENRICH_MAX_AGE_DAYS (oldest first), offline: tags, where they are based, languages.
    /// With an LLM configured, profiles are also read by the model (origin `llm`; gender only
    /// where the profile states it), within what is left of the run's spending limit.
    func enrichStage(runID: Int?, options: Options, report: inout PipelineReport) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let budget = try await remainingBudget(runID: runID, options: options)
        // Enrichment is derived data: a failure is recorded and the run goes on (what was
        // crawled, extracted and resolved stays; the speakers stay stale for the next run).
        var enriched = 0
        var errors: [String] = []
        let usedLLM = try await withHTTPClient { http in
            let llm = Self.llmEnricher(settings: settings, http: http, database: storage.database, budget: budget, runID: runID)
            do {
                enriched = try await EnrichmentRefresh.run(on: storage.database, maxAge: TimeInterval(settings.enrichMaxAgeDays) * 86_400, llm: llm)
            } catch where !(error is CancellationError) && !Task.isCancelled {
                logger.warning("enrichment stopped; the rest waits for the next run", metadata: ["error": .string("\(error)")])
                errors.append("enrichment stopped: \(error)")
            }
            return llm != nil
        }
        var counts = ["enriched": enriched]
        if usedLLM { counts["llm_spent_micros"] = await budget.spentMicros }
        // Photos: each new photo link is fetched once, checked and stored for the app to serve.
        var photoConfiguration = PhotoFetcher.Configuration()
        photoConfiguration.addresses = Self.addressPolicy(settings)
        let photos = PhotoFetcher(configuration: photoConfiguration)
        do {
            let outcome = try await photos.refresh(on: storage.database)
            counts["photos_stored"] = outcome.stored
            counts["photos_failed"] = outcome.failed
        } catch where !(error is CancellationError) && !Task.isCancelled {
            errors.append("photos stopped: \(error)")
        }
        await photos.shutdown()
        report.stages.append(.init(.enrich, seconds: (clock.now - started).inSeconds, counts: counts, errors: errors))
    }

    /// What is left of the run's spending limit (`--max-cost` or LLM_MAX_COST_USD) after
    /// the calls already recorded with the run.
    func remainingBudget(runID: Int?, options: Options) async throws -> SpendBudget {
        var spent = 0
        if let runID { spent = try await StatsQueries(storage.database).spentMicros(runIDs: [runID])[runID] ?? 0 }
        return try await SpendBudget.capped(runLimitMicros: options.maxCostMicros ?? settings.llmMaxCostMicros,
                                            dailyLimitMicros: settings.llmDailyMaxCostMicros, alreadySpentInRun: spent, on: storage.database)
    }

    /// The LLM enricher of the configured provider (nil without one): it stops asking once
    /// `budget` is spent, and records every call in api_calls with purpose `enrich`.
    public static func llmEnricher(settings: Settings, http: HTTPClient, database: any Database, budget: SpendBudget, runID: Int?) -> LLMEnricher? {
        LLMConfiguration.client(settings: settings, http: http).map { client in
            LLMEnricher(client: client, cache: LLMAnswerCache(database), allowed: { await !budget.exhausted }) { call in
                await budget.add(await APICallRecorder(database).record(call, purpose: "enrich", runID: runID))
            }
        }
    }

    /// The embeddings API embedder when EMBEDDINGS=openai (nil otherwise): it stops once
    /// `budget` is spent, and records every call in api_calls (purpose `embed` or `search`).
    public static func apiEmbedder(settings: Settings, http: HTTPClient, database: any Database, budget: SpendBudget, runID: Int?) -> APIEmbedder? {
        APIEmbedder.configured(settings: settings, http: http, allowed: { await !budget.exhausted }) { call, purpose in
            await budget.add(await APICallRecorder(database).record(call, purpose: purpose, runID: runID))
        }
    }

    /// Embeds the speakers whose text changed (or who have no vector yet) for semantic
    /// search, when the model files are installed; otherwise notes that it was skipped.
    func embedStage(runID: Int?, options: Options, report: inout PipelineReport) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        if settings.embeddingsAPI {
            // The embeddings API (EMBEDDINGS=openai): paid, so within what is left of the
            // run's budget, every call recorded with the run.
            let budget = try await remainingBudget(runID: runID, options: options)
            var errors: [String] = []
            var embedded = 0
            try await withHTTPClient { http in
                guard let embedder = Self.apiEmbedder(settings: settings, http: http, database: storage.database, budget: budget, runID: runID) else { return }
                do {
                    embedded = try await EmbeddingRefresh.run(on: storage.database, encoder: embedder)
                } catch where !(error is CancellationError) && !Task.isCancelled {
                    // Derived data: the speakers stay stale for the next run; the run goes on.
                    // An API's error message may quote the key: it never reaches the report.
                    errors.append(Redaction.scrub("embedding stopped: \(error)", secrets: settings.secretValues))
                    logger.warning("embeddings API failed; search ranks the stale speakers by words until the next run", metadata: ["error": "\(error)"])
                }
            }
            report.stages.append(.init(.embed, seconds: (clock.now - started).inSeconds,
                                       counts: ["embedded": embedded, "api_spent_micros": await budget.spentMicros], errors: errors))
            return
        }
        let location = ModelLocation(explicitPath: settings.modelDirectory)
        guard location.isAvailable else {
            logger.notice("embeddings skipped: the model is not installed (scripts/fetch-model.sh); search ranks by words only")
            report.stages.append(.init(.embed, seconds: 0, counts: ["embedded": 0, "model_missing": 1], errors: []))
            return
        }
        let embedded = try await EmbeddingRefresh.run(on: storage.database, encoder: MiniLMEncoder(location: location))
        report.stages.append(.init(.embed, seconds: (clock.now - started).inSeconds, counts: ["embedded": embedded], errors: []))
    }

    func finish(_ run: PipelineRun, report: inout PipelineReport, error: String?) async throws {
        if let id = run.id {
            report.spentMicros = try await StatsQueries(storage.database).spentMicros(runIDs: [id])[id] ?? 0
        }
        run.finishedAt = Date()
        run.status = error == nil ? "succeeded" : "failed"
        run.error = error.map { Redaction.scrub($0, secrets: settings.secretValues) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        run.stats = String(decoding: try encoder.encode(report), as: UTF8.self)
        try await storage.database.writeTransaction { try await run.save(on: $0) }
    }
}
