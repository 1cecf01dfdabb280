import FluentKit
import Foundation
import SpeakerCore

/// Where one value of one speaker field came from, and how sure that source is.
public final class FieldProvenance: Model, @unchecked Sendable {
    public static let schema = "field_provenance"

    /// Kinds of origin, with their precedence (`FieldOrigin.rank`).
    public typealias Origin = FieldOrigin

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "speaker_id") public var speaker: Speaker
    @Field(key: "field") public var field: String
    @OptionalField(key: "value") public var value: String?
    @Field(key: "origin") public var origin: String
    @OptionalParent(key: "event_id") public var event: Event?
    @OptionalField(key: "extractor") public var extractor: String?
    @Field(key: "confidence") public var confidence: Double
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(speakerID: Int, field: String, value: String?, origin: Origin,
                eventID: Int? = nil, extractor: String? = nil, confidence: Double) {
        self.$speaker.id = speakerID
        self.field = field
        self.value = value
        self.origin = origin.rawValue
        self.$event.id = eventID
        self.extractor = extractor
        self.confidence = confidence
    }
}
