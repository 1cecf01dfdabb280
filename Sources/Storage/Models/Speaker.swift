import FluentKit
import Foundation
import SpeakerCore

/// One person, resolved across every event where they appear.
public final class Speaker: Model, @unchecked Sendable {
    public static let schema = "speakers"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    /// Accent- and case-folded name used for matching and blocking.
    @Field(key: "name_key") public var nameKey: String
    @OptionalField(key: "title") public var title: String?
    @OptionalField(key: "affiliation") public var affiliation: String?
    @OptionalField(key: "bio") public var bio: String?
    @OptionalField(key: "photo_url") public var photoURL: String?
    @OptionalField(key: "location") public var location: String?
    /// Profile links (website, LinkedIn, X, GitHub, ORCID) as JSON.
    @OptionalField(key: "links") public var links: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$speaker) public var appearances: [Appearance]

    public init() {}

    public init(name: String, title: String? = nil, affiliation: String? = nil, bio: String? = nil) {
        self.name = name
        self.nameKey = TextNormalization.matchKey(name)
        self.title = title
        self.affiliation = affiliation
        self.bio = bio
    }
}
