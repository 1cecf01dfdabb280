import Crypto
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

/// Reads and writes validated answers in `llm_cache` by a key derived from everything that
/// decides the answer (what is asked, the prompt's version, the model).
public struct LLMAnswerCache: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    /// The cache key of a question: SHA-256 of its parts.
    public static func key(_ parts: [String]) -> String {
        SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public func answer(_ key: String) async -> String? {
        try? await LLMCacheEntry.find(key, on: db)?.response
    }

    public func store(_ key: String, _ response: String) async {
        try? await db.writeTransaction { tx in
            if try await LLMCacheEntry.find(key, on: tx) == nil {
                try await LLMCacheEntry(key: key, response: response).create(on: tx)
            }
        }
    }
}
