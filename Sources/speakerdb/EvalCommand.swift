import ArgumentParser
import Evaluation
import Extraction
import Foundation
import Logging
import SpeakerCore
import Web

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure discovery and extraction against sites with known speakers.",
        discussion: """
            With --manifest, every site of the corpus manifest (corpus/manifest.json after corpus/rebuild.py) in the \
            chosen split; with DIR, a site folder holding a truth.json, or a folder of such folders (../shared/eval/dev). \
            Each site is served on loopback and the real pipeline runs over it into a fresh temporary database: crawl \
            from the start page (with the site's event-link pattern, or with --no-pattern without it), extract, resolve. \
            Free-text pages are read as event pages without discovery. Prints per site and pooled: pair and people \
            precision, recall and F1, title and affiliation accuracy, duplicates, discovery reach with and without the \
            pattern, pages per second and peak memory; writes the figures as JSON for --compare.
            """)

    @ArgumentParser.Argument(help: "A site folder with truth.json, or a folder of them (instead of --manifest).") var directory: String?
    @ArgumentParser.Option(help: "The corpus manifest.") var manifest: String?
    @ArgumentParser.Option(help: "Which sites of the manifest: dev, validation or all.") var split: String = "dev"
    @ArgumentParser.Option(help: "Only these sites (ids or folder names).") var site: [String] = []
    @ArgumentParser.Flag(help: "Crawl without the sites' event-link patterns: discovery decides.") var noPattern = false
    @ArgumentParser.Flag(help: "The same as --no-pattern (older name).") var autoDiscovery = false
    @ArgumentParser.Flag(help: "Skip the second, crawl-only run that measures reach in the other mode.") var oneReach = false
    @ArgumentParser.Option(help: "Most pages discovery reads on one site.") var maxPages = 3000
    @ArgumentParser.Option(help: "Write each site's export to this folder (SITE.json), e.g. to check with score.py.") var keep: String?
    @ArgumentParser.Option(help: "Write the JSON report here (default: DATA_DIR/eval/report-DATE.json).") var report: String?
    @ArgumentParser.Option(help: "An earlier report: print what got better and worse, site by site.") var compare: String?
    @ArgumentParser.Flag(help: "Print what discovery decided on each site and why.") var explainDiscovery = false
    @ArgumentParser.Flag(help: "Print the report as JSON instead of tables.") var json = false
    @ArgumentParser.Option(help: "Switch extraction methods off, to measure what each adds (comma-separated: template-induction, heading-bio, label-filter, link-families, prose-cues, bylines).")
    var without: String?
    @ArgumentParser.Option(help: "Switch opt-in extraction methods on (comma-separated: bylines).")
    var with: String?

    func run() async throws {
        let methods: ExtractionMethods
        do {
            methods = try ExtractionMethods.defaults(with: with ?? "", without: without ?? "")
        } catch {
            throw ValidationError("\(error)")
        }
        try await ExtractionMethods.$enabled.withValue(methods) { try await evaluate(methods: methods) }
    }

    func evaluate(methods: ExtractionMethods) async throws {
        let settings = try CommandSupport.settings()
        AppLogging.bootstrapOnce(settings: settings)
        let (corpus, sites) = try selectSites()
        guard !sites.isEmpty else { CommandSupport.fail("no sites to evaluate (split \(split), sites \(site))") }
        FileHandle.standardError.write(Data("speakerdb: \(LLMConfiguration.describe(settings: settings))\n".utf8))
        var options = EvalRunner.Options()
        options.noPattern = noPattern || autoDiscovery
        options.measureBothReaches = !oneReach
        options.maxPages = maxPages
        options.keep = keep
        options.explainDiscovery = explainDiscovery
        let runner = EvalRunner(settings: settings, options: options)
        let clock = ContinuousClock()
        let started = clock.now
        var results: [SiteResult] = []
        for entry in sites {
            let folders: (site: URL, truth: URL)
            do {
                folders = try corpus.folders(of: entry)
            } catch {
                CommandSupport.fail("\(error)")
            }
            do {
                let result = try await runner.evaluate(site: entry, siteFolder: folders.site, truthFile: folders.truth)
                FileHandle.standardError.write(Data(String(format: "%@: %d pages read, pair F1 %.3f, %.1f s\n", entry.id, result.pagesRead,
                                                           result.score?.pairF1 ?? 0, result.seconds).utf8))
                if let discovery = result.discovery { FileHandle.standardError.write(Data((discovery + "\n").utf8)) }
                results.append(result)
            } catch {
                // One broken site is reported, not fatal: the rest are still measured.
                var failed = SiteResult(site: entry.id, kind: entry.kind, split: entry.split, generator: entry.generator, truthPages: 0)
                failed.error = "\(error)"
                FileHandle.standardError.write(Data("\(entry.id): failed: \(error)\n".utf8))
                results.append(failed)
            }
        }
        var report = EvalReport(commit: Self.gitCommit(), manifest: manifest ?? directory, split: split, noPattern: options.noPattern,
                                sites: results, seconds: (clock.now - started).inSeconds, peakMemoryBytes: EvalReport.peakMemory())
        if methods != .defaults {
            report.methodsOff = ExtractionMethods.names.filter { ExtractionMethods.defaults.contains($0.1) && !methods.contains($0.1) }.map(\.0)
            report.methodsOn = ExtractionMethods.names.filter { ExtractionMethods.optIn.contains($0.1) && methods.contains($0.1) }.map(\.0)
        }
        let path = self.report ?? settings.dataDirectory + "/eval/report-\(Self.stamp()).json"
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try report.json().write(to: URL(fileURLWithPath: path))
        if json {
            print(String(decoding: try report.json(), as: UTF8.self))
        } else {
            print(Self.render(report))
            print("report written to \(path)")
        }
        if let compare {
            let old = try EvalReport.load(compare)
            print(Self.render(changes: EvalComparison.changes(from: old, to: report), against: compare))
        }
    }

    /// The manifest's sites in the chosen split, or the folders of DIR.
    func selectSites() throws -> (CorpusManifest, [CorpusManifest.Site]) {
        var corpus: CorpusManifest
        if let manifest {
            corpus = try CorpusManifest.load(manifest)
        } else if let directory {
            let manager = FileManager.default
            let folders = manager.fileExists(atPath: directory + "/truth.json") ? [directory]
                : ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted().map { directory + "/" + $0 }
                    .filter { manager.fileExists(atPath: $0 + "/truth.json") }
            let absolute = folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            let data = try JSONSerialization.data(withJSONObject: ["sites": absolute.map {
                ["id": URL(fileURLWithPath: $0).lastPathComponent, "kind": "conference", "split": "dev", "path": $0]
            }])
            corpus = try JSONDecoder().decode(CorpusManifest.self, from: data)
        } else {
            throw ValidationError("give a site folder or --manifest FILE")
        }
        guard ["dev", "validation", "all"].contains(split) else { throw ValidationError("--split is dev, validation or all") }
        let chosen = corpus.sites.filter { entry in
            (split == "all" || entry.split.rawValue == split) && (site.isEmpty || site.contains(entry.id))
        }
        return (corpus, chosen)
    }

    static func render(_ report: EvalReport) -> String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        func reach(_ value: Reach?) -> String { value.map { "\($0.reached)/\($0.pages)" } ?? "-" }
        var out: [String] = []
        out.append(CommandSupport.table(
            ["SITE", "SPLIT", "KIND", "PAGES", "REACH PAT", "REACH AUTO", "STORED", "PAIR P", "PAIR R", "PAIR F1", "PEOPLE F1",
             "TITLE", "AFFIL", "DUP", "SECONDS", "PAGES/S"],
            report.sites.map { site in
                guard site.error == nil else { return [site.site, site.split.rawValue, site.kind.rawValue, "failed: " + (site.error ?? "")] }
                return [site.site, site.split.rawValue, site.kind.rawValue, "\(site.truthPages)", reach(site.reachPattern), reach(site.reachAuto),
                        "\(site.storedPages)", f(site.score?.pairPrecision), f(site.score?.pairRecall), f(site.score?.pairF1),
                        f(site.score?.speakerF1), f(site.score?.titleAccuracy), f(site.score?.affiliationAccuracy),
                        "\(site.score?.duplicates ?? 0)", String(format: "%.1f", site.seconds), String(format: "%.0f", site.pagesPerSecond)]
            }))
        out.append("")
        var pooled: [[String]] = []
        for (name, figures) in [("conference", report.conference), ("free text", report.freetext)] where figures.sites > 0 {
            pooled.append([name, "\(figures.sites)", f(figures.pairPrecision), f(figures.pairRecall), f(figures.pairF1), f(figures.macroPairF1),
                           f(figures.minPairF1), f(figures.peopleF1), f(figures.titleAccuracy), f(figures.affiliationAccuracy),
                           "\(figures.duplicates)",
                           figures.sitesMeasuredAuto > 0 ? "\(figures.sitesReachedAuto)/\(figures.sitesMeasuredAuto)" : "-",
                           figures.sitesMeasuredPattern > 0 ? "\(figures.sitesReachedPattern)/\(figures.sitesMeasuredPattern)" : "-"])
        }
        out.append(CommandSupport.table(["POOLED", "SITES", "PAIR P", "PAIR R", "PAIR F1", "MACRO F1", "MIN F1", "PEOPLE F1", "TITLE", "AFFIL",
                                         "DUP", "REACH≥95% AUTO", "REACH≥95% PAT"], pooled))
        out.append(String(format: "\n%.1f s in all; %.0f pages/s over the sites' runs; peak memory %.0f MiB; %@",
                          report.seconds, report.pagesPerSecond, Double(report.peakMemoryBytes) / 1_048_576,
                          report.noPattern ? "crawled without patterns" : "crawled with the sites' patterns"))
        if let off = report.methodsOff, !off.isEmpty { out.append("extraction methods switched off: " + off.joined(separator: ", ")) }
        if let on = report.methodsOn, !on.isEmpty { out.append("opt-in extraction methods switched on: " + on.joined(separator: ", ")) }
        return out.joined(separator: "\n")
    }

    static func render(changes: [EvalComparison.Change], against path: String) -> String {
        guard !changes.isEmpty else { return "\nno change against \(path)" }
        var lines = ["\nagainst \(path):"]
        for change in changes.sorted(by: { ($0.better ? 0 : 1, $0.site, $0.measure) < ($1.better ? 0 : 1, $1.site, $1.measure) }) {
            lines.append(String(format: "  %@  %@ %@: %.3f → %.3f", change.better ? "better" : "worse ", change.site, change.measure, change.before, change.after))
        }
        return lines.joined(separator: "\n")
    }

    static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }

    static func gitCommit() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
