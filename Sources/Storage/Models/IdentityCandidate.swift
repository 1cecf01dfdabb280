import FluentKit
import Foundation

/// A pair the resolver was unsure about, waiting for someone to accept or reject it.
/// A rejected pair is not proposed again.
public final class IdentityCandidate: Model, @unchecked Sendable {
    public static let schema = "identity_candidates"

    public enum Status: String, Codable, Sendable {
        case pending
        case accepted
        case rejected
    }

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    /// The lower speaker id of the pair.
    @Parent(key: "speaker_a") public var speakerA: Speaker
    @Parent(key: "speaker_b") public var speakerB: Speaker
    @Field(key: "probability") public var probability: Double
    /// JSON array of reasons.
    @Field(key: "reasons") public var reasons: String
    @Field(key: "status") public var status: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}

    /// `reasons` decoded (a JSON array of the scorer's reasons).
    public var reasonList: [String] { (try? JSONDecoder().decode([String].self, from: Data(reasons.utf8))) ?? [] }

    public init(speakerA: Int, speakerB: Int, probability: Double, reasons: String) {
        self.$speakerA.id = min(speakerA, speakerB)
        self.$speakerB.id = max(speakerA, speakerB)
        self.probability = probability
        self.reasons = reasons
        self.status = Status.pending.rawValue
    }
}
