import FluentKit
import Foundation

/// A speaker taking part in an event, in a role, with the record the extractor produced.
public final class Appearance: Model, @unchecked Sendable {
    public static let schema = "appearances"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "speaker_id") public var speaker: Speaker
    @Parent(key: "event_id") public var event: Event
    /// A `Role` raw value.
    @Field(key: "role") public var role: String
    /// The raw extracted record (JSON), kept so a later extractor version can be compared.
    @OptionalField(key: "raw") public var raw: String?
    @OptionalField(key: "extractor") public var extractor: String?
    @OptionalField(key: "confidence") public var confidence: Double?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(speakerID: Int, eventID: Int, role: String, raw: String? = nil,
                extractor: String? = nil, confidence: Double? = nil) {
        self.$speaker.id = speakerID
        self.$event.id = eventID
        self.role = role
        self.raw = raw
        self.extractor = extractor
        self.confidence = confidence
    }
}
