import ArgumentParser
import Embeddings
import Foundation
import Logging
import Search
import SQLKit
import SpeakerCore
import Storage

/// Embedding throughput on real speaker profiles, then keyword, semantic and hybrid search
/// latency in process over every speaker of a web-benchmark database.
struct SemanticBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "semantic",
        abstract: "Embeddings per second, index load time and memory, and keyword/semantic/hybrid search latency.",
        discussion: """
            Uses the database of `speakerdb-bench web --data-dir DIR` (run that first). Embeds \
            --real speakers with the model; the others get random unit vectors so that every \
            speaker is searched (exact search costs the same whatever the vectors hold). Those \
            random vectors carry a text hash that never matches, so `speakerdb embed` would \
            replace them.
            """)

    @ArgumentParser.Option(help: "The web benchmark's data folder.") var dataDir: String
    @ArgumentParser.Option(help: "Speakers to embed with the model.") var real = 1_000
    @ArgumentParser.Option(help: "Queries per mode.") var queries = 200

    static let phrases = ["experts on", "who can talk about", "speakers on", "researchers working on", "a keynote about"]

    /// A request in plain English made of the synthetic data's topics.
    static func request(_ random: inout SyntheticData.Random) -> String {
        let a = SyntheticData.topics[random.int(0..<SyntheticData.topics.count)]
        let b = SyntheticData.topics[random.int(0..<SyntheticData.topics.count)]
        return "\(phrases[random.int(0..<phrases.count)]) \(a) and \(b)"
    }

    func run() async throws {
        let dbPath = (dataDir as NSString).appendingPathComponent("speakers.db")
        guard FileManager.default.fileExists(atPath: dbPath) else {
            throw ValidationError("no database at \(dbPath): run speakerdb-bench web --data-dir \(dataDir) first")
        }
        let context = try await StorageContext.open(.sqlite(path: dbPath), logger: Logger(label: "bench"))
        try await context.migrate()
        let clock = ContinuousClock()
        var started = clock.now
        let encoder = try MiniLMEncoder(location: ModelLocation())
        print(String(format: "model loaded in %.2f s", (clock.now - started).inSeconds))
        let store = try EmbeddingStore(context.database)

        // Real profiles: the speakers' own text (name, title, affiliation, bio, events).
        let sample = try await store.stale(model: MiniLMEncoder.modelID, limit: real)
        let words = sample.map { $0.text.split(separator: " ").count }
        started = clock.now
        let done = try await EmbeddingRefresh.run(on: context.database, encoder: encoder, limit: real)
        let seconds = (clock.now - started).inSeconds
        if done > 0 {
            print(String(format: "embedded %d real profiles (%.0f words on average) in %.1f s: %.1f profiles/s, stored", done,
                         Double(words.reduce(0, +)) / Double(max(words.count, 1)), seconds, Double(done) / seconds))
        }

        // Everyone else: random unit vectors.
        var random = SyntheticData.Random(state: 11)
        var filled = 0
        while true {
            let missing = try await context.sql.raw("""
                SELECT s.id FROM speakers s WHERE NOT EXISTS
                    (SELECT 1 FROM speaker_embeddings se WHERE se.speaker_id = s.id AND se.model = \(bind: MiniLMEncoder.modelID))
                ORDER BY s.id LIMIT 2000
                """).all().map { try $0.decode(column: "id", as: Int.self) }
            guard !missing.isEmpty else { break }
            let items = missing.map { id -> (document: EmbeddingStore.Document, vector: [Float]) in
                var vector = (0..<MiniLMEncoder.dimension).map { _ in Float(random.int(0..<20_001) - 10_000) }
                let norm = VectorMath.norm(vector)
                vector = vector.map { $0 / norm }
                return (EmbeddingStore.Document(speakerID: id, text: "random vector"), vector)
            }
            try await store.save(items, model: MiniLMEncoder.modelID)
            filled += items.count
        }
        if filled > 0 { print("filled \(filled) speakers with random unit vectors") }

        started = clock.now
        let index = try await SemanticIndex.load(from: store)
        print(String(format: "index: %d vectors, %.0f MiB, loaded in %.2f s", index.count,
                     Double(index.count * MiniLMEncoder.dimension * 4) / 1_048_576, (clock.now - started).inSeconds))

        let search = try HybridSearch(database: context.database, index: index, embedder: encoder)
        var queryRandom = SyntheticData.Random(state: 5)
        let texts = (0..<queries).map { _ in Self.request(&queryRandom) }
        var encodeOnly = LatencySamples(name: "query embedding only")
        for text in texts.prefix(50) {
            let start = clock.now
            _ = encoder.embed(text)
            encodeOnly.record(clock.now - start)
        }
        print(encodeOnly.line)
        for mode in SearchMode.allCases {
            var samples = LatencySamples(name: "\(mode.rawValue) search (in process)")
            _ = try await search.search(texts[0], mode: mode)
            for text in texts {
                let start = clock.now
                _ = try await search.search(text, mode: mode, limit: 10)
                samples.record(clock.now - start)
            }
            print(samples.line)
        }
        // As the web app and the CLI answer: the request parsed, constraints (here the
        // role in "a keynote about …") applied.
        let requests = try RequestSearch(database: context.database, hybrid: search)
        let parser = RequestParser()
        for mode in [SearchMode.keyword, .hybrid] {
            var all = LatencySamples(name: "\(mode.rawValue) request (parsed)")
            var constrained = LatencySamples(name: "  of which with a role")
            for text in texts {
                let start = clock.now
                let request = parser.parse(text)
                _ = try await requests.search(request, mode: mode, limit: 10)
                all.record(clock.now - start)
                if request.hasConstraints { constrained.record(clock.now - start) }
            }
            print(all.line)
            print(constrained.line)
        }
        if let rss = residentMemoryMiB(pid: getpid()), let peak = peakMemoryMiB(pid: getpid()) {
            print(String(format: "this process: %.0f MiB resident, %.0f MiB peak", rss, peak))
        }
        await context.shutdown()
    }
}
