import ArgumentParser
import Crawling
import Extraction
import FluentKit
import Foundation
import Logging
import LLM
import Pipeline
import SpeakerCore
import Storage

/// Options shared by `crawl` and `pipeline`.
struct CrawlArguments: ParsableArguments {
    @ArgumentParser.Option(help: "new: stop after listing pages with nothing new; backfill: keep going back in history.")
    var mode: String = "new"
    @ArgumentParser.Option(help: "Most event pages to fetch in this run.") var limit: Int?
    @ArgumentParser.Option(help: "Most pages to read while discovering event pages: listings, indexes and samples of each kind of page (default 500, or the source's own setting).") var maxPages: Int?
    @ArgumentParser.Flag(help: "Do not obey robots.txt (only for sites you may crawl regardless).") var ignoreRobots = false
    @ArgumentParser.Flag(help: "No politeness delay for loopback hosts (tests, benchmarks, the demo); ignored for other hosts.") var noDelay = false
    @ArgumentParser.Flag(help: "Re-check already fetched event pages with conditional requests.") var refresh = false
    @ArgumentParser.Flag(help: "Print the time and counts of each stage at the end.") var stats = false
    @ArgumentParser.Flag(help: "Print what discovery decided about each kind of page, and why (correct a wrong guess with --event-url-pattern).")
    var explainDiscovery = false

    func crawlOptions() throws -> CrawlOptions {
        guard let mode = CrawlOptions.Mode(rawValue: mode) else { throw ValidationError("--mode must be new or backfill") }
        var options = CrawlOptions()
        options.mode = mode
        options.limit = limit
        if let maxPages {
            guard maxPages >= 1 else { throw ValidationError("--max-pages must be at least 1") }
            options.maxPages = maxPages
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        options.ignoreRobots = ignoreRobots
        options.refresh = refresh
        return options
    }
}

/// Runs the pipeline with a live progress line on a terminal, plain log lines otherwise.
enum PipelineCLI {
    static func run(context: StorageContext, settings: Settings, sources: [Source], arguments: CrawlArguments, kind: String,
                    stages: Set<PipelineStage> = PipelineStage.all, maxCost: Double? = nil, reextract: Bool = false) async throws -> PipelineReport {
        let fetchers = PipelineRunner.makeFetchers(settings: settings)
        let runner = PipelineRunner(storage: context, settings: settings, fetchers: fetchers, logger: Logger(label: "speakerdb.pipeline"))
        var options = PipelineRunner.Options()
        options.crawl = try arguments.crawlOptions()
        options.noDelayOnLoopback = arguments.noDelay
        options.kind = kind
        options.stages = stages
        options.reextract = reextract
        options.maxCostMicros = maxCost.map { Int($0 * 1_000_000) }
        if stages.contains(.extract) {
            FileHandle.standardError.write(Data("speakerdb: \(LLMConfiguration.describe(settings: settings))\n".utf8))
        }
        let display = ProgressDisplay()
        let report: PipelineReport
        do {
            report = try await runner.run(sources: sources, options: options) { display.show($0) }
        } catch {
            await fetchers.shutdown()
            throw error
        }
        display.finish()
        await fetchers.shutdown()
        let crawl = report.crawl
        if stages.contains(.crawl) {
            print("crawled: \(crawl.listingPages) listing pages, \(crawl.eventsDiscovered) new event links, \(crawl.eventsFetched) event pages fetched (\(crawl.eventsChanged) new or changed, \(crawl.eventsNotModified) unchanged), \(crawl.eventsFailed) failed, \(crawl.eventsSkipped) skipped")
            for (host, reason) in crawl.hostsSwitchedToBrowser { print("  \(host) now uses the browser: \(reason)") }
            if arguments.explainDiscovery {
                let explained = sources.isEmpty ? try await Source.query(on: context.database).filter(\.$paused == false).sort(\.$id).all() : sources
                for source in explained {
                    let current = try await Source.find(source.id, on: context.database) ?? source
                    print("\ndiscovery for \(current.url):")
                    print(DiscoveryPlan.decode(current.discoveryPlan)?.explanation() ?? "nothing decided yet")
                }
            }
        }
        if stages.contains(.extract) {
            let x = report.extraction
            print("extracted: \(x.events) event pages, \(x.people) appearances on \(x.withSpeakers) pages, \(x.withoutSpeakers) pages with no speakers, \(x.failed) failed")
            if x.llmCalls > 0 || x.llmCacheHits > 0 {
                print("  LLM: \(x.llmCalls) calls, \(x.llmCacheHits) answers from the cache, \(PriceTable.dollars(x.llmCostMicros)) spent")
            }
            if let reason = x.llmStoppedBecause { print("  LLM stopped for the rest of the run: \(reason)") }
        }
        if stages.contains(.resolve) {
            let r = report.resolution
            print("resolved: \(r.pairsCompared) candidate pairs compared, \(r.merged) merged, \(r.queuedForReview) sent to review (speakerdb speakers review)")
        }
        if let enrich = report.stage(.enrich) {
            print("enriched: \(enrich.counts["enriched"] ?? 0) new, changed or stale speakers (tags, where based, languages)")
        }
        if let embed = report.stage(.embed) {
            print(embed.counts["model_missing"] != nil
                  ? "embedded: nothing (the embedding model is not installed: scripts/fetch-model.sh); search ranks by words only"
                  : "embedded: \(embed.counts["embedded"] ?? 0) new or changed speakers for semantic search")
        }
        if arguments.stats {
            print("\nstage      seconds  counts")
            for stage in report.stages {
                let counts = stage.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                print(String(format: "%-9@ %8.2f  %@", stage.name as NSString, stage.seconds, counts as NSString))
                for error in stage.errors { print("  error: \(error)") }
            }
            if let id = report.runID { print("(run \(id); speakerdb runs show \(id) for details)") }
        }
        return report
    }
}

/// One status line, redrawn in place on a terminal; a log line every few seconds otherwise.
final class ProgressDisplay: @unchecked Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastLog = Date.distantPast
    private let lock = NSLock()
    private var drew = false

    func show(_ progress: CrawlProgress) {
        lock.lock()
        defer { lock.unlock() }
        let stats = progress.stats
        let rate = progress.elapsed > 0 ? Double(stats.eventsFetched) / progress.elapsed : 0
        let eta = rate > 0 ? String(format: "%.0fs", Double(progress.queued) / rate) : "?"
        let line = String(format: "%@ | %@ | %d pages/s=%.1f | fetched %d | queued %d | failed %d | ETA %@",
                          String(progress.source.prefix(40)) as NSString, progress.phase as NSString, stats.listingPages + stats.eventsFetched,
                          rate, stats.eventsFetched, progress.queued, stats.eventsFailed, eta as NSString)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            drew = true
        } else if Date().timeIntervalSince(lastLog) >= 5 || progress.phase == "done" {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            lastLog = Date()
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal && drew { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Crawl sources: walk listing pages, then fetch every event page that is due.",
        discussion: "Resumable: an interrupted crawl continues where it stopped; fetched pages are not fetched again (use --refresh to re-check them with conditional requests).")

    @ArgumentParser.Option(help: "Only this source (id or URL); default: every active source.") var source: String?
    @ArgumentParser.Flag(help: "Put failed event pages back in the queue first.") var retryFailed = false
    @OptionGroup var arguments: CrawlArguments

    func run() async throws {
        try await CommandSupport.withStorage { context, settings in
            try await PipelineRunner.syncSourcesFile(settings: settings, storage: context)
            var sources: [Source] = []
            if let source {
                guard let found = try await SourceRepository(context.database).find(source) else { CommandSupport.fail("there is no source \(source)") }
                sources = [found]
            }
            if retryFailed {
                let count = try await FrontierRepository(context.database).retryFailed(sourceID: sources.first?.id)
                print("\(count) failed event pages queued again")
            }
            _ = try await PipelineCLI.run(context: context, settings: settings, sources: sources, arguments: arguments, kind: "crawl", stages: [.crawl])
        }
    }
}

struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Crawl a source and process what it found (crawl → extract → resolve → enrich → embed).",
        discussion: "Adds the source if it is new. Without --source, runs every active source.")

    @ArgumentParser.Option(help: "The listing page to start from (added as a source if new).") var source: String?
    @ArgumentParser.Option(help: "Regular expression matched against event page URL paths.") var eventURLPattern: String?
    @ArgumentParser.Option(help: "http, browser or auto.") var fetcher: String = "auto"
    @ArgumentParser.Option(help: "Most to spend on LLM calls in this run, in US dollars; then extraction continues offline.") var maxCost: Double?
    @ArgumentParser.Flag(help: "Extract again events already extracted.") var reextract = false
    @ArgumentParser.Option(help: "Which stages to run, comma-separated: crawl, extract, resolve, enrich, embed (embed: when EMBEDDINGS=auto and the model is installed).") var stages = "crawl,extract,resolve,enrich,embed"
    @OptionGroup var arguments: CrawlArguments

    func run() async throws {
        guard let choice = FetcherChoice(rawValue: fetcher) else { throw ValidationError("--fetcher must be http, browser or auto") }
        guard let stageSet = PipelineStage.parse(list: stages) else {
            throw ValidationError("--stages takes crawl, extract, resolve, enrich and embed, comma-separated")
        }
        try await CommandSupport.withStorage { context, settings in
            try await PipelineRunner.syncSourcesFile(settings: settings, storage: context)
            var sources: [Source] = []
            if let source {
                sources = [try await SourceRepository(context.database).upsert(
                    SourceSpec(url: source, eventURLPattern: eventURLPattern, fetcher: choice, maxPages: arguments.maxPages))]
            }
            _ = try await PipelineCLI.run(context: context, settings: settings, sources: sources, arguments: arguments, kind: "pipeline",
                                          stages: stageSet, maxCost: maxCost, reextract: reextract)
        }
    }
}
