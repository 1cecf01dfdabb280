import AsyncHTTPClient
import Embeddings
import Foundation
import LLM
import NIOConcurrencyHelpers
import Search
import SpeakerCore
import Storage
import Testing
import TestSupport

/// Embeddings from an OpenAI-compatible API (`EMBEDDINGS=openai`) through the real client,
/// against a local server that speaks the Embeddings API.
@Suite("API embeddings")
struct APIEmbeddingsTests {
    static let key = "sk-test-EMBEDDING-SECRET-42"

    /// Calls as the embedder reports them, with their purpose.
    final class Calls: Sendable {
        let box = NIOLockedValueBox<[(call: LLMCall, purpose: String)]>([])
        var all: [(call: LLMCall, purpose: String)] { box.withLockedValue { $0 } }
    }

    func withAPI(_ behaviour: StandInEmbeddings.Behaviour = .normal, allowed: @escaping @Sendable () async -> Bool = { true },
                 _ body: (TestDatabase, APIEmbedder, StandInEmbeddings, Calls) async throws -> Void) async throws {
        let standIn = StandInEmbeddings(behaviour)
        try await FixtureServer.with(routes: { standIn.routes($0) }) { server in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let calls = Calls()
            let client = OpenAIEmbeddingsClient(apiKey: Self.key, model: nil, baseURL: server.base + "/v1", http: http,
                                                retry: RetryPolicy(maxAttempts: 1))
            let embedder = APIEmbedder(client: client, allowed: allowed) { call, purpose in
                calls.box.withLockedValue { $0.append((call, purpose)) }
            }
            do {
                try await TestDatabase.with { database in
                    _ = try await SpeakerImporter().run(try SpeakerImporter.validate(HybridSearchTests.document), on: database.db)
                    try await body(database, embedder, standIn, calls)
                }
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    @Test func profilesAndQueriesAreEmbeddedByTheAPIAndEveryCallIsReported() async throws {
        try await withAPI { database, embedder, standIn, calls in
            #expect(embedder.model == "openai-compatible/text-embedding-3-small")
            #expect(try await EmbeddingRefresh.run(on: database.db, encoder: embedder, batch: 3) == 8)
            let store = try EmbeddingStore(database.db)
            #expect(try await store.status(model: embedder.model).count == 8)
            #expect(try await store.status(model: MiniLMEncoder.modelID).count == 0, "the local model's vectors are kept apart")
            #expect(try await store.stale(model: embedder.model, limit: 10).isEmpty)
            // Three batches, each authorised with the key, each reported with its tokens.
            #expect(standIn.requests.count == 3)
            #expect(standIn.requests.allSatisfy { $0.authorization == "Bearer \(Self.key)" && $0.model == "text-embedding-3-small" })
            #expect(calls.all.count == 3 && calls.all.allSatisfy { $0.purpose == "embed" && $0.call.status == "ok" && $0.call.inputTokens > 0 })
            let words = standIn.requests.flatMap(\.inputs).reduce(0) { $0 + $1.split { !$0.isLetter && !$0.isNumber }.count }
            #expect(calls.all.reduce(0) { $0 + $1.call.inputTokens } == words)

            // Vectors are unit length, so cosine is a dot product as for the local model.
            let index = try await SemanticIndex.load(from: store, for: embedder)
            #expect(index.count == 8 && index.dimension == StandInEmbeddings.dimension)
            let search = try HybridSearch(database: database.db, index: index, embedder: embedder)
            let outcome = try await search.search("wind power and power grids", mode: .semantic, limit: 3)
            #expect(outcome.mode == .semantic)
            #expect(outcome.hits.first?.speaker.name == "Ingrid Solberg", "\(outcome.hits.map(\.speaker.name))")
            #expect(calls.all.last?.purpose == "search")
            #expect(abs((outcome.hits.first?.explanation.cosine ?? 0) - 1) < 1, "cosine of unit vectors")
        }
    }

    @Test(arguments: [StandInEmbeddings.Behaviour.wrongCount, .notNumbers, .unauthorized])
    func unusableAnswersStoreNothingAndNeverShowTheKey(_ behaviour: StandInEmbeddings.Behaviour) async throws {
        try await withAPI(behaviour) { database, embedder, _, calls in
            var failure: (any Error)?
            do {
                _ = try await EmbeddingRefresh.run(on: database.db, encoder: embedder)
            } catch {
                failure = error
            }
            let message = try #require(failure.map { "\($0)" }, "an unusable answer was accepted")
            #expect(!message.contains(Self.key), "\(message)")
            #expect(message.contains(behaviour == .unauthorized ? "401" : "unusable answer"), "\(message)")
            #expect(try await EmbeddingStore(database.db).status(model: embedder.model).count == 0)
            #expect(calls.all.first?.call.status == "error")
        }
    }

    @Test func aSpentBudgetMakesNoCall() async throws {
        try await withAPI(allowed: { false }) { database, embedder, standIn, calls in
            await #expect(throws: LLMError.self) { try await EmbeddingRefresh.run(on: database.db, encoder: embedder) }
            #expect(standIn.requests.isEmpty && calls.all.isEmpty)
            let stored = try await EmbeddingStore(database.db).status(model: embedder.model).count
            #expect(stored == 0)
        }
    }

    @Test func embeddingsAPISettings() throws {
        #expect(throws: SettingsError.self) { try Settings(environment: ["EMBEDDINGS": "openai"]) }
        let keyed = try Settings(environment: ["EMBEDDINGS": "openai", "OPENAI_API_KEY": Self.key])
        #expect(keyed.embeddingsAPI && keyed.embeddingsEnabled && keyed.embeddingsModel == "text-embedding-3-small")
        let local = try Settings(environment: ["EMBEDDINGS": "openai", "LLM_BASE_URL": "http://127.0.0.1:11434/v1", "EMBEDDINGS_MODEL": "nomic-embed-text"])
        #expect(local.embeddingsAPI && local.embeddingsModel == "nomic-embed-text")
        #expect(try !Settings(environment: [:]).embeddingsAPI)
        do {
            _ = try Settings(environment: ["EMBEDDINGS": "cloud"])
            Issue.record("an unknown EMBEDDINGS value was accepted")
        } catch {
            #expect("\(error)".contains("auto, openai or off"))
        }
        #expect(PriceTable.costMicros(model: "text-embedding-3-small", inputTokens: 1_000_000, outputTokens: 0) == 20_000)
    }
}
