import FluentKit
import Foundation

/// The fetcher that works for a host (`browser` after plain HTTP was refused or got an
/// empty JavaScript shell), remembered so later runs go straight to it.
public final class HostFetcher: Model, @unchecked Sendable {
    public static let schema = "host_fetchers"

    @ID(custom: "host", generatedBy: .user) public var id: String?
    @Field(key: "fetcher") public var fetcher: String
    @OptionalField(key: "reason") public var reason: String?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(host: String, fetcher: String, reason: String?) {
        self.id = host
        self.fetcher = fetcher
        self.reason = reason
    }
}
