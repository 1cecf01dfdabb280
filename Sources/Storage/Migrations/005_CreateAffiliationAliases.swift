import FluentKit

struct CreateAffiliationAliases: AsyncMigration {
    var name: String { "005_CreateAffiliationAliases" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AffiliationAlias.schema)
            .field("id", .int, .identifier(auto: true))
            .field("alias", .string, .required)
            .field("alias_key", .string, .required)
            .field("canonical", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "alias_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AffiliationAlias.schema).delete()
    }
}
