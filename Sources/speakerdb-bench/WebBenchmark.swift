import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SpeakerCore
import Storage

/// Seeds a database, starts `speakerdb serve` on it and measures request latency on loopback.
struct WebBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "p50/p95 latency of search, profile, events list and the JSON API through the running server.")

    @ArgumentParser.Option(help: "Speakers to seed.") var speakers = 100_000
    @ArgumentParser.Option(help: "Events to seed.") var events = 50_000
    @ArgumentParser.Option(help: "Appearances to seed.") var appearances = 250_000
    @ArgumentParser.Option(help: "Requests per endpoint.") var requests = 400
    @ArgumentParser.Option(help: "Concurrent connections.") var concurrency = 1
    @ArgumentParser.Option(help: "Reuse this data folder (seeded once) instead of a temporary one.") var dataDir: String?
    @ArgumentParser.Option(help: "The speakerdb binary to serve with (default: next to this one).") var binary: String?
    @ArgumentParser.Option(help: "Port for the server.") var port = 5099

    func run() async throws {
        let directory = dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-bench-\(UUID().uuidString)").path
        let dbPath = (directory as NSString).appendingPathComponent("speakers.db")
        let logger = Logger(label: "bench")
        if !FileManager.default.fileExists(atPath: dbPath) {
            let context = try await StorageContext.open(.sqlite(path: dbPath), logger: logger)
            try await context.migrate()
            let clock = ContinuousClock()
            let started = clock.now
            try await SyntheticData(speakers: speakers, events: events, appearances: appearances).insert(into: context.database)
            print("seeded \(speakers) speakers, \(events) events, \(appearances) appearances in \(clock.now - started)")
            await context.shutdown()
        } else {
            print("reusing \(dbPath)")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: dbPath)[.size] as? Int) ?? 0) / 1_048_576
        print("database file: \(size) MiB")

        let server = Process()
        let executable = binary ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("speakerdb").path
        server.executableURL = URL(fileURLWithPath: executable)
        server.arguments = ["serve"]
        server.environment = ProcessInfo.processInfo.environment.merging(
            ["DATA_DIR": directory, "PORT": String(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning", "PUBLIC_READ": "true"]) { $1 }
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let base = "http://127.0.0.1:\(port)"
        try await waitUntilReady(client, url: base + "/readyz")

        var random = SyntheticData.Random(state: 7)
        let words = SyntheticData.topics.map { $0.split(separator: " ").first.map(String.init) ?? $0 } + SyntheticData.lastNames.prefix(10)
        let scenarios: [(String, () -> String)] = [
            ("search (HTML)", { "/speakers?_search=\(words[random.int(0..<words.count)].addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)&_page=\(1 + random.int(0..<3))" }),
            // A person's name: nearly every query is new, so no cache helps.
            ("name search (HTML)", { "/speakers?_search=\("\(SyntheticData.firstNames[random.int(0..<SyntheticData.firstNames.count)]) \(SyntheticData.lastNames[random.int(0..<SyntheticData.lastNames.count)])".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)" }),
            ("speaker profile (HTML)", { "/speakers/\(1 + random.int(0..<speakers))" }),
            ("events list (HTML)", { "/events?_page=\(1 + random.int(0..<100))" }),
            ("events list filtered (HTML)", { "/events?year=\(2012 + random.int(0..<14))&_page=\(1 + random.int(0..<5))" }),
            ("speakers list (HTML)", { "/speakers?_page=\(1 + random.int(0..<200))" }),
            ("JSON: search", { "/speakers.json?_search=\(words[random.int(0..<words.count)].addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)" }),
            ("JSON: speaker", { "/speakers/\(1 + random.int(0..<speakers)).json" }),
            ("JSON: event", { "/events/\(1 + random.int(0..<events)).json" }),
            ("JSON: events list", { "/events.json?_page=\(1 + random.int(0..<100))" }),
            // The charts and the leaderboard are computed once per cache period; the first
            // request of each (printed as "first") is the uncached cost.
            ("stats (HTML)", { "/stats" }),
            ("leaderboard (HTML)", { "/stats/leaderboard?period=\(["all", "12m", "3m"][random.int(0..<3)])" }),
            ("leaderboard (CSV)", { "/stats/leaderboard.csv?period=\(["all", "12m", "3m"][random.int(0..<3)])" }),
            ("speakers by appearances (HTML)", { "/speakers?_sort=appearances&_page=\(1 + random.int(0..<200))" }),
            ("JSON: speakers by appearances", { "/speakers.json?_sort=appearances&_page=\(1 + random.int(0..<200))" }),
            // /search: a request in plain English, ranked by words only and by words and
            // meaning fused (needs stored embeddings: speakerdb-bench semantic fills them).
            ("JSON: keyword /search", { "/search.json?mode=keyword&q=\(SemanticBenchmark.request(&random).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }),
            ("JSON: hybrid /search", { "/search.json?q=\(SemanticBenchmark.request(&random).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }),
        ]
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; concurrency \(concurrency); \(requests) requests per endpoint")
        for (name, makePath) in scenarios {
            let paths = (0..<requests).map { _ in makePath() }
            // Warm-up: the first request of a kind compiles templates and fills caches.
            let firstStart = ContinuousClock.now
            let first = try await client.execute(HTTPClientRequest(url: base + paths[0]), timeout: .seconds(30))
            _ = try await first.body.collect(upTo: 64 << 20)
            let firstTime = ContinuousClock.now - firstStart
            let samples = try await measure(client, base: base, name: name, paths: paths)
            print(samples.line + String(format: "  first %.1f ms", Double(firstTime.components.attoseconds) / 1e15 + Double(firstTime.components.seconds) * 1000))
        }
        if let rss = residentMemoryMiB(pid: server.processIdentifier), let peak = peakMemoryMiB(pid: server.processIdentifier) {
            print(String(format: "server memory: %.0f MiB resident, %.0f MiB peak", rss, peak))
        }
        try await client.shutdown()
        if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) }
    }

    func measure(_ client: HTTPClient, base: String, name: String, paths: [String]) async throws -> LatencySamples {
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: LatencySamples.self) { group in
            let concurrency = self.concurrency
            for worker in 0..<concurrency {
                group.addTask {
                    var samples = LatencySamples(name: name)
                    for path in paths.enumerated().filter({ $0.offset % concurrency == worker }).map(\.element) {
                        let start = clock.now
                        let response = try await client.execute(HTTPClientRequest(url: base + path), timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 64 << 20)
                        samples.record(clock.now - start)
                        if response.status != .ok { samples.errors += 1 }
                    }
                    return samples
                }
            }
            var all = LatencySamples(name: name)
            for try await part in group {
                all.milliseconds += part.milliseconds
                all.errors += part.errors
            }
            return all
        }
    }
}
