import Foundation
import LLM
import SpeakerCore

/// Reads a request with a language model when one is configured: the model fills a JSON
/// schema of the same constraints the offline parser finds, and the answer is normalised
/// through the same gazetteer (place names to ISO codes, language names to ISO 639-1).
/// Anything unusable — an API error, malformed JSON, an unknown place — falls back to the
/// offline parse (or drops that one constraint) and says so in the request's notes.
public struct LLMRequestParser: Sendable {
    let client: any LLMClient
    let offline: RequestParser
    let record: @Sendable (LLMCall) async -> Void

    /// `record` gets every call, for cost accounting (api_calls).
    public init(client: any LLMClient, offline: RequestParser = RequestParser(), record: @escaping @Sendable (LLMCall) async -> Void) {
        self.client = client
        self.offline = offline
        self.record = record
    }

    static let system = """
        You turn a request for event speakers into search constraints. Fill the schema only \
        from what the request says; never invent constraints. `topic` is what the speakers \
        should be expert in (or a person's or organisation's name), without the constraints. \
        `strength` is "required" unless the request softens it ("ideally", "prefer", "if \
        possible"), then "preferred". `scope` is "events" when the place is where they spoke \
        ("spoke in Nairobi"), else "based". Dates are event dates, YYYY-MM-DD. Roles are one of \
        keynote, speaker, panelist, moderator, host, performer. Genders are "woman" or "man", \
        only when the request asks for them.
        """

    static let schema = """
        {"type":"object","additionalProperties":false,"required":["topic","count","locations","languages","roles","date_from","date_to","date_strength","affiliations","genders"],
         "properties":{
          "topic":{"type":"string"},
          "count":{"type":["integer","null"]},
          "locations":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["place","scope","strength"],
             "properties":{"place":{"type":"string"},"scope":{"type":"string","enum":["based","events"]},"strength":{"type":"string","enum":["required","preferred"]}}}},
          "languages":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["language","strength"],
             "properties":{"language":{"type":"string"},"strength":{"type":"string","enum":["required","preferred"]}}}},
          "roles":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["role","strength"],
             "properties":{"role":{"type":"string"},"strength":{"type":"string","enum":["required","preferred"]}}}},
          "date_from":{"type":["string","null"]},"date_to":{"type":["string","null"]},
          "date_strength":{"type":"string","enum":["required","preferred"]},
          "affiliations":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["name","strength"],
             "properties":{"name":{"type":"string"},"strength":{"type":"string","enum":["required","preferred"]}}}},
          "genders":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["gender","strength"],
             "properties":{"gender":{"type":"string","enum":["woman","man"]},"strength":{"type":"string","enum":["required","preferred"]}}}}
         }}
        """

    struct Answer: Decodable {
        struct Located: Decodable { var place: String; var scope: String; var strength: String }
        struct Spoken: Decodable { var language: String; var strength: String }
        struct Played: Decodable { var role: String; var strength: String }
        struct Works: Decodable { var name: String; var strength: String }
        struct Gendered: Decodable { var gender: String; var strength: String }
        var topic: String
        var count: Int?
        var locations: [Located]
        var languages: [Spoken]
        var roles: [Played]
        var date_from: String?
        var date_to: String?
        var date_strength: String?
        var affiliations: [Works]
        var genders: [Gendered]
    }

    public func parse(_ query: String) async -> SearchRequest {
        let started = ContinuousClock.now
        do {
            let response = try await client.complete(LLMRequest(
                system: Self.system, user: "Request: \(query.prefix(2000))", schemaJSON: Self.schema, schemaName: "speaker_request", maxOutputTokens: 800))
            await record(LLMCall(provider: client.provider, model: response.model, inputTokens: response.inputTokens,
                               outputTokens: response.outputTokens, latency: response.latency, status: "ok"))
            guard let json = response.json, let data = json.data(using: .utf8),
                  let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
                var fallback = offline.parse(query)
                fallback.notes.append("the LLM's answer was not usable; the request was read offline")
                return fallback
            }
            return normalise(answer, query: query, model: response.model)
        } catch {
            await record(LLMCall(provider: client.provider, model: client.model, inputTokens: 0, outputTokens: 0,
                               latency: ContinuousClock.now - started, status: "error"))
            var fallback = offline.parse(query)
            fallback.notes.append("the LLM could not be asked (\(Self.reason(error))); the request was read offline")
            return fallback
        }
    }

    /// Why a call failed, without anything the server echoed back (it may quote the key).
    static func reason(_ error: any Error) -> String {
        switch error as? LLMError {
        case .api(let status, _, _)?: "the API answered HTTP \(status)"
        case .transport?: "network error"
        case .malformed?: "malformed answer"
        case .budgetExhausted?: "budget spent"
        case nil: "error"
        }
    }

    func normalise(_ answer: Answer, query: String, model: String) -> SearchRequest {
        let gazetteer = offline.gazetteer
        func strength(_ s: String?) -> Strength { s == "preferred" ? .preferred : .required }
        var request = SearchRequest(query: query, topic: String(answer.topic.prefix(500)).trimmingCharacters(in: .whitespacesAndNewlines))
        request.parser = "llm:\(model)"
        if let count = answer.count, (1...100).contains(count) { request.count = count }
        for item in answer.locations.prefix(10) {
            guard let place = gazetteer.place(item.place) ?? gazetteer.resolve(location: item.place) else {
                request.notes.append("place \u{201C}\(item.place.prefix(80))\u{201D} is not in the gazetteer; not applied")
                continue
            }
            request.locations.append(Constraint(LocationConstraintValue(place: place, scope: item.scope == "events" ? .events : .based),
                                                strength(item.strength), text: String(item.place.prefix(80))))
        }
        for item in answer.languages.prefix(10) {
            guard let language = gazetteer.language(item.language) ?? gazetteer.language(code: item.language) else {
                request.notes.append("language \u{201C}\(item.language.prefix(40))\u{201D} is not known; not applied")
                continue
            }
            request.languages.append(Constraint(language, strength(item.strength), text: "speaks \(language.name)"))
        }
        for item in answer.roles.prefix(6) {
            guard let role = Role(rawValue: item.role.lowercased()) ?? Role(label: item.role) else {
                request.notes.append("role \u{201C}\(item.role.prefix(40))\u{201D} is not known; not applied")
                continue
            }
            if !request.roles.contains(where: { $0.value == role }) { request.roles.append(Constraint(role, strength(item.strength), text: role.rawValue)) }
        }
        let from = answer.date_from.flatMap(LocalDate.init(iso:)), to = answer.date_to.flatMap(LocalDate.init(iso:))
        if from != nil || to != nil {
            let range = DateRange(from: from, to: to)
            request.dates = Constraint(range, strength(answer.date_strength), text: range.label)
        }
        for item in answer.affiliations.prefix(5) where !item.name.trimmingCharacters(in: .whitespaces).isEmpty {
            request.affiliations.append(Constraint(String(item.name.prefix(200)), strength(item.strength), text: "at \(item.name.prefix(200))"))
        }
        for item in answer.genders.prefix(2) where ["woman", "man"].contains(item.gender) {
            request.genders.append(Constraint(item.gender, strength(item.strength), text: item.gender == "woman" ? "women" : "men"))
        }
        return request
    }
}
