import Foundation

/// What discovery decided about a source's pages, and why: kept with the source so a user
/// can see it (`pipeline --explain-discovery`, `sources show`) and correct a wrong guess
/// with an event-link pattern, and so the next run knows which pages lead to events.
public struct DiscoveryPlan: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Pages that each present one event.
        case event
        /// Pages that list events or lead to them (listings, schedules, archives, indexes).
        case listing
        /// Pages about one person.
        case profile
        /// Anything else: news, notices, venues, about pages.
        case other
    }

    /// One kind of page: the pages of one URL shape.
    public struct Family: Sendable, Codable, Equatable {
        public var shape: String
        public var kind: Kind
        public var score: Double
        /// Pages of this shape found (linked or read).
        public var pages: Int
        /// Pages of this shape read during discovery.
        public var read: Int
        public var reasons: [String]
        public var examples: [String]
    }

    public var decidedAt: Date
    /// The source's event-link pattern, when it has one (then it decides alone).
    public var pattern: String?
    public var families: [Family]
    /// Single pages that hold a whole programme (many sessions, no page per session).
    public var programmePages: [String]
    /// Pages that sit among events but are notices or closures, left out.
    public var notices: [String]
    public var pagesRead: Int
    public var stoppedBecause: String?
    /// Set while a run is reading the site: a run killed before deciding leaves it, and the
    /// next run reuses the pages read since then instead of fetching them again.
    public var readingSince: Date?

    public init(decidedAt: Date = Date(), pattern: String? = nil, families: [Family] = [], programmePages: [String] = [],
                notices: [String] = [], pagesRead: Int = 0, stoppedBecause: String? = nil) {
        self.decidedAt = decidedAt
        self.pattern = pattern
        self.families = families
        self.programmePages = programmePages
        self.notices = notices
        self.pagesRead = pagesRead
        self.stoppedBecause = stoppedBecause
    }

    public var eventShapes: [String] { families.filter { $0.kind == .event }.map(\.shape) }
    /// Shapes whose pages led to events: read again on the next run to find new ones.
    public var listingShapes: [String] { families.filter { $0.kind == .listing }.map(\.shape) }

    enum CodingKeys: String, CodingKey {
        case decidedAt = "decided_at"
        case pattern, families
        case programmePages = "programme_pages"
        case notices
        case pagesRead = "pages_read"
        case stoppedBecause = "stopped_because"
        case readingSince = "reading_since"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public static func decode(_ text: String?) -> DiscoveryPlan? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(DiscoveryPlan.self, from: data)
    }

    /// A plain-text account for the terminal: each kind of page, what it was taken for and why.
    public func explanation() -> String {
        var lines: [String] = []
        if let pattern {
            lines.append("event pages: URLs matching the pattern \(pattern)")
        }
        lines.append("\(pagesRead) pages read" + (stoppedBecause.map { "; \($0)" } ?? ""))
        let ordered = families.sorted { ($0.kind == .event ? 0 : 1, -$0.pages) < ($1.kind == .event ? 0 : 1, -$1.pages) }
        for family in ordered {
            let verdict = family.kind == .event ? "EVENTS " : family.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            lines.append("\(verdict) \(family.shape)  (\(family.pages) pages, \(family.read) read, score \(String(format: "%.2f", family.score)))")
            if !family.reasons.isEmpty { lines.append("          " + family.reasons.joined(separator: "; ")) }
            if let example = family.examples.first { lines.append("          e.g. \(example)") }
        }
        for page in programmePages { lines.append("EVENTS  \(page)  (one page holding a whole programme)") }
        for page in notices.prefix(10) { lines.append("notice  \(page)  (left out: its title reads as a notice)") }
        if eventShapes.isEmpty && programmePages.isEmpty {
            lines.append("no event pages found: give the source an event-link pattern (--event-url-pattern REGEX)")
        }
        return lines.joined(separator: "\n")
    }
}
