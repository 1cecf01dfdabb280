import FluentKit
import Foundation

/// One call to a paid API, with the usage its response reported and what it cost.
///
/// Cost is stored in micro-dollars (integers) so sums are exact.
public final class APICall: Model, @unchecked Sendable {
    public static let schema = "api_calls"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @OptionalParent(key: "run_id") public var run: PipelineRun?
    @OptionalParent(key: "event_id") public var event: Event?
    @Field(key: "provider") public var provider: String
    @Field(key: "model") public var model: String
    /// What the call was for: `extract`, `parse_query`, `embed`, `enrich`.
    @Field(key: "purpose") public var purpose: String
    @Field(key: "input_tokens") public var inputTokens: Int
    @Field(key: "output_tokens") public var outputTokens: Int
    @Field(key: "cost_micros") public var costMicros: Int
    @Field(key: "price_version") public var priceVersion: String
    @Field(key: "latency_ms") public var latencyMilliseconds: Int
    /// `ok` or an error summary (never containing a key).
    @Field(key: "status") public var status: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
