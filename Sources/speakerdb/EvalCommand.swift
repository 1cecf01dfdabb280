import ArgumentParser
import Crawling
import Extraction
import FluentKit
import Foundation
import Logging
import Pipeline
import SpeakerCore
import Storage
import Web

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure extraction against sites with known speakers.",
        discussion: """
            DIR is a site folder with a truth.json, or a folder of such site folders (../shared/eval/dev). Each site is \
            served on loopback, crawled from its truth.json start_path into a fresh temporary database, extracted and \
            resolved; the export is scored with the measures of score.py: precision, recall and F1 of (speaker, event page) \
            pairs and of distinct people, duplicates, and the accuracy of title and affiliation.
            """)

    @ArgumentParser.Argument(help: "A site folder with truth.json, or a folder of them.") var directory: String
    @ArgumentParser.Option(help: "Only these sites (folder names).") var site: [String] = []
    @ArgumentParser.Flag(help: "Find event links automatically instead of using truth.json's event_url_pattern.") var autoDiscovery = false
    @ArgumentParser.Option(help: "Write each site's export to this folder (SITE.json), e.g. to check with score.py.") var keep: String?
    @ArgumentParser.Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let sites = try Self.siteFolders(directory).filter { site.isEmpty || site.contains(URL(fileURLWithPath: $0).lastPathComponent) }
        guard !sites.isEmpty else { CommandSupport.fail("no folder with a truth.json in \(directory)") }
        let settings = try CommandSupport.settings()
        AppLogging.bootstrapOnce(settings: settings)
        FileHandle.standardError.write(Data("speakerdb: \(LLMConfiguration.describe(settings: settings))\n".utf8))
        var scores: [EvalScore] = []
        for folder in sites {
            scores.append(try await evaluate(folder, settings: settings))
        }
        if json {
            try CommandSupport.printJSON(scores)
            return
        }
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        print(CommandSupport.table(
            ["SITE", "PAIR P", "PAIR R", "PAIR F1", "PEOPLE P", "PEOPLE R", "PEOPLE F1", "DUPLICATES", "MERGES", "WRONG MERGES", "TITLE ACC", "AFFIL ACC", "DB/TRUTH PEOPLE"],
            scores.map { [$0.site, f($0.pairPrecision), f($0.pairRecall), f($0.pairF1), f($0.speakerPrecision), f($0.speakerRecall),
                          f($0.speakerF1), "\($0.duplicates)", "\($0.merges ?? 0)", "\($0.wrongMerges ?? 0)", f($0.titleAccuracy), f($0.affiliationAccuracy), "\($0.databaseSpeakers)/\($0.truthSpeakers)"] }))
    }

    static func siteFolders(_ directory: String) throws -> [String] {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory + "/truth.json") { return [directory] }
        let entries = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        return entries.sorted().map { directory + "/" + $0 }.filter { manager.fileExists(atPath: $0 + "/truth.json") }
    }

    func evaluate(_ folder: String, settings: Settings) async throws -> EvalScore {
        let truthData = try Data(contentsOf: URL(fileURLWithPath: folder + "/truth.json"))
        guard let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: Any], let start = truth["start_path"] as? String else {
            CommandSupport.fail("\(folder)/truth.json has no start_path")
        }
        let name = URL(fileURLWithPath: folder).lastPathComponent
        let server = try await StaticSiteServer.start(directory: folder)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let logger = Logger(label: "speakerdb.eval")
        let context = try await StorageContext.open(.sqlite(path: temporary.appendingPathComponent("speakers.db").path), logger: logger)
        do {
            try await context.migrate()
            let pattern = autoDiscovery ? nil : truth["event_url_pattern"] as? String
            let source = try await SourceRepository(context.database).upsert(SourceSpec(url: server.baseURL + start, name: name, eventURLPattern: pattern))
            let fetchers = PipelineRunner.makeFetchers(settings: settings)
            let runner = PipelineRunner(storage: context, settings: settings, fetchers: fetchers, logger: logger)
            var options = PipelineRunner.Options()
            options.crawl.mode = .backfill
            options.crawl.maxPages = 200
            options.noDelayOnLoopback = true
            options.kind = "eval"
            let clock = ContinuousClock()
            let started = clock.now
            let report = try await runner.run(sources: [source], options: options)
            await fetchers.shutdown()
            var text = ""
            try await SpeakerExporter(context.database).export(format: .json) { text += $0 }
            if let keep {
                try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                try text.write(toFile: keep + "/\(name).json", atomically: true, encoding: .utf8)
            }
            let export = try JSONDecoder().decode(ExportDocument.self, from: Data(text.utf8))
            var score = EvalScorer.score(export: export, truth: truth)
            score.site = name
            let merges = try await SpeakerMerge.query(on: context.database).all().compactMap { merge -> (String, String)? in
                guard let snapshot = try? MergeSnapshot.decode(merge.snapshot) else { return nil }
                return (snapshot.keptBefore.name, snapshot.merged.name)
            }
            score.merges = merges.count
            score.wrongMerges = EvalScorer.wrongMerges(merges, truth: truth)
            let elapsed = clock.now - started
            FileHandle.standardError.write(Data("\(name): \(report.crawl.eventsFetched) pages crawled, \(report.extraction.people) appearances extracted in \(elapsed)\n".utf8))
            await context.shutdown()
            await server.stop()
            return score
        } catch {
            await context.shutdown()
            await server.stop()
            throw error
        }
    }
}
