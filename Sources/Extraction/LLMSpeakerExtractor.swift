import Names
import Crypto
import Foundation
import HTMLParsing
import LLM
import SpeakerCore

/// Extraction with a language model: the page's main text is sent in parts split at
/// section boundaries, the model fills a JSON schema, every answer is validated (no null
/// names, no non-persons, no duplicates), truncated answers are re-asked in halves, and
/// each call's usage is reported to `record`.
public struct LLMSpeakerExtractor: Sendable {
    public static let version = "llm-extract-1"
    public let client: any LLMClient
    /// Largest part of page text sent in one request, in characters.
    public var maxChunkCharacters = 12_000
    /// Most parts of one page sent to the model (`LLM_MAX_PARTS_PER_PAGE`): a 10 MiB page
    /// would otherwise be hundreds of paid calls.
    public var maxPartsPerPage = 8
    public var maxOutputTokens = 4_000
    let detector = PersonNameDetector()

    public init(client: any LLMClient) {
        self.client = client
    }

    /// One API call's outcome, for cost accounting.
    public typealias Call = LLMCall

    public static let schema = """
        {"type": "object", "additionalProperties": false, "required": ["speakers"],
         "properties": {"speakers": {"type": "array", "items": {"type": "object", "additionalProperties": false,
           "required": ["name", "title", "affiliation", "role", "bio"],
           "properties": {
             "name": {"type": "string", "description": "The person's full name as written, without honorifics"},
             "title": {"type": ["string", "null"], "description": "Job title or position"},
             "affiliation": {"type": ["string", "null"], "description": "Organisation the person works for"},
             "role": {"type": "string", "enum": ["speaker", "panelist", "moderator", "host", "keynote", "performer", "other"]},
             "bio": {"type": ["string", "null"]}}}}}}
        """

    static let system = """
        You read event web pages and list the people who take part in the event: speakers, panelists, moderators, \
        chairs, hosts, keynote speakers and performers. Include only people who take part in THIS event. Do not include \
        organisations, sponsors, staff or press contacts, photographers, authors of quoted works, people only mentioned \
        in passing, or people listed for other events on the page. Copy names, titles and organisations exactly as written. \
        If nobody takes part by name, return an empty list.
        """

    /// A cache key for a part of a page: the extractor version, the model and the text.
    public func cacheKey(for text: String) -> String {
        let digest = SHA256.hash(data: Data("\(Self.version)|\(client.model)|\(text)".utf8))
        return digest.hexString
    }

    /// Splits page lines into parts of at most `maxChunkCharacters`, preferring to cut
    /// before heading-like lines (short, no final full stop).
    public func chunks(_ lines: [String]) -> [String] {
        var parts: [String] = []
        var current: [String] = []
        var size = 0
        for line in lines {
            let isBoundary = line.count <= 60 && !line.hasSuffix(".")
            if size + line.count > maxChunkCharacters && !current.isEmpty {
                // Cut at the last boundary in the part when there is one late enough.
                if let cut = current.lastIndex(where: { $0.count <= 60 && !$0.hasSuffix(".") }), cut > current.count / 2, !isBoundary {
                    parts.append(current[..<cut].joined(separator: "\n"))
                    current = Array(current[cut...])
                    size = current.reduce(0) { $0 + $1.count }
                } else {
                    parts.append(current.joined(separator: "\n"))
                    current = []
                    size = 0
                }
            }
            current.append(String(line.prefix(maxChunkCharacters)))
            size += line.count
        }
        if !current.isEmpty { parts.append(current.joined(separator: "\n")) }
        return parts
    }

    /// Asks the model about one part; a truncated answer is re-asked in two halves.
    /// `cached`/`store` read and write answers by key; `record` receives every API call.
    public func extract(part: String, url: String, title: String?,
                        cached: @Sendable (String) async -> String?, store: @Sendable (String, String) async -> Void,
                        record: @Sendable (Call) async -> Void, depth: Int = 0) async throws -> [ExtractedPerson] {
        let key = cacheKey(for: part)
        if let json = await cached(key) {
            return try validate(json)
        }
        let request = LLMRequest(system: Self.system, user: "Event page: \(url)\nTitle: \(title ?? "(unknown)")\n\nPage text:\n\(part)",
                                 schemaJSON: Self.schema, schemaName: "record_speakers",
                                 maxOutputTokens: min(maxOutputTokens, client.outputTokenLimit))
        let response: LLMResponse
        do {
            response = try await client.complete(request)
        } catch {
            await record(Call(provider: client.provider, model: client.model, inputTokens: 0, outputTokens: 0, latency: .zero,
                              status: String("\(error)".prefix(200))))
            throw error
        }
        await record(Call(provider: client.provider, model: response.model, inputTokens: response.inputTokens,
                          outputTokens: response.outputTokens, latency: response.latency,
                          status: response.truncated ? "truncated" : "ok"))
        if response.truncated {
            let lines = part.split(separator: "\n").map(String.init)
            guard depth < 2, lines.count >= 2 else { throw LLMError.malformed("the answer was cut off even for a small part of the page") }
            let middle = lines.count / 2
            let first = try await extract(part: lines[..<middle].joined(separator: "\n"), url: url, title: title, cached: cached, store: store, record: record, depth: depth + 1)
            let second = try await extract(part: lines[middle...].joined(separator: "\n"), url: url, title: title, cached: cached, store: store, record: record, depth: depth + 1)
            return first + second
        }
        guard let json = response.json else { throw LLMError.malformed("no answer in the response") }
        let people = try validate(json)
        await store(key, Self.extractJSONObject(json) ?? json)
        return people
    }

    /// Parses and checks an answer. Prose around the JSON is tolerated; anything else
    /// that does not fit the schema is refused.
    public func validate(_ text: String) throws -> [ExtractedPerson] {
        guard let json = Self.extractJSONObject(text), let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LLMError.malformed("the answer is not a JSON object")
        }
        guard let speakers = object["speakers"] as? [Any] else { throw LLMError.malformed("the answer has no speakers list") }
        var people: [ExtractedPerson] = []
        var seen = Set<String>()
        for case let entry as [String: Any] in speakers {
            guard let raw = entry["name"] as? String, let name = detector.parse(raw, context: .structured) else { continue }
            guard seen.insert(TextNormalization.matchKey(name.display)).inserted else { continue }
            let role = (entry["role"] as? String).flatMap { Role(rawValue: $0) } ?? .speaker
            people.append(ExtractedPerson(name: name.display, honorific: name.honorific, title: entry["title"] as? String,
                                          affiliations: [(entry["affiliation"] as? String)].compactMap { $0 }, role: role,
                                          bio: entry["bio"] as? String, confidence: 0.85, extractor: "llm"))
        }
        return people
    }

    /// The first balanced `{…}` in a text (models sometimes wrap JSON in prose or fences).
    static func extractJSONObject(_ text: String) -> String? {
        guard let start = text.firstIndex(of: "{") else { return nil }
        var depth = 0
        var inString = false
        var escaped = false
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "{" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 { return String(text[start...index]) }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
