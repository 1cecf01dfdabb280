import ArgumentParser
import AsyncHTTPClient
import Extraction
import FluentKit
import Foundation
import LLM
import Logging
import SpeakerCore
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
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let llm = LLMConfiguration.extractor(settings: settings, http: http)
            let run = PipelineRun(kind: "extract", trigger: "cli")
            try await context.database.writeTransaction { try await run.create(on: $0) }
            let service = ExtractionService(storage: context, llm: llm, llmPages: settings.llmPages,
                                            budget: try await SpendBudget.capped(runLimitMicros: maxCost.map { Int($0 * 1_000_000) } ?? settings.llmMaxCostMicros,
                                                                                 dailyLimitMicros: settings.llmDailyMaxCostMicros, on: context.database),
                                            runID: run.id, logger: Logger(label: "speakerdb.extract"))
            var events: [Event]
            if let event {
                guard let found = try await Event.find(event, on: context.database) else { CommandSupport.fail("there is no event \(event)") }
                events = [found]
            } else if let url {
                guard let normalized = URLNormalizer.normalized(url),
                      let found = try await Event.query(on: context.database).filter(\.$url == normalized).first() else {
                    CommandSupport.fail("there is no event with the URL \(url)")
                }
                events = [found]
            } else {
                events = try await service.pendingEvents(limit: limit, reextract: reextract)
            }
            let clock = ContinuousClock()
            let started = clock.now
            let result = await service.run(events)
            try? await http.shutdown()
            let elapsed = clock.now - started
            run.finishedAt = Date()
            run.status = "succeeded"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            run.stats = String(decoding: try encoder.encode(result), as: UTF8.self)
            try await context.database.writeTransaction { try await run.save(on: $0) }
            if verbose {
                for event in events {
                    guard let stored = try await Event.find(event.id, on: context.database) else { continue }
                    print("\(stored.id ?? 0)  \(stored.extractState)  \(stored.extractNote ?? stored.extractError ?? "")  \(stored.url)")
                }
            }
            print("extracted: \(result.events) event pages, \(result.people) appearances on \(result.withSpeakers) pages, \(result.withoutSpeakers) pages with no speakers, \(result.failed) failed")
            if result.llmCalls > 0 || result.llmCacheHits > 0 {
                print("  LLM: \(result.llmCalls) calls, \(result.llmCacheHits) answers from the cache, \(PriceTable.dollars(result.llmCostMicros)) spent")
            }
            if let reason = result.llmStoppedBecause { print("  LLM stopped for the rest of the run: \(reason)") }
            if stats {
                let seconds = elapsed.inSeconds
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
