import ArgumentParser
import AsyncHTTPClient
import Extraction
import FluentKit
import Foundation
import LLM
import Logging
import SpeakerCore
import Pipeline
import Storage

import HTMLParsing

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the speakers of stored event pages (those not extracted yet, by default).",
        discussion: "Offline extractors always run; an LLM is added when ANTHROPIC_API_KEY, OPENAI_API_KEY or LLM_BASE_URL is set. Each event records its extraction state, attempts and last error.")

    @ArgumentParser.Option(help: "Only this event (id).") var event: Int?
    @ArgumentParser.Option(help: "Only the event with this URL.") var url: String?
    @ArgumentParser.Flag(help: "Extract again events already extracted.") var reextract = false
    @ArgumentParser.Option(help: "Most events to extract.") var limit = 1_000_000
    @ArgumentParser.Option(help: "Most to spend on LLM calls in this run, in US dollars.") var maxCost: Double?
    @ArgumentParser.Flag(help: "Print what was found on each event.") var verbose = false
    @ArgumentParser.Flag(help: "Print the time and counts at the end.") var stats = false
    @ArgumentParser.Option(help: "Try the offline extractors on a saved HTML file instead (prints what each found; stores nothing).") var file: String?

    func run() async throws {
        if let file {
            return try explain(file: file)
        }
        try await CommandSupport.withStorage { context, settings in
            FileHandle.standardError.write(Data("speakerdb: \(LLMConfiguration.describe(settings: settings))\n".utf8))
            var options = PipelineRunner.Options()
            options.kind = "extract"
            options.stages = [.extract]
            options.reextract = reextract
            options.extractLimit = limit
            options.maxCostMicros = maxCost.map { Int($0 * 1_000_000) }
            if let event {
                guard try await Event.find(event, on: context.database) != nil else { CommandSupport.fail("there is no event \(event)") }
                options.extractEvents = [event]
            } else if let url {
                guard let normalized = URLNormalizer.normalized(url),
                      let found = try await Event.query(on: context.database).filter(\.$url == normalized).first(), let id = found.id else {
                    CommandSupport.fail("there is no event with the URL \(url)")
                }
                options.extractEvents = [id]
            } else if verbose {
                // The pending events, chosen here so that they can be listed afterwards.
                let pending = try await ExtractionService(storage: context, llm: nil, logger: Logger(label: "speakerdb.extract"))
                    .pendingEvents(limit: limit, reextract: reextract)
                options.extractEvents = pending.compactMap(\.id)
            }
            // Every stage command runs through the pipeline runner, so the run, its budget and
            // its report are recorded one way.
            let fetchers = PipelineRunner.makeFetchers(settings: settings)
            let runner = PipelineRunner(storage: context, settings: settings, fetchers: fetchers, logger: Logger(label: "speakerdb.extract"))
            let report: PipelineReport
            do {
                report = try await runner.run(sources: [], options: options)
            } catch {
                await fetchers.shutdown()
                throw error
            }
            await fetchers.shutdown()
            let result = report.extraction
            if verbose, let ids = options.extractEvents, !ids.isEmpty {
                for stored in try await Event.query(on: context.database).filter(\.$id ~~ ids).sort(\.$id).all() {
                    print("\(stored.id ?? 0)  \(stored.extractState)  \(stored.extractNote ?? stored.extractError ?? "")  \(stored.url)")
                }
            }
            print("extracted: \(result.events) event pages, \(result.people) appearances on \(result.withSpeakers) pages, \(result.withoutSpeakers) pages with no speakers, \(result.failed) failed")
            if result.llmCalls > 0 || result.llmCacheHits > 0 {
                print("  LLM: \(result.llmCalls) calls, \(result.llmCacheHits) answers from the cache, \(PriceTable.dollars(result.llmCostMicros)) spent")
            }
            if let reason = result.llmStoppedBecause { print("  LLM stopped for the rest of the run: \(reason)") }
            if stats {
                let seconds = report.stage(.extract)?.seconds ?? 0
                print(String(format: "stage      seconds  pages/s\nextract  %9.2f  %7.1f", seconds, seconds > 0 ? Double(result.events) / seconds : 0))
            }
        }
    }
}

extension ExtractCommand {
    /// Runs the offline chain on a local file and prints every extractor's findings, the
    /// merged people and the rejected candidates — for answering "why was X (not) found?".
    func explain(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { CommandSupport.fail("cannot read \(file)") }
        let pageURL = url.flatMap(URL.init(string:)) ?? URL(fileURLWithPath: file)
        let document = try HTMLDocument(html: String(decoding: data, as: UTF8.self), url: pageURL)
        let input = ExtractionInput(document: document, url: pageURL, language: document.language, eventTitle: document.first("h1")?.visibleText)
        let chain = ExtractionChain.offline()
        for extractor in chain.extractors {
            let found = extractor.extract(input)
            print("\(extractor.name): \(found.count)")
            for person in found {
                print("  \(person.name) | \(person.title ?? "-") | \(person.primaryAffiliation ?? "-") | \(person.role.rawValue) | \(String(format: "%.2f", person.confidence))")
            }
        }
        let result = chain.run(input)
        print("merged (\(result.note)):")
        for person in result.people {
            print("  \(person.name) | \(person.title ?? "-") | \(person.primaryAffiliation ?? "-") | \(person.role.rawValue) | \(String(format: "%.2f", person.confidence)) | \(person.extractor)")
        }
        for rejection in result.rejected { print("  rejected: \(rejection)") }
    }
}
