import FluentKit
import Foundation

/// A start URL (a listing, a programme, a home page) from which the crawler discovers event pages.
public final class Source: Model, @unchecked Sendable {
    public static let schema = "sources"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "url") public var url: String
    @OptionalField(key: "name") public var name: String?
    @OptionalField(key: "event_url_pattern") public var eventURLPattern: String?
    /// `http`, `browser` or `auto`.
    @Field(key: "fetcher") public var fetcher: String
    @OptionalField(key: "max_pages") public var maxPages: Int?
    @Field(key: "paused") public var paused: Bool
    /// Where this source's pages put their speakers, learned after a few pages (JSON).
    @OptionalField(key: "extraction_template") public var extractionTemplate: String?
    /// What discovery decided about the source's pages and why (JSON; `DiscoveryPlan`).
    @OptionalField(key: "discovery_plan") public var discoveryPlan: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(url: String, name: String? = nil, eventURLPattern: String? = nil,
                fetcher: String = "auto", maxPages: Int? = nil) {
        self.url = url
        self.name = name
        self.eventURLPattern = eventURLPattern
        self.fetcher = fetcher
        self.maxPages = maxPages
        self.paused = false
    }
}
