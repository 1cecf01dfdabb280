import AsyncHTTPClient
import Foundation
import LLM
import NIOConcurrencyHelpers
import Search
import SQLKit
import Storage
import SpeakerCore
import Testing
import TestSupport
import Vapor

/// The LLM request parser through the real Anthropic client, against a local server that
/// speaks the Messages API.
@Suite("LLM request parser against a local stand-in", .serialized)
struct LLMRequestParserTests {
    enum Answer: Sendable { case constraints, garbage, unknownPlace, refused }

    static var constraints: [String: Any] { [
        "topic": "Chinese economy", "count": 3,
        "locations": [["place": "Europe", "scope": "based", "strength": "preferred"], ["place": "Nairobi", "scope": "events", "strength": "required"]],
        "languages": [["language": "Mandarin", "strength": "required"]],
        "roles": [["role": "moderator", "strength": "required"]],
        "date_from": "2023-01-01", "date_to": NSNull(), "date_strength": "required",
        "affiliations": [["name": "Meridian Forum", "strength": "preferred"]],
        "genders": [["gender": "woman", "strength": "preferred"]],
    ] }

    func withServer(_ answer: Answer, _ body: (String, NIOLockedValueBox<[[String: Any]]>, HTTPClient) async throws -> Void) async throws {
        let seen = NIOLockedValueBox<[[String: Any]]>([])
        try await FixtureServer.with(routes: { app in
            app.on(.POST, "v1", "messages", body: .collect(maxSize: "1mb")) { request -> Response in
                let object = (try? JSONSerialization.jsonObject(with: Data(request.body.data.map { Array($0.readableBytesView) } ?? []))) as? [String: Any] ?? [:]
                seen.withLockedValue { $0.append(object) }
                if answer == .refused {
                    return Response(status: .unauthorized, headers: ["Content-Type": "application/json"],
                                    body: .init(string: #"{"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key sk-ant-test-SECRET"}}"#))
                }
                var input: Any = Self.constraints
                if answer == .unknownPlace {
                    var c = Self.constraints
                    c["locations"] = [["place": "Atlantis", "scope": "based", "strength": "required"]]
                    input = c
                }
                let content: [[String: Any]] = answer == .garbage
                    ? [["type": "text", "text": "I think you want {\"topic\": "]]
                    : [["type": "tool_use", "id": "toolu_1", "name": "speaker_request", "input": input]]
                let body: [String: Any] = ["id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
                                           "content": content, "stop_reason": "tool_use", "usage": ["input_tokens": 420, "output_tokens": 95]]
                return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: body)))
            }
        }) { server in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                try await body(server.base, seen, http)
                try await http.shutdown()
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
    }

    func parser(_ base: String, _ http: HTTPClient, _ usages: NIOLockedValueBox<[LLMCall]>) -> LLMRequestParser {
        let client = AnthropicClient(apiKey: "sk-ant-test-SECRET-0123456789", model: "claude-haiku-4-5", baseURL: base, http: http, retry: RetryPolicy(maxAttempts: 1))
        return LLMRequestParser(client: client) { usage in usages.withLockedValue { $0.append(usage) } }
    }

    @Test func theModelsConstraintsAreNormalisedAndCosted() async throws {
        try await withServer(.constraints) { base, seen, http in
            let usages = NIOLockedValueBox<[LLMCall]>([])
            let request = await parser(base, http, usages).parse("3 speakers on the Chinese economy, ideally women based in Europe")
            #expect(request.parser == "llm:claude-haiku-4-5")
            #expect(request.topic == "Chinese economy" && request.count == 3)
            #expect(request.locations.count == 2)
            #expect(request.locations[0].value.place.kind == .region && request.locations[0].value.place.countries.contains("FR") && request.locations[0].strength == .preferred)
            #expect(request.locations[1].value.place.city == "Nairobi" && request.locations[1].value.scope == .events)
            #expect(request.languages.map(\.value.code) == ["zh"])
            #expect(request.roles.map(\.value) == [.moderator])
            #expect(request.dates?.value == DateRange(from: LocalDate(iso: "2023-01-01"), to: nil))
            #expect(request.affiliations.map(\.value) == ["Meridian Forum"] && request.affiliations[0].strength == .preferred)
            #expect(request.genders.map(\.value) == ["woman"])
            // One call, its usage reported for api_calls; the query and the schema went out.
            let usage = try #require(usages.withLockedValue { $0 }.first)
            #expect(usage.inputTokens == 420 && usage.outputTokens == 95 && usage.status == "ok" && usage.model == "claude-haiku-4-5")
            let sent = try #require(seen.withLockedValue { $0 }.first)
            #expect(((sent["messages"] as? [[String: Any]])?.first?["content"] as? String)?.contains("Chinese economy") == true)
            #expect((sent["tools"] as? [[String: Any]])?.first?["name"] as? String == "speaker_request")
        }
    }

    @Test func garbageOrARefusalFallsBackToTheOfflineParser() async throws {
        for answer in [Answer.garbage, .refused] {
            try await withServer(answer) { base, _, http in
                let usages = NIOLockedValueBox<[LLMCall]>([])
                let request = await parser(base, http, usages).parse("3 speakers on the Chinese economy, ideally women based in Europe")
                #expect(request.parser == "offline")
                #expect(request.count == 3 && request.topic == "Chinese economy", "the offline reading")
                #expect(request.notes.contains { $0.contains("read offline") })
                #expect(!request.notes.joined().contains("SECRET"), "the server's echo of the key never reaches the notes")
                #expect(usages.withLockedValue { $0.count } == 1, "the call is recorded either way")
            }
        }
    }

    @Test func anUnknownPlaceIsDroppedAndSaid() async throws {
        try await withServer(.unknownPlace) { base, _, http in
            let usages = NIOLockedValueBox<[LLMCall]>([])
            let request = await parser(base, http, usages).parse("speakers from Atlantis")
            #expect(request.locations.isEmpty)
            #expect(request.notes.contains { $0.contains("Atlantis") && $0.contains("not applied") })
        }
    }
}

/// LLM enrichment through the real Anthropic client against a local stand-in: values are
/// kept only when they check out, stored with origin `llm` beside the offline ones.
@Suite("LLM enrichment against a local stand-in", .serialized)
struct LLMEnrichmentTests {
    static func answer(for profile: String) -> [String: Any] {
        if profile.contains("Amara") {
            return ["tags": [["slug": "climate-finance", "confidence": 0.92], ["slug": "astrology", "confidence": 0.9]],
                    "based_in": ["place": "Nairobi, Kenya", "confidence": 0.85, "evidence": "based in Nairobi"],
                    "languages": [["language": "Swahili", "confidence": 0.8, "evidence": "speaks Swahili"],
                                  ["language": "Klingon", "confidence": 0.9, "evidence": "speaks Swahili"]],
                    "gender": ["value": "woman", "confidence": 0.9, "evidence": "She chairs"]]
        }
        // Made-up evidence: none of it is in the profile.
        return ["tags": [] as [Any], "based_in": ["place": "Paris", "confidence": 0.9, "evidence": "lives in Paris"],
                "languages": [["language": "French", "confidence": 0.9, "evidence": "fluent in French"]],
                "gender": ["value": "man", "confidence": 0.7, "evidence": "his research"]]
    }

    @Test func aSpentBudgetMeansNoCall() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        // Nothing listens on port 9: a call would fail and still be recorded.
        let client = AnthropicClient(apiKey: "sk-ant-test", model: "claude-haiku-4-5", baseURL: "http://127.0.0.1:9", http: http, retry: RetryPolicy(maxAttempts: 1))
        let calls = NIOLockedValueBox<Int>(0)
        let llm = LLMEnricher(client: client, allowed: { false }) { _ in calls.withLockedValue { $0 += 1 } }
        let input = EnrichmentInput(speakerID: 1, name: "Amara Okafor", title: "Chief Economist", affiliation: nil,
                                    bio: "Amara Okafor is based in Nairobi and works on climate finance.", location: nil, events: [])
        #expect(await llm.attributes(for: input).isEmpty)
        #expect(calls.withLockedValue { $0 } == 0)
        try await http.shutdown()
    }

    @Test func checkedValuesAreStoredBesideTheOfflineOnes() async throws {
        let profiles = NIOLockedValueBox<[String]>([])
        try await FixtureServer.with(routes: { app in
            app.on(.POST, "v1", "messages", body: .collect(maxSize: "1mb")) { request -> Response in
                let object = (try? JSONSerialization.jsonObject(with: Data(request.body.data.map { Array($0.readableBytesView) } ?? []))) as? [String: Any] ?? [:]
                let profile = ((object["messages"] as? [[String: Any]])?.first?["content"] as? String) ?? ""
                profiles.withLockedValue { $0.append(profile) }
                let body: [String: Any] = ["id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
                                           "content": [["type": "tool_use", "id": "toolu_1", "name": "speaker_facts", "input": Self.answer(for: profile)]],
                                           "stop_reason": "tool_use", "usage": ["input_tokens": 700, "output_tokens": 120]]
                return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: body)))
            }
        }) { server in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
            try await TestDatabase.with { database in
                let document = ExportDocument(speakers: [
                    ExportSpeaker(id: 1, name: "Amara Okafor", title: "Chief Economist", affiliation: "Northbridge Institute",
                                  bio: "Amara Okafor is based in Nairobi. She chairs the climate finance group and speaks Swahili.",
                                  events: [ExportAppearance(url: "https://x.org/1", title: "Finance Week", date: "2024-01-01", role: "speaker")]),
                    ExportSpeaker(id: 2, name: "Henrik Aalto", title: "Director", affiliation: "Halvorsen Climate Lab",
                                  bio: "Henrik Aalto directs an independent research centre on oceans and ice.",
                                  events: [ExportAppearance(url: "https://x.org/2", title: "Ocean Day", date: "2024-02-01", role: "speaker")]),
                    ExportSpeaker(id: 3, name: "Jo Bloggs", title: nil, affiliation: nil, bio: nil,
                                  events: [ExportAppearance(url: "https://x.org/3", title: "Ocean Day", date: "2024-02-01", role: "speaker")]),
                ])
                _ = try await SpeakerImporter().run(try SpeakerImporter.validate(document), on: database.db)
                let client = AnthropicClient(apiKey: "sk-ant-test", model: "claude-haiku-4-5", baseURL: server.base, http: http, retry: RetryPolicy(maxAttempts: 1))
                let calls = NIOLockedValueBox<Int>(0)
                let llm = LLMEnricher(client: client) { usage in
                    #expect(usage.inputTokens == 700 && usage.outputTokens == 120)
                    calls.withLockedValue { $0 += 1 }
                }
                #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: 86_400, llm: llm) == 3)
                #expect(calls.withLockedValue { $0 } == 2, "a profile with nothing but a name is not sent")
                #expect(profiles.withLockedValue { $0 }.allSatisfy { !$0.contains("Jo Bloggs") })

                let ids = try await database.db.sqlDatabase().raw("SELECT id, name FROM speakers ORDER BY id").all()
                    .map { (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "name", as: String.self)) }
                let amara = ids.first { $0.1 == "Amara Okafor" }!.0, henrik = ids.first { $0.1 == "Henrik Aalto" }!.0
                let store = try AttributeStore(database.db)
                let a = try await store.attributes(speakerIDs: [amara, henrik])
                let amaraLLM = (a[amara] ?? []).filter { $0.origin == .llm }
                #expect(Set(amaraLLM.map { "\($0.kind.rawValue):\($0.value)" }) == ["tag:climate-finance", "country:KE", "city:Nairobi, KE", "language:sw", "gender:woman"],
                        "\(amaraLLM.map { "\($0.kind.rawValue):\($0.value)" })")
                #expect(amaraLLM.first { $0.kind == .tag }?.confidence == 0.92)
                #expect((a[amara] ?? []).contains { $0.kind == .country && $0.origin == .bio }, "the offline value is kept beside it")
                #expect(SpeakerAttribute.shown(a[amara] ?? [], kind: .country).first?.origin == .bio, "a guess never outranks the profile's own words")
                #expect(!(a[henrik] ?? []).contains { $0.origin == .llm && $0.kind != .tag }, "values whose quoted evidence is not in the profile are dropped")

                // A gender constraint now applies, and only where the profile said so.
                let hybrid = try HybridSearch(database: database.db, index: nil, embedder: nil)
                let result = try await RequestSearch(database: database.db, hybrid: hybrid).search(RequestParser().parse("women economists"), mode: .keyword)
                #expect(result.constraints.first { $0.kind == "gender" }?.applied == true)
                #expect(result.outcome.hits.map(\.speaker.name) == ["Amara Okafor"])

                // Answers are cached by profile text, prompt and model: enriching unchanged
                // profiles again pays nothing; a changed profile is asked again.
                let paid = NIOLockedValueBox<Int>(0)
                let cached = LLMEnricher(client: client, cache: LLMAnswerCache(database.db)) { _ in paid.withLockedValue { $0 += 1 } }
                #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: -1, llm: cached) == 3)
                #expect(paid.withLockedValue { $0 } == 2, "the first cached run pays once per profile")
                #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: -1, llm: cached) == 3)
                #expect(paid.withLockedValue { $0 } == 2, "unchanged profiles are answered from the cache")
                try await database.db.sqlDatabase().raw("UPDATE speakers SET bio = bio || ' She also leads a reading group.' WHERE id = \(bind: amara)").run()
                #expect(try await EnrichmentRefresh.run(on: database.db, maxAge: -1, llm: cached) == 3)
                #expect(paid.withLockedValue { $0 } == 3, "only the changed profile is asked again")
                #expect(try await AttributeStore(database.db).attributes(speakerIDs: [amara])[amara]?.contains { $0.kind == .gender && $0.origin == .llm } == true,
                        "a cached answer is validated and stored like a fresh one")
            }
                try await http.shutdown()
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
    }
}
