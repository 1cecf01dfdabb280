import FluentKit
import Foundation

/// One merge of two speakers, with a snapshot that lets `split` undo it exactly.
public final class SpeakerMerge: Model, @unchecked Sendable {
    public static let schema = "speaker_merges"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @OptionalParent(key: "kept_speaker_id") public var kept: Speaker?
    /// The id the merged-away speaker had (and gets back on split).
    @Field(key: "merged_speaker_id") public var mergedSpeakerID: Int
    /// JSON `MergeSnapshot`.
    @Field(key: "snapshot") public var snapshot: String
    @OptionalField(key: "probability") public var probability: Double?
    /// JSON array of the reasons the resolver gave.
    @OptionalField(key: "reasons") public var reasons: String?
    /// `auto` (resolution), `review` (an accepted review pair) or `user` (`speakers merge`).
    @Field(key: "decided_by") public var decidedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "undone_at") public var undoneAt: Date?

    public init() {}

    /// `reasons` decoded (a JSON array of the scorer's reasons).
    public var reasonList: [String] { reasons.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [] }
}
