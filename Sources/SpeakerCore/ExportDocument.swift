/// The stable export shape that other tools read:
/// `{"speakers": [{"id", "name", "title", "affiliation", "bio", "events": [{"url", "title", "date", "role"}]}]}`.
///
/// Keep field names and meanings stable; `speakerdb import` reads the same shape back.
public struct ExportDocument: Codable, Sendable, Equatable {
    public var speakers: [ExportSpeaker]

    public init(speakers: [ExportSpeaker]) {
        self.speakers = speakers
    }
}

public struct ExportSpeaker: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var bio: String?
    public var events: [ExportAppearance]

    public init(id: Int?, name: String, title: String?, affiliation: String?, bio: String?, events: [ExportAppearance]) {
        self.id = id
        self.name = name
        self.title = title
        self.affiliation = affiliation
        self.bio = bio
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case id, name, title, affiliation, bio, events
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        affiliation = try c.decodeIfPresent(String.self, forKey: .affiliation)
        bio = try c.decodeIfPresent(String.self, forKey: .bio)
        events = try c.decodeIfPresent([ExportAppearance].self, forKey: .events) ?? []
    }

    /// Encodes every key, writing `null` for missing values, so the shape never varies.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(title, forKey: .title)
        try c.encode(affiliation, forKey: .affiliation)
        try c.encode(bio, forKey: .bio)
        try c.encode(events, forKey: .events)
    }
}

public struct ExportAppearance: Codable, Sendable, Equatable {
    public var url: String
    public var title: String?
    /// The event's start date, `YYYY-MM-DD`, or null when the page gave none.
    public var date: String?
    public var role: String?

    public init(url: String, title: String?, date: String?, role: String?) {
        self.url = url
        self.title = title
        self.date = date
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case url, title, date, role
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(title, forKey: .title)
        try c.encode(date, forKey: .date)
        try c.encode(role, forKey: .role)
    }
}
