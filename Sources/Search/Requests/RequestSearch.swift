import FluentKit
import Foundation
import SpeakerCore
import Storage

/// How one parsed constraint was used: applied (and how many candidates it removed or
/// lifted), or why it could not be.
public struct ConstraintReport: Sendable, Codable, Equatable {
    public var kind: String
    public var text: String
    public var strength: Strength
    public var applied: Bool
    public var detail: String
}

/// The answer to a plain-English request: the parsed request, how each constraint was
/// used, and the ranked speakers with what each one meets and misses.
/// In JSON the search outcome's fields (query, requested, mode, hits, notes) stay at the
/// top level, as `/search.json` has always had them, beside `request` and `constraints`.
public struct RequestOutcome: Sendable, Codable, Equatable {
    public var request: SearchRequest
    public var constraints: [ConstraintReport]
    public var outcome: SearchOutcome

    public init(request: SearchRequest, constraints: [ConstraintReport], outcome: SearchOutcome) {
        self.request = request
        self.constraints = constraints
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey { case request, constraints }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        request = try container.decode(SearchRequest.self, forKey: .request)
        constraints = try container.decode([ConstraintReport].self, forKey: .constraints)
        outcome = try SearchOutcome(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try outcome.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(request, forKey: .request)
        try container.encode(constraints, forKey: .constraints)
    }
}

/// Answers a `SearchRequest`: ranks by its topic (keyword, semantic or hybrid), drops
/// speakers that fail a required constraint, lifts those that meet preferences, and cuts
/// to the count asked for. A constraint on data nobody has (gender without LLM
/// enrichment) is reported as not applied instead of emptying the results.
public struct RequestSearch: Sendable {
    /// How far the topic ranking is read when required constraints will filter it.
    public static let filteredDepth = 200
    /// What one met preference adds to a fused score: half of a first place in one ranking.
    public static let preferenceBonus = 0.5 / (HybridSearch.fusionK + 1)

    let hybrid: HybridSearch
    /// The cosine below which a result without every topic word is a weak match.
    public var weakFloor = HybridSearch.weakCosine
    let facts: FactQueries
    let queries: SpeakerQueries
    let gazetteer: Gazetteer

    public init(database: any Database, hybrid: HybridSearch, gazetteer: Gazetteer = .shared) throws {
        self.hybrid = hybrid
        self.facts = try FactQueries(database)
        self.queries = try SpeakerQueries(database)
        self.gazetteer = gazetteer
    }

    /// One checkable constraint.
    struct Check {
        var kind: String
        var text: String
        var strength: Strength
        /// true / false / nil (no data for this speaker).
        var test: (SpeakerFacts) -> Bool?
        /// Whether the data it needs exists at all (else it cannot be applied).
        var available: Bool
        var describe: String
    }

    public func search(_ request: SearchRequest, mode: SearchMode = .hybrid, limit: Int = 10) async throws -> RequestOutcome {
        let limit = min(max(request.count ?? limit, 1), HybridSearch.depth)
        let checks = try await makeChecks(request)
        let required = checks.filter { $0.strength == .required && $0.available }

        // Candidates: the topic's ranking, or (no topic words) a pool narrowed by SQL.
        var ranked: [(id: Int, score: Double, explanation: SearchHit.Explanation)]
        var ranMode = mode
        var notes: [String] = request.notes
        if !request.topic.isEmpty {
            let ranking = try await hybrid.rank(request.topic, mode: mode, depth: required.isEmpty ? HybridSearch.depth : Self.filteredDepth)
            ranked = ranking.ranked
            ranMode = ranking.mode
            notes += ranking.notes
        } else {
            let ids = try await facts.candidates(pool(for: request), limit: 2000)
            ranked = ids.map { ($0, 0, SearchHit.Explanation(keywordRank: nil, semanticRank: nil, cosine: nil, contributions: [:])) }
            if request.hasConstraints { notes.append("no topic words: speakers meeting the constraints, most appearances first") }
        }

        var needs: FactQueries.Needs = []
        for check in checks where check.available {
            switch check.kind {
            case "location": needs.formUnion([.attributes, .appearances])
            case "language", "gender": needs.insert(.attributes)
            case "affiliation": needs.insert(.affiliations)
            default: needs.insert(.appearances)
            }
        }
        // Candidates are checked in rank order, a hundred at a time. With required
        // constraints only, the order cannot change, so checking stops once enough pass.
        let canStopEarly = !checks.contains { $0.strength == .preferred && $0.available }
        var dropped: [String: (failed: Int, unknown: Int)] = [:]
        var kept: [(id: Int, score: Double, explanation: SearchHit.Explanation)] = []
        var examined = 0
        for chunk in ranked.chunked(into: 100) {
            if canStopEarly && kept.count >= limit { break }
            examined += chunk.count
            let factsByID = checks.isEmpty ? [:] : try await facts.facts(speakerIDs: chunk.map(\.id), needs: needs)
            candidates: for var entry in chunk {
                guard let speakerFacts = factsByID[entry.id] ?? (checks.isEmpty ? SpeakerFacts(speakerID: entry.id) : nil) else { continue }
                for check in checks where check.available {
                    let result = check.test(speakerFacts)
                    switch (check.strength, result) {
                    case (.required, true?), (.preferred, true?):
                        entry.explanation.met.append(check.text)
                        if check.strength == .preferred {
                            entry.score += Self.preferenceBonus
                            entry.explanation.contributions["preference: \(check.text)"] = Self.preferenceBonus
                        }
                    case (.required, false?):
                        dropped[check.text, default: (0, 0)].failed += 1
                        continue candidates
                    case (.required, nil):
                        dropped[check.text, default: (0, 0)].unknown += 1
                        continue candidates
                    case (.preferred, false?):
                        entry.explanation.missed.append(check.text)
                    case (.preferred, nil):
                        entry.explanation.unknown.append(check.text)
                    }
                }
                kept.append(entry)
            }
        }
        let stoppedEarly = examined < ranked.count
        kept.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            let ka = a.explanation.keywordRank ?? .max, kb = b.explanation.keywordRank ?? .max
            return ka != kb ? ka < kb : false
        }
        let top = Array(kept.prefix(limit))
        let summaries = try await queries.summaries(ids: top.map(\.id))
        let byID = Dictionary(uniqueKeysWithValues: summaries.map { ($0.id, $0) })
        let hasTopic = !request.topic.isEmpty
        let hits = top.compactMap { entry in
            byID[entry.id].map { speaker in
                var hit = SearchHit(speaker: speaker, score: entry.score, explanation: entry.explanation)
                // Without topic words the results are whoever meets the constraints: not weak.
                hit.weak = hasTopic && HybridSearch.isWeak(entry.explanation, floor: weakFloor)
                return hit
            }
        }
        if hasTopic, let note = HybridSearch.weakNote(hits, topic: request.topic) { notes.append(note) }

        var reports: [ConstraintReport] = []
        for check in checks {
            var detail = check.describe
            if !check.available {
                reports.append(ConstraintReport(kind: check.kind, text: check.text, strength: check.strength, applied: false, detail: detail))
                continue
            }
            if check.strength == .required {
                let d = dropped[check.text] ?? (0, 0)
                let scope = stoppedEarly ? " of the best \(examined) candidates" : " candidates"
                detail += d.failed + d.unknown == 0 ? "; every candidate\(stoppedEarly ? " checked" : "") met it"
                    : "; left out \(d.failed)\(scope) that did not meet it" + (d.unknown > 0 ? " and \(d.unknown) with no data on it" : "")
            } else {
                let met = kept.filter { $0.explanation.met.contains(check.text) }.count
                detail += "; \(met) of \(kept.count) candidates meet it and rank higher"
            }
            reports.append(ConstraintReport(kind: check.kind, text: check.text, strength: check.strength, applied: true, detail: detail))
        }
        if let note = Self.emptiedNote(hits: hits.count, candidates: ranked.count, examined: examined, dropped: dropped,
                                       order: checks.filter { $0.strength == .required && $0.available }.map(\.text)) {
            notes.append(note)
        }
        if let count = request.count {
            reports.append(ConstraintReport(kind: "count", text: "\(count)", strength: .required, applied: true,
                                            detail: hits.count < count ? "asked for \(count); only \(hits.count) speakers meet every required constraint" : "the best \(count)"))
        }
        let outcome = SearchOutcome(query: request.query, requested: mode, mode: ranMode, hits: hits, notes: notes)
        return RequestOutcome(request: request, constraints: reports, outcome: outcome)
    }

    /// When nobody is left: says so plainly, and which required constraint emptied the list
    /// (the one that left out the most candidates; each candidate is counted against the
    /// first constraint it fails, in the order the request gave them).
    static func emptiedNote(hits: Int, candidates: Int, examined: Int, dropped: [String: (failed: Int, unknown: Int)], order: [String]) -> String? {
        guard hits == 0 else { return nil }
        guard candidates > 0 else { return "no speaker meets the request: nobody matches its topic words" }
        let counted = order.compactMap { text in dropped[text].map { (text, $0.failed + $0.unknown, $0.unknown) } }.filter { $0.1 > 0 }
        guard let worst = counted.max(by: { $0.1 < $1.1 }) else { return nil }
        var note = "no speaker meets the request: \"\(worst.0)\" left out \(worst.1) of the \(examined) candidates"
        if worst.2 > 0 { note += " (\(worst.2) of them with no data on it)" }
        let others = counted.filter { $0.0 != worst.0 }
        if !others.isEmpty { note += "; " + others.map { "\"\($0.0)\" \($0.1) more" }.joined(separator: ", ") }
        return note
    }

    /// The candidate pool for a request without topic words: its most selective required constraint.
    func pool(for request: SearchRequest) -> FactQueries.Pool {
        let required = { (s: Strength) in s == .required }
        if let a = request.affiliations.first(where: { required($0.strength) }) { return .affiliation(a.value) }
        let based = request.locations.filter { required($0.strength) && $0.value.scope == .based }
        if !based.isEmpty { return .attribute(kind: .country, values: Array(Set(based.flatMap(\.value.place.countries))).sorted()) }
        let languages = request.languages.filter { required($0.strength) }
        if !languages.isEmpty { return .attribute(kind: .language, values: languages.map(\.value.code)) }
        let roles = request.roles.filter { required($0.strength) }
        if !roles.isEmpty { return .roles(roles.map(\.value.rawValue)) }
        if let dates = request.dates, required(dates.strength) { return .dates(from: dates.value.from?.iso, to: dates.value.to?.iso) }
        return .all
    }

    func makeChecks(_ request: SearchRequest) async throws -> [Check] {
        var checks: [Check] = []
        guard request.hasConstraints else { return checks }
        let gazetteer = self.gazetteer
        let hasPlaces = request.locations.isEmpty ? false : try await facts.anyAttribute(.country)
        let hasLanguages = request.languages.isEmpty ? false : try await facts.anyAttribute(.language)
        let hasGender = request.genders.isEmpty ? false : try await facts.anyAttribute(.gender)

        // Where speakers are based, or spoke: one check per strength and scope, any of the places named.
        func based(_ facts: SpeakerFacts, _ places: [Place]) -> Bool? {
            let countries = SpeakerAttribute.shown(facts.attributes, kind: .country).map(\.value)
            let cities = SpeakerAttribute.shown(facts.attributes, kind: .city).map(\.value)
            guard !countries.isEmpty || !cities.isEmpty else { return nil }
            var unknown = false
            for place in places {
                if place.kind == .city {
                    if cities.contains(where: { $0.hasPrefix((place.city ?? "") + ",") }) { return true }
                    if cities.isEmpty && countries.contains(where: place.countries.contains) { unknown = true }
                } else if countries.contains(where: place.countries.contains) { return true }
            }
            return unknown ? nil : false
        }
        func spoke(_ facts: SpeakerFacts, _ places: [Place]) -> Bool? {
            var known = false
            for appearance in facts.appearances {
                guard let text = appearance.eventLocation, let at = gazetteer.resolve(location: text) else { continue }
                known = true
                for place in places where place.kind == .city ? at.city == place.city : at.countries.contains(where: place.countries.contains) {
                    return true
                }
            }
            return known ? false : nil
        }
        for strength in [Strength.required, .preferred] {
            for scope in [LocationScope.based, .events, .either] {
                let named = request.locations.filter { $0.strength == strength && $0.value.scope == scope }
                guard !named.isEmpty else { continue }
                let places = named.map(\.value.place)
                let list = places.map { Self.describe($0) }.joined(separator: " or ")
                switch scope {
                case .based:
                    checks.append(Check(kind: "location", text: named.map(\.text).joined(separator: " or "), strength: strength,
                                        test: { based($0, places) }, available: hasPlaces,
                                        describe: "based in \(list)" + (hasPlaces ? "" : ": not applied, no speaker has a known location yet (run speakerdb enrich)")))
                case .events:
                    checks.append(Check(kind: "event location", text: named.map(\.text).joined(separator: " or "), strength: strength,
                                        test: { spoke($0, places) }, available: true, describe: "spoke at events in \(list)"))
                case .either:
                    checks.append(Check(kind: "location", text: named.map(\.text).joined(separator: " or "), strength: strength, test: { facts in
                        let a = based(facts, places), b = spoke(facts, places)
                        if a == true || b == true { return true }
                        return a == nil && b == nil ? nil : false
                    }, available: true, describe: "based in or spoke at events in \(list)"))
                }
            }
            let languages = request.languages.filter { $0.strength == strength }
            if !languages.isEmpty {
                let codes = languages.map(\.value.code)
                let any = request.languagesAny
                checks.append(Check(kind: "language", text: languages.map(\.text).joined(separator: any ? " or " : " and "), strength: strength, test: { facts in
                    let spoken = Set(SpeakerAttribute.shown(facts.attributes, kind: .language).map(\.value))
                    guard !spoken.isEmpty else { return nil }
                    return any ? codes.contains(where: spoken.contains) : codes.allSatisfy(spoken.contains)
                }, available: hasLanguages, describe: "speaks " + languages.map { "\($0.value.name) (\($0.value.code))" }.joined(separator: any ? " or " : " and ")
                    + (hasLanguages ? "" : ": not applied, no speaker has a known language yet (run speakerdb enrich)")))
            }
            let roles = request.roles.filter { $0.strength == strength }
            if !roles.isEmpty {
                let wanted = Set(roles.map(\.value.rawValue))
                checks.append(Check(kind: "role", text: roles.map(\.text).joined(separator: " or "), strength: strength, test: { facts in
                    facts.appearances.contains { wanted.contains($0.role) }
                }, available: true, describe: "appeared as " + roles.map(\.value.rawValue).joined(separator: " or ")))
            }
            if let dates = request.dates, dates.strength == strength {
                let range = dates.value
                checks.append(Check(kind: "dates", text: dates.text, strength: strength, test: { facts in
                    let days = facts.appearances.compactMap { $0.startsOn.flatMap(LocalDate.init(iso:)) }
                    guard !days.isEmpty else { return nil }
                    return days.contains(where: range.contains)
                }, available: true, describe: "spoke at an event dated \(range.label)"))
            }
            let affiliations = request.affiliations.filter { $0.strength == strength }
            if !affiliations.isEmpty {
                let names = affiliations.map { Gazetteer.fold($0.value) }
                checks.append(Check(kind: "affiliation", text: affiliations.map(\.text).joined(separator: " or "), strength: strength, test: { facts in
                    guard !facts.affiliations.isEmpty else { return nil }
                    let known = facts.affiliations.map { " " + Gazetteer.fold($0) + " " }
                    return names.contains { name in known.contains { $0.contains(" " + name + " ") } }
                }, available: true, describe: "works at " + affiliations.map { "\u{201C}\($0.value)\u{201D}" }.joined(separator: " or ")))
            }
            let genders = request.genders.filter { $0.strength == strength }
            if !genders.isEmpty {
                let wanted = Set(genders.map(\.value))
                checks.append(Check(kind: "gender", text: genders.map(\.text).joined(separator: " or "), strength: strength, test: { facts in
                    let stated = SpeakerAttribute.shown(facts.attributes, kind: .gender).map(\.value)
                    guard !stated.isEmpty else { return nil }
                    return stated.contains(where: wanted.contains)
                }, available: hasGender, describe: wanted.sorted().joined(separator: " or ")
                    + (hasGender ? " (only where a source states it)"
                       : ": not applied, no speaker has a gender recorded — speakerdb records gender only where a source states it, read by an LLM during enrichment, and never guesses it from a name")))
            }
        }
        // Required role, date and event place together: one appearance must meet them all
        // ("moderators who spoke in Nairobi in 2024" is not someone who moderated in 2022
        // and spoke in Nairobi in 2024).
        let role = Set(request.roles.filter { $0.strength == .required }.map(\.value.rawValue))
        let range = request.dates.flatMap { $0.strength == .required ? $0.value : nil }
        let eventPlaces = request.locations.filter { $0.strength == .required && $0.value.scope == .events }.map(\.value.place)
        if [!role.isEmpty, range != nil, !eventPlaces.isEmpty].filter({ $0 }).count >= 2 {
            checks.append(Check(kind: "same event", text: "all at one event", strength: .required, test: { facts in
                facts.appearances.contains { appearance in
                    if !role.isEmpty && !role.contains(appearance.role) { return false }
                    if let range, !(appearance.startsOn.flatMap(LocalDate.init(iso:)).map(range.contains) ?? false) { return false }
                    if !eventPlaces.isEmpty {
                        guard let text = appearance.eventLocation, let at = gazetteer.resolve(location: text) else { return false }
                        return eventPlaces.contains { $0.kind == .city ? at.city == $0.city : at.countries.contains(where: $0.countries.contains) }
                    }
                    return true
                }
            }, available: true, describe: [role.isEmpty ? nil : "role", range == nil ? nil : "date", eventPlaces.isEmpty ? nil : "place"]
                .compactMap { $0 }.joined(separator: " and ") + " met at one and the same event"))
        }
        return checks
    }

    static func describe(_ place: Place) -> String {
        switch place.kind {
        case .city: return place.label
        case .country: return "\(place.label) (\(place.countries.joined(separator: ", ")))"
        case .region: return "\(place.label) (\(place.countries.count) countries)"
        }
    }
}
