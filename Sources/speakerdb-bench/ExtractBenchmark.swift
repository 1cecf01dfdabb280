import ArgumentParser
import Crawling
import Extraction
import FluentKit
import Foundation
import SpeakerCore
import HTMLParsing
import Logging
import Storage

/// Offline extraction throughput on stored pages: the bundled sample site's event pages,
/// stored many times under different URLs, extracted and written to the database.
struct ExtractBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Offline extraction throughput on stored pages (pages/s, including storing the results).")

    @ArgumentParser.Option(help: "Event pages to extract.") var pages = 1_000
    @ArgumentParser.Option(help: "Folder of event pages to cycle through.") var site = "SampleSite/events"

    func run() async throws {
        var bodies: [String] = []
        let root = URL(fileURLWithPath: site)
        for case let file as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where file.pathExtension == "html" && file.lastPathComponent != "index.html" {
            bodies.append(try String(contentsOf: file, encoding: .utf8))
        }
        guard !bodies.isEmpty else { throw ValidationError("no pages under \(site)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-extractbench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "bench")
        let context = try await StorageContext.open(.sqlite(path: directory.appendingPathComponent("speakers.db").path), logger: logger)
        try await context.migrate()
        let urls = (0..<pages).map { "https://bench.example.org/events/\($0).html" }
        _ = try await FrontierRepository(context.database).enqueueEvents(urls, sourceID: nil, via: "bench")
        let events = try await Event.query(on: context.database).sort(\.$id).all()
        for (index, event) in events.enumerated() {
            let html = bodies[index % bodies.count]
            let url = URL(string: event.url)!
            try await EventPageStore(context.database).store(FetchResult(
                requestedURL: url, finalURL: url, status: 200, contentType: "text/html", etag: nil, lastModified: nil, body: Data(html.utf8),
                text: html, charset: "utf-8", notModified: false, redirects: [], fetcher: "http", duration: .zero), into: event)
        }
        // The extractors alone, without storing.
        let chain = ExtractionChain.offline()
        let chainClock = ContinuousClock()
        let chainStarted = chainClock.now
        for index in 0..<min(pages, 200) {
            let html = bodies[index % bodies.count]
            let url = URL(string: "https://bench.example.org/events/\(index).html")!
            let document = try HTMLDocument(html: html, url: url)
            _ = chain.run(ExtractionInput(document: document, url: url, language: document.language, eventTitle: nil))
        }
        let chainElapsed = chainClock.now - chainStarted
        let chainSeconds = chainElapsed.inSeconds
        print(String(format: "extractors alone (parse + chain, no database): %.1f pages/s", Double(min(pages, 200)) / chainSeconds))
        let service = ExtractionService(storage: context, llm: nil, logger: logger)
        let pending = try await service.pendingEvents(limit: pages)
        let clock = ContinuousClock()
        let started = clock.now
        let stats = await service.run(pending)
        let elapsed = clock.now - started
        let seconds = elapsed.inSeconds
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(bodies.count) distinct pages cycled")
        print(String(format: "extracted %d stored pages in %.2f s: %.1f pages/s (%d appearances stored, %d failed)",
                     stats.events, seconds, Double(stats.events) / seconds, stats.people, stats.failed))
        if let peak = peakMemoryMiB(pid: ProcessInfo.processInfo.processIdentifier) {
            print(String(format: "peak memory: %.0f MiB", peak))
        }
        await context.shutdown()
    }
}
