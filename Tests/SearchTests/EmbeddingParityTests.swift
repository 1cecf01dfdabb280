import Embeddings
import Foundation
import Testing

/// The reference vectors and token ids that scripts/minilm-reference.py produced with
/// sentence-transformers on the same model files.
struct ReferenceFixture: Decodable, Sendable {
    struct Case: Decodable, Sendable {
        let text: String
        let vector: [Float]
        let tokenIDs: [Int32]?

        enum CodingKeys: String, CodingKey {
            case text, vector
            case tokenIDs = "token_ids"
        }
    }

    let model: String
    let maxSeqLength: Int
    let cases: [Case]

    enum CodingKeys: String, CodingKey {
        case model, cases
        case maxSeqLength = "max_seq_length"
    }

    static func load() throws -> ReferenceFixture {
        let url = try #require(Bundle.module.url(forResource: "minilm-reference", withExtension: "json", subdirectory: "Fixtures"),
                               "Fixtures/minilm-reference.json is missing from the test bundle")
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }
}

/// One encoder for the whole suite (loading reads 90 MB). When the model is not there,
/// every test that needs it fails with the loading error, which says to run
/// scripts/fetch-model.sh: these tests must not pass by skipping.
enum SharedEncoder {
    static let loaded: Result<MiniLMEncoder, any Error> = Result { try MiniLMEncoder(location: ModelLocation()) }

    static func get() throws -> MiniLMEncoder {
        try loaded.get()
    }
}

@Suite("all-MiniLM-L6-v2 parity with sentence-transformers")
struct EmbeddingParityTests {
    @Test func fixtureDescribesThisModel() throws {
        let fixture = try ReferenceFixture.load()
        #expect(fixture.model == MiniLMEncoder.modelID)
        #expect(fixture.maxSeqLength == MiniLMEncoder.maxSequenceLength)
        #expect(fixture.cases.count == 24)
        #expect(fixture.cases.allSatisfy { $0.vector.count == MiniLMEncoder.dimension })
    }

    @Test func tokenIDsMatchTheReference() throws {
        let encoder = try SharedEncoder.get()
        let cases = try ReferenceFixture.load().cases.filter { $0.tokenIDs != nil }
        #expect(cases.count == 6)
        for item in cases {
            let ids = encoder.tokenizer.encode(item.text)
            #expect(ids == item.tokenIDs, "token ids of \(item.text.debugDescription)")
        }
    }

    @Test func vectorsMatchTheReference() throws {
        let encoder = try SharedEncoder.get()
        let cases = try ReferenceFixture.load().cases
        let single = cases.map { encoder.embed($0.text) }
        let cosines = zip(single, cases).map { VectorMath.cosine($0, $1.vector) }
        let worst = try #require(cosines.indices.min { cosines[$0] < cosines[$1] })
        #expect(cosines[worst] >= 0.999,
                "min cosine \(cosines[worst]) on \(cases[worst].text.prefix(60).debugDescription); all: \(cosines)")
        for (item, cosine) in zip(cases, cosines) {
            #expect(cosine >= 0.999, "cosine \(cosine) on \(item.text.prefix(60).debugDescription) (min over all cases: \(cosines[worst]))")
        }

        // Batched, the texts' tokens go through the network together: same vectors.
        let batch = encoder.embed(batch: cases.map(\.text))
        #expect(batch.count == cases.count)
        let largest = zip(single, batch).map { pair in zip(pair.0, pair.1).map { abs($0 - $1) }.max() ?? .infinity }.max() ?? 0
        #expect(largest < 1e-5, "largest difference between batched and single embeddings: \(largest)")
        #expect(encoder.embed(batch: []).isEmpty)
    }

    @Test func vectorsAreUnitLength() throws {
        let encoder = try SharedEncoder.get()
        for text in ["", "a", "Keynote: Building Search at Scale", String(repeating: "word ", count: 400)] {
            let vector = encoder.embed(text)
            #expect(vector.count == MiniLMEncoder.dimension)
            #expect(abs(VectorMath.norm(vector) - 1) < 1e-5, "norm of the embedding of \(text.prefix(20).debugDescription)")
        }
    }

    @Test func textBeyond256PiecesIsIgnored() throws {
        let encoder = try SharedEncoder.get()
        let long = String(repeating: "speaker ", count: 300)
        #expect(encoder.tokenizer.encode(long).count == 256)
        #expect(encoder.embed(long) == encoder.embed(long + " and a different ending about databases"))
    }

    @Test func similarTextsScoreHigher() throws {
        let encoder = try SharedEncoder.get()
        let query = encoder.embed("vector search and nearest neighbour retrieval")
        let related = encoder.embed("a talk about approximate nearest neighbour indexes for embeddings")
        let unrelated = encoder.embed("a cooking class about sourdough bread")
        #expect(VectorMath.dot(query, related) > VectorMath.dot(query, unrelated) + 0.2)
    }

    @Test func concurrentCallersGetTheSameVectors() async throws {
        let encoder = try SharedEncoder.get()
        let texts = try ReferenceFixture.load().cases.prefix(8).map(\.text)
        let expected = texts.map { encoder.embed($0) }
        let results = await withTaskGroup(of: (Int, [Float]).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, encoder.embed(text)) }
            }
            var results = [[Float]](repeating: [], count: texts.count)
            for await (index, vector) in group { results[index] = vector }
            return results
        }
        for (index, vector) in results.enumerated() {
            let difference = zip(vector, expected[index]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(vector.count == MiniLMEncoder.dimension && difference <= 1e-6, "text \(index): \(difference)")
        }
    }
}
