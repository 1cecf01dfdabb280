import FluentKit
import SQLKit

/// A source's learned extraction template (JSON; see `SiteTemplate` in Extraction).
struct AddSourceTemplates: AsyncMigration {
    var name: String { "015_AddSourceTemplates" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Source.schema).field("extraction_template", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Source.schema).deleteField("extraction_template").update()
    }
}
