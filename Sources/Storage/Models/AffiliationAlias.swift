import FluentKit
import Foundation

/// An editable alias of an organisation name ("NYU" → "New York University").
public final class AffiliationAlias: Model, @unchecked Sendable {
    public static let schema = "affiliation_aliases"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "alias") public var alias: String
    /// Normalised alias; unique.
    @Field(key: "alias_key") public var aliasKey: String
    @Field(key: "canonical") public var canonical: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(alias: String, aliasKey: String, canonical: String) {
        self.alias = alias
        self.aliasKey = aliasKey
        self.canonical = canonical
    }
}
