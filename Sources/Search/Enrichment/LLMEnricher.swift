import Foundation
import LLM
import SpeakerCore
import Storage

/// Enriches a speaker with a language model when one is configured: expertise tags from
/// the topic vocabulary with a confidence, where the profile says they are based, the
/// languages it says they speak, and gender — only where the profile states it (a
/// pronoun or a word such as "she"), with the words quoted as evidence. Every value is
/// checked: tags must be topics of the vocabulary, places and languages known to the
/// gazetteer, and the quoted evidence must occur in the profile; anything else is dropped.
/// Values are stored with origin `llm`, beside the offline ones; a page's value still wins.
public struct LLMEnricher: Sendable {
    let client: any LLMClient
    let vocabulary: TopicVocabulary
    let gazetteer: Gazetteer
    let record: @Sendable (LLMCall) async -> Void
    /// Whether another call may be made (the run's spending limit).
    let allowed: @Sendable () async -> Bool
    /// Answers already paid for, by profile text, prompt and model: enriching an unchanged
    /// profile again costs nothing.
    let cache: LLMAnswerCache?

    /// Bump when the prompt or schema changes in a way that changes answers.
    static let promptVersion = "enrich-1"

    /// `record` gets every call (for api_calls); `allowed` is asked before each call.
    public init(client: any LLMClient, vocabulary: TopicVocabulary = .shared, gazetteer: Gazetteer = .shared,
                cache: LLMAnswerCache? = nil,
                allowed: @escaping @Sendable () async -> Bool = { true },
                record: @escaping @Sendable (LLMCall) async -> Void) {
        self.client = client
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self.cache = cache
        self.allowed = allowed
        self.record = record
    }

    static let schema = """
        {"type":"object","additionalProperties":false,"required":["tags","based_in","languages","gender"],
         "properties":{
          "tags":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["slug","confidence"],
             "properties":{"slug":{"type":"string"},"confidence":{"type":"number"}}}},
          "based_in":{"type":["object","null"],"additionalProperties":false,"required":["place","confidence","evidence"],
             "properties":{"place":{"type":"string"},"confidence":{"type":"number"},"evidence":{"type":"string"}}},
          "languages":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["language","confidence","evidence"],
             "properties":{"language":{"type":"string"},"confidence":{"type":"number"},"evidence":{"type":"string"}}}},
          "gender":{"type":["object","null"],"additionalProperties":false,"required":["value","confidence","evidence"],
             "properties":{"value":{"type":"string","enum":["woman","man","nonbinary"]},"confidence":{"type":"number"},"evidence":{"type":"string"}}}
         }}
        """

    struct Answer: Decodable {
        struct Tag: Decodable { var slug: String; var confidence: Double }
        struct Quoted: Decodable { var place: String?; var language: String?; var value: String?; var confidence: Double; var evidence: String }
        var tags: [Tag]
        var based_in: Quoted?
        var languages: [Quoted]
        var gender: Quoted?
    }

    /// The profile text the model reads (and the evidence must come from).
    static func profile(_ input: EnrichmentInput) -> String {
        var lines = ["Name: \(input.name)"]
        if let title = input.title { lines.append("Title: \(title)") }
        if let affiliation = input.affiliation { lines.append("Affiliation: \(affiliation)") }
        if let bio = input.bio { lines.append("Bio: \(bio.prefix(4000))") }
        let events = input.events.compactMap(\.title).prefix(10)
        if !events.isEmpty { lines.append("Spoke at: " + events.joined(separator: "; ")) }
        return lines.joined(separator: "\n")
    }

    /// Whether there is anything for a model to read beyond a name (no call otherwise).
    public static func worthAsking(_ input: EnrichmentInput) -> Bool {
        (input.bio?.count ?? 0) >= 40 || !(input.title ?? "").isEmpty
    }

    public func attributes(for input: EnrichmentInput) async -> [SpeakerAttribute] {
        let profile = Self.profile(input)
        let topics = vocabulary.topics.values.sorted { $0.slug < $1.slug }.map { "\($0.slug) (\($0.label))" }.joined(separator: ", ")
        let system = """
            You read a speaker's profile and record facts it states. Tags: the profile's areas \
            of expertise, chosen only from these topic slugs: \(topics). Based in: only if the \
            profile says where the person lives or works, as "City, Country" or "Country". \
            Languages: only languages the profile says the person speaks. Gender: only if the \
            profile states it (for example by pronouns); never infer it from the name. For \
            based_in, languages and gender quote the exact words of the profile as evidence. \
            Confidence is between 0 and 1. Use null or an empty list when the profile says nothing.
            """
        let key = LLMAnswerCache.key([Self.promptVersion, client.provider, client.model, Self.schema, system, profile])
        if let cached = await cache?.answer(key), let answer = try? JSONDecoder().decode(Answer.self, from: Data(cached.utf8)) {
            return validate(answer, profile: profile)
        }
        guard await allowed() else { return [] }
        let started = ContinuousClock.now
        do {
            let response = try await client.complete(LLMRequest(system: system, user: profile, schemaJSON: Self.schema,
                                                                 schemaName: "speaker_facts", maxOutputTokens: 600))
            await record(LLMCall(provider: client.provider, model: response.model, inputTokens: response.inputTokens,
                                 outputTokens: response.outputTokens, latency: response.latency, status: "ok"))
            guard let json = response.json, let answer = try? JSONDecoder().decode(Answer.self, from: Data(json.utf8)) else { return [] }
            await cache?.store(key, json)
            return validate(answer, profile: profile)
        } catch {
            await record(LLMCall(provider: client.provider, model: client.model, inputTokens: 0, outputTokens: 0,
                                 latency: ContinuousClock.now - started, status: "error"))
            return []
        }
    }

    func validate(_ answer: Answer, profile: String) -> [SpeakerAttribute] {
        let folded = Gazetteer.fold(profile)
        func quoted(_ evidence: String) -> Bool {
            let e = Gazetteer.fold(evidence)
            return !e.isEmpty && folded.contains(e)
        }
        func confidence(_ value: Double) -> Double { value.isFinite ? min(max(value, 0), 1) : 0 }
        var out: [SpeakerAttribute] = []
        for tag in answer.tags.prefix(12) {
            guard let topic = vocabulary.topics[tag.slug], !out.contains(where: { $0.value == topic.slug }) else { continue }
            out.append(SpeakerAttribute(kind: .tag, value: topic.slug, label: topic.label, origin: .llm, confidence: confidence(tag.confidence)))
        }
        if let based = answer.based_in, let text = based.place, quoted(based.evidence),
           let place = gazetteer.resolve(location: text) ?? gazetteer.place(text), place.kind != .region, let code = place.countries.first {
            out.append(SpeakerAttribute(kind: .country, value: code, label: gazetteer.countries[code]?.name ?? code, origin: .llm,
                                        confidence: confidence(based.confidence), evidence: String(based.evidence.prefix(200))))
            if place.kind == .city, let city = place.city {
                out.append(SpeakerAttribute(kind: .city, value: "\(city), \(code)", label: city, origin: .llm,
                                            confidence: confidence(based.confidence), evidence: String(based.evidence.prefix(200))))
            }
        }
        for item in answer.languages.prefix(10) {
            guard let name = item.language, quoted(item.evidence), let language = gazetteer.language(name) ?? gazetteer.language(code: name),
                  !out.contains(where: { $0.kind == .language && $0.value == language.code }) else { continue }
            out.append(SpeakerAttribute(kind: .language, value: language.code, label: language.name, origin: .llm,
                                        confidence: confidence(item.confidence), evidence: String(item.evidence.prefix(200))))
        }
        if let gender = answer.gender, let value = gender.value, ["woman", "man", "nonbinary"].contains(value), quoted(gender.evidence) {
            out.append(SpeakerAttribute(kind: .gender, value: value, label: value, origin: .llm, confidence: confidence(gender.confidence),
                                        evidence: String(gender.evidence.prefix(200))))
        }
        return out
    }
}
