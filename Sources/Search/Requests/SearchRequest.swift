import Foundation
import SpeakerCore

/// Whether a constraint must hold ("must", "need", or no qualifier) or only improves a
/// result's rank ("ideally", "prefer", "if possible").
public enum Strength: String, Sendable, Codable, Hashable {
    case required, preferred
}

/// One parsed constraint: its value, how strongly it was asked for, and the words it was
/// read from (shown in explanations).
public struct Constraint<Value: Sendable & Codable & Hashable>: Sendable, Codable, Hashable {
    public var value: Value
    public var strength: Strength
    public var text: String

    public init(_ value: Value, _ strength: Strength, text: String) {
        self.value = value
        self.strength = strength
        self.text = text
    }
}

/// Event dates, inclusive, as ISO dates; either end may be open.
public struct DateRange: Sendable, Codable, Hashable {
    public var from: LocalDate?
    public var to: LocalDate?

    public init(from: LocalDate?, to: LocalDate?) {
        self.from = from
        self.to = to
    }

    public func contains(_ date: LocalDate) -> Bool {
        (from.map { date >= $0 } ?? true) && (to.map { date <= $0 } ?? true)
    }

    public var label: String {
        switch (from, to) {
        case let (f?, t?): return "\(f.iso) to \(t.iso)"
        case let (f?, nil): return "from \(f.iso)"
        case let (nil, t?): return "until \(t.iso)"
        case (nil, nil): return "any time"
        }
    }
}

/// Where a location constraint applies: where the speaker is based ("based in", "from",
/// "Berlin-based"), where the events they spoke at took place ("who spoke in Nairobi"),
/// or either ("speakers in Singapore").
public enum LocationScope: String, Sendable, Codable, Hashable {
    case based, events, either
}

public struct LocationConstraintValue: Sendable, Codable, Hashable {
    public var place: Place
    public var scope: LocationScope
}

/// A request in plain English, parsed: what to rank by (the topic words) and every
/// constraint found, each with its strength.
public struct SearchRequest: Sendable, Codable, Hashable {
    /// The request as typed.
    public var query: String
    /// What is left to rank by: the topic, a name, an organisation ("" when the request
    /// is constraints only).
    public var topic: String
    /// How many speakers were asked for ("3 speakers").
    public var count: Int?
    public var locations: [Constraint<LocationConstraintValue>] = []
    public var languages: [Constraint<Language>] = []
    /// Languages joined by "or": any one of them will do (otherwise all are asked for).
    public var languagesAny = false
    public var roles: [Constraint<Role>] = []
    public var dates: Constraint<DateRange>?
    public var affiliations: [Constraint<String>] = []
    /// "women", "men": applied only where a source states it (LLM enrichment).
    public var genders: [Constraint<String>] = []
    /// Which parser read it: "offline" or "llm:<model>".
    public var parser: String = "offline"
    /// What the parser noticed but could not read.
    public var notes: [String] = []

    public init(query: String, topic: String) {
        self.query = query
        self.topic = topic
    }

    public var hasConstraints: Bool {
        !locations.isEmpty || !languages.isEmpty || !roles.isEmpty || dates != nil || !affiliations.isEmpty || !genders.isEmpty
    }

    enum CodingKeys: String, CodingKey {
        case query, topic, count, locations, languages, languagesAny = "languages_any", roles, dates, affiliations, genders, parser, notes
    }
}
