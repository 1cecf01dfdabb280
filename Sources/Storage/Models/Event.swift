import FluentKit
import SQLKit
import Foundation
import SpeakerCore

/// Processing state of a stored item: what happened to it and whether to try again.
public enum ItemState: String, Codable, Sendable, CaseIterable {
    case queued
    case fetched
    case done
    case failed
    case skipped
}

/// One event page: what it says about the event, and where it is in the pipeline.
public final class Event: Model, @unchecked Sendable {
    public static let schema = "events"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @OptionalParent(key: "source_id") public var source: Source?
    /// The normalised URL (see `URLNormalizer`); unique.
    @Field(key: "url") public var url: String
    @OptionalField(key: "title") public var title: String?
    /// Start date as `YYYY-MM-DD`, the local calendar date the page states.
    @OptionalField(key: "starts_on") public var startsOn: String?
    /// Start time as `HH:MM` local time, when given.
    @OptionalField(key: "start_time") public var startTime: String?
    @OptionalField(key: "ends_on") public var endsOn: String?
    @OptionalField(key: "end_time") public var endTime: String?
    /// UTC instant of the start, when a time and a zone are known.
    @OptionalField(key: "starts_at") public var startsAt: Date?
    @OptionalField(key: "time_zone") public var timeZone: String?
    /// The date exactly as the page wrote it.
    @OptionalField(key: "date_text") public var dateText: String?
    @OptionalField(key: "location") public var location: String?
    @OptionalField(key: "venue") public var venue: String?
    @OptionalField(key: "language") public var language: String?
    @OptionalField(key: "main_text") public var mainText: String?
    @OptionalField(key: "content_hash") public var contentHash: String?
    @Field(key: "fetch_state") public var fetchState: String
    @Field(key: "fetch_attempts") public var fetchAttempts: Int
    @OptionalField(key: "fetch_error") public var fetchError: String?
    @OptionalField(key: "fetched_at") public var fetchedAt: Date?
    @OptionalField(key: "next_fetch_at") public var nextFetchAt: Date?
    @OptionalField(key: "http_status") public var httpStatus: Int?
    @OptionalField(key: "etag") public var etag: String?
    @OptionalField(key: "last_modified") public var lastModified: String?
    /// Which fetcher produced the stored page: `http` or `browser`.
    @OptionalField(key: "fetcher") public var fetcher: String?
    /// The stored raw page (`page_bodies.hash`).
    @OptionalField(key: "body_hash") public var bodyHash: String?
    /// How the crawler found this URL: `listing`, `pattern`, `sitemap`, `feed`, `import`.
    @OptionalField(key: "discovered_via") public var discoveredVia: String?
    @Field(key: "extract_state") public var extractState: String
    @Field(key: "extract_attempts") public var extractAttempts: Int
    @OptionalField(key: "extract_error") public var extractError: String?
    @OptionalField(key: "extracted_at") public var extractedAt: Date?
    /// What extraction found ("3 people (cards, sections)", "no speakers found").
    @OptionalField(key: "extract_note") public var extractNote: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$event) public var appearances: [Appearance]

    public init() {}

    public init(url: String, title: String? = nil, sourceID: Int? = nil) {
        self.url = url
        self.title = title
        self.$source.id = sourceID
        self.fetchState = ItemState.queued.rawValue
        self.fetchAttempts = 0
        self.extractState = ItemState.queued.rawValue
        self.extractAttempts = 0
    }

    /// The typed date, when the stored start date parses.
    public var eventDate: EventDate? {
        get {
            guard let startsOn, let start = LocalDate(iso: startsOn) else { return nil }
            return EventDate(start: start,
                             startTime: startTime.flatMap(Event.parseTime),
                             end: endsOn.flatMap { LocalDate(iso: $0) },
                             endTime: endTime.flatMap(Event.parseTime),
                             timeZone: timeZone, rawText: dateText)
        }
        set {
            startsOn = newValue?.start.iso
            startTime = newValue?.startTime?.iso
            endsOn = newValue?.end?.iso
            endTime = newValue?.endTime?.iso
            timeZone = newValue?.timeZone
            startsAt = newValue?.startInstant
            if let raw = newValue?.rawText { dateText = raw }
        }
    }

    static func parseTime(_ text: String) -> LocalTime? {
        let parts = text.split(separator: ":")
        guard parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return LocalTime(hour: h, minute: m)
    }
}

extension Event {
    /// Writes what fetching sets (the page's facts and its fetch state) with one plain
    /// UPDATE. The crawler calls this for every page, and Fluent's `save` reflects over
    /// all 35 properties on each call (a tenth of crawl time). Every column fetching may
    /// change is written; `updated_at` is set to now.
    public func saveFetchState(on db: any Database) async throws {
        let id = try requireID()
        let now = Date()
        try await db.sqlDatabase().raw("""
            UPDATE events SET url = \(bind: url), title = \(bind: title), starts_on = \(bind: startsOn), start_time = \(bind: startTime),
                   ends_on = \(bind: endsOn), end_time = \(bind: endTime), starts_at = \(bind: startsAt), time_zone = \(bind: timeZone),
                   date_text = \(bind: dateText), location = \(bind: location), venue = \(bind: venue), language = \(bind: language),
                   main_text = \(bind: mainText), content_hash = \(bind: contentHash), fetch_state = \(bind: fetchState),
                   fetch_attempts = \(bind: fetchAttempts), fetch_error = \(bind: fetchError), fetched_at = \(bind: fetchedAt),
                   next_fetch_at = \(bind: nextFetchAt), http_status = \(bind: httpStatus), etag = \(bind: etag),
                   last_modified = \(bind: lastModified), fetcher = \(bind: fetcher), body_hash = \(bind: bodyHash),
                   extract_state = \(bind: extractState), updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """).run()
        updatedAt = now
    }
}
