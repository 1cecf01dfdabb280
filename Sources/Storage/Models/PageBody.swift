import FluentKit
import Foundation

/// A raw page body, gzip-compressed and stored once per SHA-256 of its bytes, so
/// re-fetching an unchanged page or two URLs serving the same page costs nothing.
public final class PageBody: Model, @unchecked Sendable {
    public static let schema = "page_bodies"

    @ID(custom: "hash", generatedBy: .user) public var id: String?
    /// How `body` is encoded: `gzip`.
    @Field(key: "encoding") public var encoding: String
    /// Uncompressed size in bytes.
    @Field(key: "size") public var size: Int
    @Field(key: "body") public var body: Data
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(hash: String, encoding: String, size: Int, body: Data) {
        self.id = hash
        self.encoding = encoding
        self.size = size
        self.body = body
    }
}
