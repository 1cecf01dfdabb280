import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SpeakerCore
import Storage
import Web

/// The web app under load while a pipeline writes to the same SQLite database: many
/// concurrent connections read pages and the JSON API for a fixed time while a separate
/// `speakerdb pipeline` process crawls and extracts a synthetic site. Reports the error
/// count (any 5xx or failed request — "database is locked" would show here) and latency.
struct LoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Concurrent reads through the running server while a pipeline writes; errors and latency.")

    @ArgumentParser.Option(help: "How long to load the server, in seconds.") var seconds = 30
    @ArgumentParser.Option(help: "Concurrent connections.") var connections = 32
    @ArgumentParser.Option(help: "Event pages in the synthetic site the pipeline crawls.") var pages = 4_000
    @ArgumentParser.Option(help: "Port for the web app.") var port = 5093
    @ArgumentParser.Flag(help: "Print the summary as JSON (for the test that runs this).") var json = false

    struct Summary: Codable {
        var seconds: Double
        var connections: Int
        var requests: Int
        var errors: Int
        var errorSamples: [String]
        var p50: Double
        var p95: Double
        var p99: Double
        var max: Double
        /// Event pages fetched plus appearances stored, before and after the load: the
        /// pipeline's writes during the measurement.
        var writtenBefore: Int
        var writtenAfter: Int
        var pipelineRunning: Bool
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-load-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SyntheticSite.write(to: directory.appendingPathComponent("site"), events: pages, javascript: false)
        let site = try await StaticSiteServer.start(directory: directory.appendingPathComponent("site").path)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("speakerdb")
        let environment = ProcessInfo.processInfo.environment.merging([
            "DATA_DIR": directory.appendingPathComponent("data").path, "PORT": String(port), "HOST": "127.0.0.1",
            "LOG_LEVEL": "error", "PUBLIC_READ": "true", "CRAWL_DELAY_SECONDS": "0", "CRAWL_CONCURRENCY_PER_HOST": "4",
            // The site is served here on loopback.
            "ALLOW_PRIVATE_ADDRESSES": "true",
        ]) { $1 }
        func start(_ arguments: [String]) throws -> Process {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = environment
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let server = try start(["serve"])
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let base = "http://127.0.0.1:\(port)"
        try await waitUntilReady(client, url: base + "/readyz")

        let pipeline = try start(["pipeline", "--source", site.baseURL + "/list/1.html", "--mode", "backfill", "--no-delay", "--max-pages", "1000"])
        defer { if pipeline.isRunning { pipeline.interrupt(); pipeline.waitUntilExit() } }
        // Let the crawl get going before measuring.
        try await Task.sleep(for: .seconds(2))
        let database = try await StorageContext.open(.sqlite(path: directory.appendingPathComponent("data/speakers.db").path), logger: Logger(label: "bench"))
        let writtenBefore = try await written(database)

        let paths = ["/", "/speakers", "/speakers?_search=panel", "/speakers.json?_search=trade", "/events", "/events.json?_page=2",
                     "/events?_search=climate", "/stats", "/speakers?_page=3", "/readyz"]
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        let started = clock.now
        let results = try await withThrowingTaskGroup(of: (LatencySamples, [String]).self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var samples = LatencySamples(name: "load")
                    var problems: [String] = []
                    var index = worker
                    while clock.now < deadline {
                        let path = paths[index % paths.count]
                        index += 1
                        let start = clock.now
                        do {
                            let response = try await client.execute(HTTPClientRequest(url: base + path), timeout: .seconds(30))
                            let body = try await response.body.collect(upTo: 16 << 20)
                            samples.record(clock.now - start)
                            if response.status.code >= 500 {
                                samples.errors += 1
                                if problems.count < 3 { problems.append("\(path): \(response.status.code) \(String(buffer: body).prefix(200))") }
                            }
                        } catch {
                            samples.record(clock.now - start)
                            samples.errors += 1
                            if problems.count < 3 { problems.append("\(path): \(error)") }
                        }
                    }
                    return (samples, problems)
                }
            }
            var all = LatencySamples(name: "load")
            var problems: [String] = []
            for try await (part, issues) in group {
                all.milliseconds += part.milliseconds
                all.errors += part.errors
                problems += issues
            }
            return (all, problems)
        }
        let elapsed = (clock.now - started).inSeconds
        let writtenAfter = try await written(database)
        await database.shutdown()
        let summary = Summary(seconds: elapsed, connections: connections, requests: results.0.milliseconds.count, errors: results.0.errors,
                              errorSamples: Array(results.1.prefix(5)), p50: results.0.percentile(50), p95: results.0.percentile(95),
                              p99: results.0.percentile(99), max: results.0.milliseconds.max() ?? 0,
                              writtenBefore: writtenBefore, writtenAfter: writtenAfter, pipelineRunning: pipeline.isRunning)
        try await client.shutdown()
        await site.stop()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB")
        print(String(format: "%d connections for %.1f s while a pipeline wrote %d event pages and appearances (still running at the end: %@)",
                     connections, elapsed, writtenAfter - writtenBefore, pipeline.isRunning ? "yes" : "no"))
        print(results.0.line.replacingOccurrences(of: "load                          ", with: "mixed pages and JSON          "))
        print(String(format: "throughput: %.0f requests/s", Double(summary.requests) / elapsed))
        for problem in summary.errorSamples { print("error: \(problem)") }
    }

    func written(_ database: StorageContext) async throws -> Int {
        let fetched = try await database.sql.raw("SELECT COUNT(*) AS n FROM events WHERE fetched_at IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        let appearances = try await database.sql.raw("SELECT COUNT(*) AS n FROM appearances").first()?.decode(column: "n", as: Int.self) ?? 0
        return fetched + appearances
    }
}
