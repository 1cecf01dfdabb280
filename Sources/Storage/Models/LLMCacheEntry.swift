import FluentKit
import Foundation

/// A validated LLM answer, keyed by the extractor version, the model and the text asked
/// about, so extracting the same page again costs nothing.
public final class LLMCacheEntry: Model, @unchecked Sendable {
    public static let schema = "llm_cache"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "response") public var response: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(key: String, response: String) {
        self.id = key
        self.response = response
    }
}
