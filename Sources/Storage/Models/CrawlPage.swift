import FluentKit
import Foundation

/// A non-event page the crawler walks: a listing page (with its page number), a sitemap
/// or a calendar feed, with its fetch state and conditional-request validators.
public final class CrawlPage: Model, @unchecked Sendable {
    public static let schema = "crawl_pages"

    public enum Kind: String, Codable, Sendable {
        case listing
        case sitemap
        case feed
    }

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "source_id") public var source: Source
    @Field(key: "url") public var url: String
    @Field(key: "kind") public var kind: String
    @Field(key: "page_number") public var pageNumber: Int
    @Field(key: "state") public var state: String
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "http_status") public var httpStatus: Int?
    @OptionalField(key: "etag") public var etag: String?
    @OptionalField(key: "last_modified") public var lastModified: String?
    @OptionalField(key: "content_hash") public var contentHash: String?
    @OptionalField(key: "body_hash") public var bodyHash: String?
    @Field(key: "links_found") public var linksFound: Int
    @Field(key: "new_links") public var newLinks: Int
    @OptionalField(key: "fetcher") public var fetcher: String?
    @OptionalField(key: "fetched_at") public var fetchedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(sourceID: Int, url: String, kind: Kind, pageNumber: Int) {
        self.$source.id = sourceID
        self.url = url
        self.kind = kind.rawValue
        self.pageNumber = pageNumber
        self.state = ItemState.queued.rawValue
        self.attempts = 0
        self.linksFound = 0
        self.newLinks = 0
    }
}
