import AsyncHTTPClient
import Extraction
import Foundation
import LLM
import NIOConcurrencyHelpers
import Testing
import TestSupport
import Vapor

/// Local servers speaking the Anthropic Messages and OpenAI Chat Completions wire formats.
/// The clients under test are the ones that talk to the real services.
final class StandInLLM: @unchecked Sendable {
    enum Behaviour: Sendable {
        case answer
        case tooManyRequestsFirst
        case truncateLongParts
        case malformed
        case proseWrapped
        case badRequest
    }

    let behaviour: Behaviour
    let requests = NIOLockedValueBox<[[String: Any]]>([])
    let headers = NIOLockedValueBox<[HTTPHeaders]>([])
    var count: Int { requests.withLockedValue { $0.count } }

    init(_ behaviour: Behaviour) {
        self.behaviour = behaviour
    }

    static let speakers = #"{"speakers": [{"name": "Ines Carvalho", "title": "Marine Economist", "affiliation": "Tidewater Institute", "role": "panelist", "bio": null}, {"name": null, "title": null, "affiliation": null, "role": "speaker", "bio": null}, {"name": "Northbridge Foundation", "title": null, "affiliation": null, "role": "speaker", "bio": null}, {"name": "Ines Carvalho", "title": null, "affiliation": null, "role": "speaker", "bio": null}]}"#

    func routes(_ app: Application) {
        app.on(.POST, "v1", "messages", body: .collect(maxSize: "1mb")) { request -> Response in
            let object = (try? JSONSerialization.jsonObject(with: Data(request.body.data.map { Array($0.readableBytesView) } ?? []))) as? [String: Any] ?? [:]
            let index = self.record(object, request.headers)
            if let error = self.failure(index: index, object: object) { return error }
            let text = ((object["messages"] as? [[String: Any]])?.first?["content"] as? String) ?? ""
            let truncated = self.behaviour == .truncateLongParts && text.count > 1200
            let content: [[String: Any]]
            switch self.behaviour {
            case .malformed: content = [["type": "text", "text": "Sure! {\"speakers\": [ {\"name\": \"Ines"]]
            case .proseWrapped: content = [["type": "text", "text": "Here is the list:\n```json\n\(Self.speakers)\n```"]]
            default: content = [["type": "tool_use", "id": "toolu_1", "name": "record_speakers", "input": try JSONSerialization.jsonObject(with: Data(Self.speakers.utf8))]]
            }
            let body: [String: Any] = ["id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
                                       "content": truncated ? [] : content, "stop_reason": truncated ? "max_tokens" : "tool_use",
                                       "usage": ["input_tokens": 1200, "output_tokens": truncated ? 4000 : 180]]
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: body)))
        }
        app.on(.POST, "v1", "chat", "completions", body: .collect(maxSize: "1mb")) { request -> Response in
            let object = (try? JSONSerialization.jsonObject(with: Data(request.body.data.map { Array($0.readableBytesView) } ?? []))) as? [String: Any] ?? [:]
            let index = self.record(object, request.headers)
            if let error = self.failure(index: index, object: object) { return error }
            let messages = object["messages"] as? [[String: Any]] ?? []
            let truncated = self.behaviour == .truncateLongParts && ((messages.last?["content"] as? String)?.count ?? 0) > 300
            let content = self.behaviour == .malformed ? "{\"speakers\": [" : Self.speakers
            let body: [String: Any] = ["id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-mini-2024-07-18",
                                       "choices": [["index": 0, "message": ["role": "assistant", "content": truncated ? "{\"speakers\": [{\"na" : content],
                                                    "finish_reason": truncated ? "length" : "stop"]],
                                       "usage": ["prompt_tokens": 1000, "completion_tokens": 150, "total_tokens": 1150]]
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: body)))
        }
    }

    func record(_ object: [String: Any], _ headers: HTTPHeaders) -> Int {
        self.headers.withLockedValue { $0.append(headers) }
        return requests.withLockedValue { $0.append(object); return $0.count }
    }

    func failure(index: Int, object: [String: Any]) -> Response? {
        switch behaviour {
        case .tooManyRequestsFirst where index == 1:
            return Response(status: .tooManyRequests, headers: ["retry-after": "1", "Content-Type": "application/json"],
                            body: .init(string: #"{"type": "error", "error": {"type": "rate_limit_error", "message": "Number of requests has exceeded your rate limit"}}"#))
        case .badRequest:
            return Response(status: .badRequest, headers: ["Content-Type": "application/json"],
                            body: .init(string: #"{"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens: too large"}}"#))
        default:
            return nil
        }
    }
}

func withStandIn<T>(_ behaviour: StandInLLM.Behaviour, _ body: (StandInLLM, FixtureServer, HTTPClient) async throws -> T) async throws -> T {
    let standIn = StandInLLM(behaviour)
    return try await FixtureServer.with(routes: { standIn.routes($0) }) { server in
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await body(standIn, server, http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}

let secretKey = "sk-ant-test-SECRET-0123456789"

@Suite("LLM clients against local stand-ins", .serialized)
struct LLMTests {
    func extractor(_ client: any LLMClient) -> LLMSpeakerExtractor { LLMSpeakerExtractor(client: client) }

    @Test func anthropicToolUseIsParsedAndValidated() async throws {
        try await withStandIn(.answer) { standIn, server, http in
            let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
            let calls = NIOLockedValueBox<[LLMSpeakerExtractor.Call]>([])
            let people = try await extractor(client).extract(part: "Panel on ocean finance with Ines Carvalho.", url: "https://x.org/e", title: "Ocean finance",
                                                             cached: { _ in nil }, store: { _, _ in }, record: { call in calls.withLockedValue { $0.append(call) } })
            // Null names, organisations and duplicates are refused.
            #expect(people.map(\.name) == ["Ines Carvalho"])
            #expect(people.first?.role == .panelist)
            #expect(people.first?.primaryAffiliation == "Tidewater Institute")
            let request = try #require(standIn.requests.withLockedValue { $0.first })
            #expect((request["tool_choice"] as? [String: Any])?["name"] as? String == "record_speakers")
            #expect((request["max_tokens"] as? Int ?? 0) <= client.outputTokenLimit)
            let sent = try #require(standIn.headers.withLockedValue { $0.first })
            #expect(sent.first(name: "x-api-key") == secretKey)
            #expect(sent.first(name: "anthropic-version") == "2023-06-01")
            let call = try #require(calls.withLockedValue { $0.first })
            #expect(call.inputTokens == 1200 && call.outputTokens == 180)
            #expect(PriceTable.costMicros(model: call.model, inputTokens: call.inputTokens, outputTokens: call.outputTokens) == 1200 * 3 + 180 * 15)
        }
    }

    @Test func rateLimitsAreRetriedAfterRetryAfter() async throws {
        try await withStandIn(.tooManyRequestsFirst) { standIn, server, http in
            let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
            let clock = ContinuousClock()
            let started = clock.now
            let people = try await extractor(client).extract(part: "text", url: "u", title: nil, cached: { _ in nil }, store: { _, _ in }, record: { _ in })
            #expect(people.count == 1)
            #expect(standIn.count == 2)
            #expect(clock.now - started >= .milliseconds(900))
        }
    }

    @Test func errorBodiesBecomeErrorsWithoutTheKey() async throws {
        try await withStandIn(.badRequest) { _, server, http in
            let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
            do {
                _ = try await client.complete(LLMRequest(system: "s", user: "u", schemaJSON: LLMSpeakerExtractor.schema, schemaName: "record_speakers", maxOutputTokens: 10))
                Issue.record("no error")
            } catch let error as LLMError {
                #expect(error.description.contains("invalid_request_error"))
                #expect(error.description.contains("max_tokens: too large"))
                #expect(!error.description.contains("SECRET"))
            }
        }
    }

    @Test func truncatedAnswersAreAskedAgainInParts() async throws {
        try await withStandIn(.truncateLongParts) { standIn, server, http in
            let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
            let part = (1...30).map { "Line \($0) of the programme with a session and its speakers." }.joined(separator: "\n")
            let people = try await extractor(client).extract(part: part, url: "u", title: nil, cached: { _ in nil }, store: { _, _ in }, record: { _ in })
            #expect(standIn.count >= 3, "a truncated answer was not re-asked in parts")
            #expect(people.contains { $0.name == "Ines Carvalho" })
        }
    }

    @Test func malformedAnswersAreRefusedAndProseIsUnwrapped() async throws {
        try await withStandIn(.malformed) { _, server, http in
            let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
            await #expect(throws: LLMError.self) {
                _ = try await extractor(client).extract(part: "t", url: "u", title: nil, cached: { _ in nil }, store: { _, _ in }, record: { _ in })
            }
        }
        try await withStandIn(.proseWrapped) { _, server, http in
            let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
            let people = try await extractor(client).extract(part: "t", url: "u", title: nil, cached: { _ in nil }, store: { _, _ in }, record: { _ in })
            #expect(people.map(\.name) == ["Ines Carvalho"])
        }
    }

    @Test func openAIJSONSchemaAndCompatibleServers() async throws {
        try await withStandIn(.answer) { standIn, server, http in
            let client = OpenAIClient(apiKey: "sk-openai-test", model: "gpt-4o-mini", baseURL: server.base + "/v1", http: http)
            #expect(client.provider == "openai-compatible")
            let response = try await client.complete(LLMRequest(system: "s", user: "u", schemaJSON: LLMSpeakerExtractor.schema, schemaName: "record_speakers", maxOutputTokens: 100))
            #expect(response.inputTokens == 1000 && response.outputTokens == 150)
            #expect(try extractor(client).validate(response.json ?? "").map(\.name) == ["Ines Carvalho"])
            let request = try #require(standIn.requests.withLockedValue { $0.first })
            let format = request["response_format"] as? [String: Any]
            #expect(format?["type"] as? String == "json_schema")
            #expect(standIn.headers.withLockedValue { $0.first?.first(name: "Authorization") } == "Bearer sk-openai-test")
            // A local server needs no key.
            let local = OpenAIClient(apiKey: nil, model: "llama3", baseURL: server.base + "/v1", http: http)
            _ = try await local.complete(LLMRequest(system: "s", user: "u", schemaJSON: LLMSpeakerExtractor.schema, schemaName: "record_speakers", maxOutputTokens: 100))
            #expect(standIn.headers.withLockedValue { $0.last?.first(name: "Authorization") } == nil)
            #expect(PriceTable.costMicros(model: "llama3", inputTokens: 1000, outputTokens: 150) == 0)
        }
        try await withStandIn(.truncateLongParts) { _, server, http in
            let client = OpenAIClient(apiKey: "k", model: "gpt-4o-mini", baseURL: server.base + "/v1", http: http)
            let response = try await client.complete(LLMRequest(system: "s", user: String(repeating: "x", count: 400), schemaJSON: LLMSpeakerExtractor.schema, schemaName: "record_speakers", maxOutputTokens: 100))
            #expect(response.truncated)
        }
    }

    @Test func priceTableComputesExactMicroDollars() {
        #expect(PriceTable.costMicros(model: "claude-sonnet-4-5-20250929", inputTokens: 1_000_000, outputTokens: 1_000_000) == 18_000_000)
        #expect(PriceTable.costMicros(model: "gpt-4o-mini-2024-07-18", inputTokens: 10, outputTokens: 10) == 8)
        #expect(PriceTable.costMicros(model: "claude-3-5-haiku-latest", inputTokens: 1000, outputTokens: 100) == 1200)
        #expect(PriceTable.dollars(1_234_500) == "$1.2345")
    }
}
