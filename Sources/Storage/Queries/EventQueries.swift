import FluentKit
import Foundation
import SQLKit
import SpeakerCore

public struct EventFilter: Sendable, Equatable, Hashable {
    /// Words that must all appear in the title (case- and accent-insensitive on SQLite's ASCII, case-insensitive elsewhere).
    public var search: String?
    public var year: Int?
    public var location: String?
    public var sourceID: Int?
    /// Inclusive date bounds, `YYYY-MM-DD`.
    public var from: LocalDate?
    public var to: LocalDate?

    public init(search: String? = nil, year: Int? = nil, location: String? = nil, sourceID: Int? = nil,
                from: LocalDate? = nil, to: LocalDate? = nil) {
        self.search = search
        self.year = year
        self.location = location
        self.sourceID = sourceID
        self.from = from
        self.to = to
    }

    public var isEmpty: Bool { self == EventFilter() }
}

public enum EventSort: String, Sendable, CaseIterable, Codable {
    /// Latest first (the default).
    case date
    /// Oldest first.
    case oldest
    case title
}

public struct EventSummary: Sendable, Codable, Equatable {
    public var id: Int
    public var url: String
    public var title: String?
    public var date: String?
    public var location: String?
    public var speakerCount: Int

    enum CodingKeys: String, CodingKey {
        case id, url, title, date, location
        case speakerCount = "speaker_count"
    }
}

public struct EventFacets: Sendable, Codable, Equatable {
    public var year: [FacetValue]
    public var location: [FacetValue]
}

public struct EventSpeaker: Sendable, Codable, Equatable {
    public var speakerID: Int
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var role: String

    enum CodingKeys: String, CodingKey {
        case speakerID = "speaker_id"
        case name, title, affiliation, role
    }
}

public struct EventDetail: Sendable, Codable, Equatable {
    public var id: Int
    public var url: String
    public var title: String?
    public var startsOn: String?
    public var startTime: String?
    public var endsOn: String?
    public var endTime: String?
    public var timeZone: String?
    public var dateText: String?
    public var location: String?
    public var venue: String?
    public var language: String?
    public var sourceID: Int?
    public var fetchState: String
    public var extractState: String
    public var speakers: [EventSpeaker]

    enum CodingKeys: String, CodingKey {
        case id, url, title, location, venue, language, speakers
        case startsOn = "starts_on"
        case startTime = "start_time"
        case endsOn = "ends_on"
        case endTime = "end_time"
        case timeZone = "time_zone"
        case dateText = "date_text"
        case sourceID = "source_id"
        case fetchState = "fetch_state"
        case extractState = "extract_state"
    }
}

public struct EventQueries: Sendable {
    let sql: any SQLDatabase
    let engine: Engine

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
        self.engine = try sql.engine()
    }

    func conditions(_ filter: EventFilter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let search = filter.search {
            let words = SpeakerSearchIndex.queryTerms(search)
            if words.isEmpty, !search.trimmingWhitespace().isEmpty {
                conditions.append("1 = 0")
            }
            for word in words {
                conditions.append("lower(e.title) LIKE \(bind: "%" + word + "%")")
            }
        }
        if let year = filter.year {
            conditions.append("e.starts_on >= \(bind: String(format: "%04d-01-01", year)) AND e.starts_on < \(bind: String(format: "%04d-01-01", year + 1))")
        }
        if let location = filter.location {
            conditions.append("e.location = \(bind: location)")
        }
        if let sourceID = filter.sourceID {
            conditions.append("e.source_id = \(bind: sourceID)")
        }
        if let from = filter.from {
            conditions.append("e.starts_on >= \(bind: from.iso)")
        }
        if let to = filter.to {
            conditions.append("e.starts_on <= \(bind: to.iso)")
        }
        return conditions
    }

    public func list(_ filter: EventFilter, sort: EventSort = .date, page: PageRequest) async throws -> Page<EventSummary> {
        let whereSQL = sqlWhere(conditions(filter))
        let order: SQLQueryString
        switch sort {
        // Undated events last; NULLS LAST is the default for DESC on SQLite, explicit on
        // PostgreSQL. Ordered by (starts_on, id) so the index serves it.
        case .date: order = engine == .postgres ? "e.starts_on DESC NULLS LAST, e.id DESC" : "e.starts_on DESC, e.id DESC"
        case .oldest: order = "e.starts_on ASC NULLS LAST, e.id ASC"
        case .title: order = "lower(e.title), e.id"
        }
        let items = try await sql.raw("""
            SELECT e.id, e.url, e.title, e.starts_on AS date, e.location,
                   (SELECT COUNT(*) FROM appearances a WHERE a.event_id = e.id) AS speaker_count
            FROM events e \(whereSQL)
            ORDER BY \(order)
            LIMIT \(literal: page.size) OFFSET \(literal: page.offset)
            """).all(decoding: EventSummary.self)
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM events e \(whereSQL)").first()?.decode(column: "n", as: Int.self) ?? 0
        return Page(items: items, total: total, page: page.page, size: page.size)
    }

    public func facets(_ filter: EventFilter, limit: Int = 12) async throws -> EventFacets {
        let filterConditions = conditions(filter)
        let whereSQL = sqlWhere(filterConditions)
        let and: SQLQueryString = filterConditions.isEmpty ? "WHERE" : "\(whereSQL) AND"
        async let year = sql.raw("""
            SELECT substr(e.starts_on, 1, 4) AS value, COUNT(*) AS count FROM events e \(and) e.starts_on IS NOT NULL
            GROUP BY substr(e.starts_on, 1, 4) ORDER BY value DESC LIMIT \(literal: limit)
            """).all(decoding: FacetValue.self)
        async let location = sql.raw("""
            SELECT e.location AS value, COUNT(*) AS count FROM events e \(and) e.location IS NOT NULL
            GROUP BY e.location ORDER BY count DESC, value LIMIT \(literal: limit)
            """).all(decoding: FacetValue.self)
        return try await EventFacets(year: year, location: location)
    }

    public func detail(id: Int) async throws -> EventDetail? {
        guard let row = try await sql.raw("""
            SELECT id, url, title, starts_on, start_time, ends_on, end_time, time_zone, date_text,
                   location, venue, language, source_id, fetch_state, extract_state
            FROM events WHERE id = \(bind: id)
            """).first() else { return nil }
        let speakers = try await sql.raw("""
            SELECT s.id AS speaker_id, s.name, s.title, s.affiliation, a.role
            FROM appearances a JOIN speakers s ON s.id = a.speaker_id
            WHERE a.event_id = \(bind: id)
            ORDER BY a.id
            """).all(decoding: EventSpeaker.self)
        var detail = try row.decode(model: EventDetailRow.self).detail
        detail.speakers = speakers.sorted { Role(rawValue: $0.role) ?? .other < Role(rawValue: $1.role) ?? .other }
        return detail
    }
}

/// The event columns of `EventDetail`, decoded from one row.
struct EventDetailRow: Decodable {
    var id: Int
    var url: String
    var title: String?
    var starts_on: String?
    var start_time: String?
    var ends_on: String?
    var end_time: String?
    var time_zone: String?
    var date_text: String?
    var location: String?
    var venue: String?
    var language: String?
    var source_id: Int?
    var fetch_state: String
    var extract_state: String

    var detail: EventDetail {
        EventDetail(id: id, url: url, title: title, startsOn: starts_on, startTime: start_time, endsOn: ends_on,
                    endTime: end_time, timeZone: time_zone, dateText: date_text, location: location, venue: venue,
                    language: language, sourceID: source_id, fetchState: fetch_state, extractState: extract_state,
                    speakers: [])
    }
}
