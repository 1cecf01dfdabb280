import AsyncHTTPClient
import FluentKit
import Foundation
import HTMLParsing
import LLM
import Names
import Logging
import SQLKit
import SpeakerCore
import Storage

public struct ExtractionStats: Sendable, Codable, Equatable {
    public var events = 0
    public var withSpeakers = 0
    public var withoutSpeakers = 0
    public var failed = 0
    public var people = 0
    public var llmCalls = 0
    public var llmCacheHits = 0
    public var llmCostMicros = 0
    public var llmStoppedBecause: String?
    /// Pages not sent to the LLM because the offline chain was sure of them (`LLM_PAGES=unsure`).
    public var llmPagesSure = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case events, people, failed
        case withSpeakers = "with_speakers"
        case withoutSpeakers = "without_speakers"
        case llmCalls = "llm_calls"
        case llmCacheHits = "llm_cache_hits"
        case llmCostMicros = "llm_cost_micros"
        case llmStoppedBecause = "llm_stopped_because"
        case llmPagesSure = "llm_pages_sure"
    }
}

/// Spend of one run, checked before every LLM call so a cap stops LLM use cleanly.
public actor SpendBudget {
    public nonisolated let limitMicros: Int?
    /// Which cap `limitMicros` is, for the message when it is reached.
    public nonisolated let limitName: String
    public private(set) var spentMicros = 0

    public init(limitMicros: Int?, limitName: String = "--max-cost") {
        self.limitMicros = limitMicros
        self.limitName = limitName
    }

    /// The budget of one run or command: the smaller of its own cap (`--max-cost`, else
    /// `LLM_MAX_COST_USD`) and what the rolling 24-hour cap (`LLM_DAILY_MAX_COST_USD`, which
    /// spans runs, searches and commands) has left, counted from the recorded calls.
    public static func capped(runLimitMicros: Int?, dailyLimitMicros: Int?, alreadySpentInRun: Int = 0,
                              on db: any Database, now: Date = Date()) async throws -> SpendBudget {
        let run = runLimitMicros.map { max(0, $0 - alreadySpentInRun) }
        guard let daily = dailyLimitMicros else { return SpendBudget(limitMicros: run, limitName: "run cap of \(PriceTable.dollars(runLimitMicros ?? 0))") }
        let spentToday = try await StatsQueries(db).spentMicros(since: now.addingTimeInterval(-86_400))
        let left = max(0, daily - spentToday)
        if let run, run <= left { return SpendBudget(limitMicros: run, limitName: "run cap of \(PriceTable.dollars(runLimitMicros ?? 0))") }
        return SpendBudget(limitMicros: left, limitName: "daily cap of \(PriceTable.dollars(daily)) (LLM_DAILY_MAX_COST_USD; \(PriceTable.dollars(spentToday)) spent in the last 24 hours)")
    }

    public var exhausted: Bool {
        guard let limitMicros else { return false }
        return spentMicros >= limitMicros
    }

    public func add(_ micros: Int) {
        spentMicros += micros
    }
}

/// Extracts the speakers of stored event pages: the offline chain always, the LLM when one
/// is configured and the budget allows; stores the result and each event's state.
public final class ExtractionService: Sendable {
    let storage: StorageContext
    let chain: ExtractionChain
    let llm: LLMSpeakerExtractor?
    let budget: SpendBudget
    let logger: Logger
    let runID: Int?
    let methods: ExtractionMethods
    /// Which pages the LLM reads (`LLM_PAGES`).
    let llmPages: LLMPagePolicy

    public init(storage: StorageContext, chain: ExtractionChain = .offline(), llm: LLMSpeakerExtractor?, llmPages: LLMPagePolicy = .unsure,
                budget: SpendBudget = SpendBudget(limitMicros: nil), runID: Int? = nil, logger: Logger) {
        self.storage = storage
        self.llmPages = llmPages
        self.chain = chain
        self.llm = llm
        self.budget = budget
        self.runID = runID
        self.logger = logger
        self.methods = chain.methods
    }

    /// Events with a stored page whose extraction is due (queued or, with `reextract`, all),
    /// the oldest `limit` of them, in URL order. Speakers are created, and so numbered and
    /// matched, in the order pages are stored; a concurrent crawl stores pages in a
    /// different order on every run, and URL order makes the result the same every time.
    public func pendingEvents(sourceID: Int? = nil, limit: Int, reextract: Bool = false) async throws -> [Event] {
        var query = Event.query(on: storage.database).filter(\.$fetchState == ItemState.fetched.rawValue).filter(\.$bodyHash != nil)
        if !reextract { query = query.filter(\.$extractState == ItemState.queued.rawValue) }
        if let sourceID { query = query.filter(\.$source.$id == sourceID) }
        return try await query.sort(\.$id).limit(limit).all().sorted { ($0.url, $0.id ?? 0) < ($1.url, $1.id ?? 0) }
    }

    /// Events stored per write transaction. A batch's pages are parsed and run through
    /// the chain in parallel, then stored in one transaction (see `AppearanceWriter`).
    public static let batchSize = 64

    /// Extracts every given event; failures are recorded per event and the run goes on.
    public func run(_ events: [Event], progress: (@Sendable (Int, ExtractionStats) -> Void)? = nil) async -> ExtractionStats {
        let tracker = StatsBox()
        var done = 0
        // With an LLM, one page at a time: `--max-cost` is checked before every call and
        // must not be overrun by calls already in flight.
        var templates = TemplatePlan()
        for batch in events.chunked(into: llm == nil ? Self.batchSize : 1) {
            let chains = await chains(for: batch, plan: &templates)
            for outcome in await extract(batch: batch, chains: chains, siteWideLinks: templates.siteWideLinks) {
                await tracker.update { stats in
                    stats.events += 1
                    switch outcome {
                    case .stored(let people): if people > 0 { stats.withSpeakers += 1; stats.people += people } else { stats.withoutSpeakers += 1 }
                    case .failed: stats.failed += 1
                    }
                }
                done += 1
                progress?(done, await tracker.stats)
            }
        }
        var stats = await tracker.stats
        let usage = await llmUsage.snapshot()
        stats.llmCalls = usage.calls
        stats.llmCacheHits = usage.cacheHits
        stats.llmCostMicros = usage.costMicros
        stats.llmStoppedBecause = usage.stoppedBecause
        stats.llmPagesSure = usage.pagesSure
        return stats
    }

    public enum Outcome: Sendable, Equatable {
        case stored(people: Int)
        case failed(String)
    }

    let llmUsage = LLMUsage()

    public func extract(_ event: Event) async -> Outcome {
        var templates = TemplatePlan()
        let chains = await chains(for: [event], plan: &templates)
        return await extract(batch: [event], chains: chains, siteWideLinks: templates.siteWideLinks)[0]
    }

    /// What a run knows about its sources: the chains that use a template, the name links
    /// every page carries, and the sources already looked at (once per run and source).
    struct TemplatePlan {
        var chains: [Int: ExtractionChain] = [:]
        var siteWideLinks: [Int: Set<String>] = [:]
        var induced: Set<Int> = []
    }

    /// The chain for each source of the batch that has a template: the offline chain plus
    /// the template. The template is induced again from the source's stored pages the
    /// first time a run meets the source, so it follows the site as it changes; the same
    /// sample gives the source's site-wide name links, which link families ignore.
    func chains(for batch: [Event], plan: inout TemplatePlan) async -> [Int: ExtractionChain] {
        guard methods.contains(.templateInduction) || methods.contains(.linkFamilies) else { return [:] }
        let store = SiteTemplateStore(storage: storage)
        for sourceID in Set(batch.compactMap { $0.$source.id }) where !plan.induced.contains(sourceID) {
            plan.induced.insert(sourceID)
            do {
                let pages = try await store.sample(sourceID: sourceID)
                if methods.contains(.linkFamilies) { plan.siteWideLinks[sourceID] = LinkFamilyExtractor.siteWideLinks(in: pages) }
                guard methods.contains(.templateInduction), let template = try await store.induce(sourceID: sourceID, pages: pages) else { continue }
                logger.info("induced a site template", metadata: ["source": .stringConvertible(sourceID),
                                                                 "pages": .stringConvertible(template.pagesLearned),
                                                                 "name_path": .string(template.namePath.joined(separator: "/"))])
                var withTemplate = ExtractionChain(extractors: chain.extractors + [TemplateExtractor(template: template)])
                withTemplate.threshold = chain.threshold
                withTemplate.methods = chain.methods
                plan.chains[sourceID] = withTemplate
            } catch {
                logger.warning("site template unavailable", metadata: ["source": .stringConvertible(sourceID), "error": .string(StorageContext.describe(error))])
            }
        }
        return plan.chains
    }

    /// Extracts a batch: every page in parallel, then all results stored in one
    /// transaction. When that transaction fails, each event is stored on its own, so one
    /// bad event cannot cost the others their results; its own failure is recorded on it.
    func extract(batch: [Event], chains: [Int: ExtractionChain] = [:], siteWideLinks: [Int: Set<String>] = [:]) async -> [Outcome] {
        let results = await withTaskGroup(of: (Int, Result<ExtractionResult, ExtractionFailure>).self) { group in
            for (index, event) in batch.enumerated() {
                let chain = event.$source.id.flatMap { chains[$0] } ?? self.chain
                let ignored = event.$source.id.flatMap { siteWideLinks[$0] } ?? []
                group.addTask { (index, await self.compute(event, chain: chain, ignoringLinks: ignored)) }
            }
            var results = [Result<ExtractionResult, ExtractionFailure>](repeating: .failure(ExtractionFailure("not run")), count: batch.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        var outcomes = [Outcome](repeating: .failed("not run"), count: batch.count)
        var entries: [(index: Int, entry: AppearanceWriter.Entry)] = []
        for (index, (event, result)) in zip(batch, results).enumerated() {
            switch result {
            case .success(let extracted):
                entries.append((index, AppearanceWriter.Entry(eventID: event.id!, people: extracted.people, note: extracted.note)))
            case .failure(let failure):
                outcomes[index] = await fail(eventID: event.id, message: failure.message)
            }
        }
        let writer = AppearanceWriter(storage.database)
        do {
            try await writer.replace(entries.map(\.entry))
            for (index, entry) in entries { outcomes[index] = .stored(people: entry.people.count) }
        } catch {
            for (index, entry) in entries {
                do {
                    try await writer.replace([entry])
                    outcomes[index] = .stored(people: entry.people.count)
                } catch {
                    outcomes[index] = await fail(eventID: entry.eventID, message: StorageContext.describe(error))
                }
            }
        }
        return outcomes
    }

    func fail(eventID: Int?, message: String) async -> Outcome {
        guard let eventID else { return .failed(message) }
        logger.warning("extraction failed", metadata: ["event": .stringConvertible(eventID), "error": .string(message)])
        try? await AppearanceWriter.recordFailure(eventID: eventID, error: message, on: storage.database)
        return .failed(message)
    }

    /// Reads an event's stored page and runs the chain (and the LLM when configured).
    func compute(_ event: Event, chain: ExtractionChain, ignoringLinks: Set<String> = []) async -> Result<ExtractionResult, ExtractionFailure> {
        guard let eventID = event.id else { return .failure(ExtractionFailure("unsaved event")) }
        do {
            guard let hash = event.bodyHash, let body = try await PageBodyStore(storage.database).load(hash) else {
                throw ExtractionFailure("the event has no stored page")
            }
            let html = String(decoding: body, as: UTF8.self)
            guard let url = URL(string: event.url) else { throw ExtractionFailure("invalid URL") }
            let document: HTMLDocument
            do { document = try HTMLDocument(html: html, url: url) } catch { throw ExtractionFailure("the page is not HTML") }
            var input = ExtractionInput(document: document, url: url, language: event.language, eventTitle: event.title)
            if chain.methods.contains(.linkFamilies), let sourceID = event.$source.id {
                input.linkedPages = try await linkedPages(of: input, sourceID: sourceID, ignoring: ignoringLinks)
            }
            var result = chain.run(input)
            if let llm, await !llmUsage.disabled {
                if llmPages == .unsure && ExtractionChain.isSure(result) {
                    // Everyone came from the page's structure: the model would add cost, not people.
                    await llmUsage.sure()
                } else if let people = await llmPeople(llm, input: input, eventID: eventID) {
                    var all = result.people
                    all += people
                    var contributions = result.contributions
                    contributions["llm"] = people.count
                    let merged = ExtractionChain.merge(all, threshold: chain.threshold, eventTitle: event.title, contributions: contributions)
                    result = ExtractionResult(people: merged.people, contributions: contributions, note: merged.note, rejected: result.rejected + merged.rejected)
                }
            }
            return .success(result)
        } catch let failure as ExtractionFailure {
            return .failure(failure)
        } catch {
            return .failure(ExtractionFailure(StorageContext.describe(error)))
        }
    }

    /// The stored pages of the source that this page links to by a person's name (read
    /// by the crawl while discovering; nothing is fetched).
    func linkedPages(of input: ExtractionInput, sourceID: Int, ignoring: Set<String>) async throws -> [String: HTMLDocument] {
        let urls = LinkFamilyExtractor.nameLinks(in: input, detector: PersonNameDetector()).map(\.url).filter { !ignoring.contains($0) }
        guard !urls.isEmpty else { return [:] }
        let rows = try await CrawlPage.query(on: storage.database).filter(\.$source.$id == sourceID).filter(\.$url ~~ urls)
            .filter(\.$bodyHash != nil).all()
        let bodies = PageBodyStore(storage.database)
        var pages: [String: HTMLDocument] = [:]
        for row in rows {
            guard let hash = row.bodyHash, let body = try await bodies.load(hash), let url = URL(string: row.url),
                  let document = try? HTMLDocument(utf8: Array(body), url: url) else { continue }
            pages[row.url] = document
        }
        return pages
    }

    /// The model's people for a page, or nil when the LLM is off, over budget or failed
    /// (the offline result then stands alone and the event's note says so).
    func llmPeople(_ llm: LLMSpeakerExtractor, input: ExtractionInput, eventID: Int) async -> [ExtractedPerson]? {
        guard let main = input.main else { return [] }
        let storage = self.storage, budget = self.budget, usage = llmUsage, runID = self.runID
        var people: [ExtractedPerson] = []
        let parts = llm.chunks(main.visibleLines)
        if parts.count > llm.maxPartsPerPage {
            // A huge (or hostile) page would otherwise cost one call per part.
            logger.notice("page too long for the LLM: only its first parts are sent",
                          metadata: ["event": .stringConvertible(eventID), "parts": .stringConvertible(parts.count), "sent": .stringConvertible(llm.maxPartsPerPage)])
        }
        for part in parts.prefix(llm.maxPartsPerPage) {
            if await budget.exhausted {
                await usage.stop("the budget (\(budget.limitName)) is spent")
                return nil
            }
            do {
                people += try await llm.extract(
                    part: part, url: input.url.absoluteString, title: input.eventTitle,
                    cached: { key in
                        let hit = try? await LLMCacheEntry.find(key, on: storage.database)?.response
                        if hit != nil { await usage.cacheHit() }
                        return hit
                    },
                    store: { key, response in
                        try? await storage.database.writeTransaction { tx in
                            if try await LLMCacheEntry.find(key, on: tx) == nil {
                                try await LLMCacheEntry(key: key, response: response).create(on: tx)
                            }
                        }
                    },
                    record: { call in
                        let cost = await APICallRecorder(storage.database).record(call, purpose: "extract", runID: runID, eventID: eventID)
                        await budget.add(cost)
                        await usage.record(cost: cost)
                    })
            } catch {
                logger.warning("LLM extraction failed; offline result kept", metadata: ["event": .stringConvertible(eventID), "error": .string("\(error)")])
                if case LLMError.api(let status, _, _) = error, status == 401 || status == 403 {
                    await usage.stop("the LLM API refused the key (HTTP \(status))")
                }
                return nil
            }
        }
        return people
    }
}

struct ExtractionFailure: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}

actor StatsBox {
    private(set) var stats = ExtractionStats()
    func update(_ change: (inout ExtractionStats) -> Void) { change(&stats) }
}

/// LLM use during one run.
actor LLMUsage {
    private(set) var calls = 0
    private(set) var cacheHits = 0
    private(set) var costMicros = 0
    private(set) var stoppedBecause: String?
    private(set) var pagesSure = 0
    var disabled: Bool { stoppedBecause != nil }

    func record(cost: Int) {
        calls += 1
        costMicros += cost
    }

    func cacheHit() { cacheHits += 1 }
    func sure() { pagesSure += 1 }
    func stop(_ reason: String) { if stoppedBecause == nil { stoppedBecause = reason } }

    func snapshot() -> (calls: Int, cacheHits: Int, costMicros: Int, stoppedBecause: String?, pagesSure: Int) {
        (calls, cacheHits, costMicros, stoppedBecause, pagesSure)
    }
}

/// Writes one row per paid API call, with the usage and cost the response reported.
public struct APICallRecorder: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    /// Prices a call from the versioned price table and records it; returns its cost in
    /// micro-dollars. A failed write is logged by the database layer, never thrown: the
    /// call has been made and paid for either way.
    @discardableResult
    public func record(_ call: LLMCall, purpose: String, runID: Int?, eventID: Int? = nil) async -> Int {
        let cost = PriceTable.costMicros(model: call.model, inputTokens: call.inputTokens, outputTokens: call.outputTokens)
        try? await record(runID: runID, eventID: eventID, provider: call.provider, model: call.model, purpose: purpose,
                          inputTokens: call.inputTokens, outputTokens: call.outputTokens, costMicros: cost,
                          latency: call.latency, status: call.status)
        return cost
    }

    public func record(runID: Int?, eventID: Int?, provider: String, model: String, purpose: String, inputTokens: Int, outputTokens: Int,
                       costMicros: Int, latency: Duration, status: String) async throws {
        try await db.writeTransaction { tx in
            let call = APICall()
            call.$run.id = runID
            call.$event.id = eventID
            call.provider = provider
            call.model = model
            call.purpose = purpose
            call.inputTokens = inputTokens
            call.outputTokens = outputTokens
            call.costMicros = costMicros
            call.priceVersion = PriceTable.price(for: model) == nil ? "unpriced" : PriceTable.version
            call.latencyMilliseconds = Int(latency.inMilliseconds)
            call.status = status
            try await call.create(on: tx)
        }
    }
}

/// Builds the configured LLM client from settings, or nil when none is configured.
public enum LLMConfiguration {
    /// The extraction model of the configured provider, with `LLM_MAX_PARTS_PER_PAGE`; nil without one.
    public static func extractor(settings: Settings, http: HTTPClient) -> LLMSpeakerExtractor? {
        client(settings: settings, http: http).map { client in
            var extractor = LLMSpeakerExtractor(client: client)
            extractor.maxPartsPerPage = settings.llmMaxPartsPerPage
            return extractor
        }
    }

    public static func client(settings: Settings, http: HTTPClient) -> (any LLMClient)? {
        if let key = settings.anthropicAPIKey {
            return AnthropicClient(apiKey: key, model: settings.llmModel, baseURL: settings.anthropicBaseURL, http: http)
        }
        if let key = settings.openAIAPIKey {
            return OpenAIClient(apiKey: key, model: settings.llmModel, baseURL: settings.llmBaseURL, http: http)
        }
        if let base = settings.llmBaseURL {
            return OpenAIClient(apiKey: nil, model: settings.llmModel, baseURL: base, http: http)
        }
        return nil
    }

    /// One line for the CLI about which extraction runs.
    public static func describe(settings: Settings) -> String {
        if settings.anthropicAPIKey != nil { return "LLM: Anthropic (\(settings.llmModel ?? AnthropicClient.defaultModel)) with the offline extractors" }
        if settings.openAIAPIKey != nil { return "LLM: OpenAI (\(settings.llmModel ?? OpenAIClient.defaultModel)) with the offline extractors" }
        if let base = settings.llmBaseURL { return "LLM: OpenAI-compatible server at \(base) (\(settings.llmModel ?? OpenAIClient.defaultModel))" }
        return "offline extraction (no LLM configured: set ANTHROPIC_API_KEY, OPENAI_API_KEY or LLM_BASE_URL to add one)"
    }
}
