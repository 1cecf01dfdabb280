import Crawling
import Extraction
import FluentKit
import Foundation
import Logging
import Pipeline
import SpeakerCore
import Storage
import Web

/// Runs the real pipeline over one evaluation site and scores it.
///
/// The site's folder is served on loopback; the pipeline crawls it from its start page into
/// a fresh temporary SQLite database (with the site's event-link pattern, or without one),
/// extracts and resolves; the export is scored against the truth. A second, crawl-only run
/// in the other mode measures discovery reach both ways. Free-text pages are not
/// discovered: each labelled page is queued and read as an event page.
public struct EvalRunner: Sendable {
    public struct Options: Sendable {
        /// Crawl without the site's event-link pattern (discovery decides).
        public var noPattern = false
        /// Also measure reach in the other mode (a crawl-only run).
        public var measureBothReaches = true
        /// Most pages discovery reads on one site.
        public var maxPages = 3000
        /// Write each site's export here (SITE.json), e.g. to check with score.py.
        public var keep: String?
        public var explainDiscovery = false

        public init() {}
    }

    let settings: Settings
    let options: Options
    let logger: Logger

    public init(settings: Settings, options: Options, logger: Logger = Logger(label: "speakerdb.eval")) {
        var settings = settings
        // Evaluation crawls the sites it serves itself on loopback.
        settings.allowPrivateAddresses = true
        self.settings = settings
        self.options = options
        self.logger = logger
    }

    public func evaluate(site: CorpusManifest.Site, siteFolder: URL, truthFile: URL) async throws -> SiteResult {
        let truthData = try Data(contentsOf: truthFile)
        guard let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: Any] else {
            throw EvaluationError.badTruth("\(truthFile.path) is not a JSON object")
        }
        let truthPages = (truth["events"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        let pattern = site.eventURLPattern ?? truth["event_url_pattern"] as? String
        let start = site.startPath ?? truth["start_path"] as? String
        let server = try await StaticSiteServer.start(directory: siteFolder.path)
        do {
            let result = try await evaluate(site: site, server: server, truth: truth, truthPages: truthPages, pattern: pattern, start: start)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    func evaluate(site: CorpusManifest.Site, server: StaticSiteServer, truth: [String: Any], truthPages: [String], pattern: String?,
                  start: String?) async throws -> SiteResult {
        var result = SiteResult(site: site.id, kind: site.kind, split: site.split, generator: site.generator, truthPages: truthPages.count)
        let clock = ContinuousClock()
        let started = clock.now
        let main = try await run(site: site, base: server.baseURL, start: start, pattern: options.noPattern ? nil : pattern,
                                 truthPages: truthPages, stages: [.crawl, .extract, .resolve]) { context in
            var text = ""
            try await SpeakerExporter(context.database).export(format: .json) { text += $0 }
            if let keep = options.keep {
                try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                try text.write(toFile: keep + "/\(site.id).json", atomically: true, encoding: .utf8)
            }
            let export = try JSONDecoder().decode(ExportDocument.self, from: Data(text.utf8))
            var score = EvalScorer.score(export: export, truth: truth)
            score.site = site.id
            let merges = try await SpeakerMerge.query(on: context.database).all().compactMap { merge -> (String, String)? in
                guard let snapshot = try? MergeSnapshot.decode(merge.snapshot) else { return nil }
                return (snapshot.keptBefore.name, snapshot.merged.name)
            }
            score.merges = merges.count
            score.wrongMerges = EvalScorer.wrongMerges(merges, truth: truth)
            return score
        }
        result.seconds = (clock.now - started).inSeconds
        result.score = main.score
        result.storedPages = main.storedPages
        result.nonEventPagesStored = main.nonEventPages
        result.pagesRead = main.pagesRead
        result.pagesPerSecond = result.seconds > 0 ? Double(main.pagesRead) / result.seconds : 0
        result.discovery = options.explainDiscovery ? main.explanation : nil
        if site.kind == .conference {
            let usedPattern = !options.noPattern && pattern != nil
            if usedPattern { result.reachPattern = main.reach } else { result.reachAuto = main.reach }
            if options.measureBothReaches {
                if usedPattern {
                    result.reachAuto = try await run(site: site, base: server.baseURL, start: start, pattern: nil, truthPages: truthPages,
                                                     stages: [.crawl]) { _ in nil }.reach
                } else if let pattern {
                    result.reachPattern = try await run(site: site, base: server.baseURL, start: start, pattern: pattern, truthPages: truthPages,
                                                        stages: [.crawl]) { _ in nil }.reach
                }
            }
        }
        return result
    }

    struct RunOutcome {
        var score: EvalScore?
        var reach: Reach
        var storedPages: Int
        var nonEventPages: Int
        var pagesRead: Int
        var explanation: String?
    }

    /// One pipeline run in a fresh temporary database.
    func run(site: CorpusManifest.Site, base: String, start: String?, pattern: String?, truthPages: [String], stages: Set<PipelineStage>,
             score: (StorageContext) async throws -> EvalScore?) async throws -> RunOutcome {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let context = try await StorageContext.open(.sqlite(path: temporary.appendingPathComponent("speakers.db").path), logger: logger)
        let fetchers = PipelineRunner.makeFetchers(settings: settings)
        do {
            try await context.migrate()
            let sourceURL = base + (start ?? truthPages.first ?? "/")
            let source = try await SourceRepository(context.database).upsert(SourceSpec(url: sourceURL, name: site.id, eventURLPattern: pattern,
                                                                                        maxPages: options.maxPages))
            var runOptions = PipelineRunner.Options()
            runOptions.crawl.mode = .backfill
            runOptions.crawl.maxPages = options.maxPages
            runOptions.noDelayOnLoopback = true
            runOptions.kind = "eval"
            runOptions.stages = stages
            runOptions.crawl.ignoreRobots = site.ignoreRobots ?? false
            if site.kind == .freetext {
                // Hand-labelled pages are read as they are: no discovery.
                try await FrontierRepository(context.database).enqueueEvents(truthPages.map { base + $0 }, sourceID: source.id, via: "import")
                runOptions.crawl.discover = false
            }
            let report = try await PipelineRunner(storage: context, settings: settings, fetchers: fetchers, logger: logger)
                .run(sources: [source], options: runOptions)
            await fetchers.shutdown()
            let stored = try await Event.query(on: context.database).filter(\.$fetchState == ItemState.fetched.rawValue).all().map(\.url)
            let reach = Reach.measure(stored: stored, truthPages: truthPages)
            let explanation = try await Source.find(source.id, on: context.database)?.discoveryPlan.flatMap(DiscoveryPlan.decode)?.explanation()
            let outcome = RunOutcome(score: try await score(context), reach: reach, storedPages: stored.count,
                                     nonEventPages: stored.count - reach.reached,
                                     pagesRead: report.crawl.eventsFetched + report.crawl.listingPages, explanation: explanation)
            await context.shutdown()
            return outcome
        } catch {
            await fetchers.shutdown()
            await context.shutdown()
            throw error
        }
    }
}

/// Discovery reach: how many of the truth's event pages were stored.
public struct Reach: Sendable, Codable, Equatable {
    public var reached: Int
    public var pages: Int
    public var share: Double { pages == 0 ? 1 : Double(reached) / Double(pages) }

    /// Paths match as a static server answers them: "/a/" is "/a/index.html", "/a" is "/a.html".
    public static func measure(stored: [String], truthPages: [String]) -> Reach {
        var storedPaths = Set<String>()
        for url in stored {
            storedPaths.formUnion(EvalScorer.variants(EvalScorer.path(of: url)))
        }
        let reached = truthPages.filter { page in EvalScorer.variants(page).contains(where: storedPaths.contains) }.count
        return Reach(reached: reached, pages: truthPages.count)
    }
}
