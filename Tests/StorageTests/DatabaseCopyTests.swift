import FluentKit
import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport

/// `speakerdb migrate-db`: a SQLite database copied into PostgreSQL exports the same, a
/// second run copies nothing twice, and new rows get fresh ids after the copied ones.
/// Runs in the test command's PostgreSQL pass (it needs a server).
@Suite("Copying SQLite into PostgreSQL", .enabled(if: TestDatabase.postgresServer != nil, "needs the PostgreSQL pass of scripts/test.sh"))
struct DatabaseCopyTests {
    func export(_ db: any Database) async throws -> String {
        var text = ""
        try await SpeakerExporter(db).export(format: .json) { text += $0 }
        return text
    }

    @Test func copiesEverythingVerifiesAndCanRunAgain() async throws {
        let source = try await TestDatabase.make(sqliteOnly: true)
        do {
            try await copy(from: source)
            await source.close()
        } catch {
            await source.close()
            throw error
        }
    }

    func copy(from source: TestDatabase) async throws {
        try await Fixtures.importSpeakers(into: source)
        try await source.context.sql.raw("""
            INSERT INTO page_bodies (hash, encoding, size, body, created_at) VALUES ('abc', 'gzip', 3, X'010203', 1795950340.5)
            """).run()
        try await TestDatabase.with { target in
            #expect(target.location != source.location)
            // Every table is copied or deliberately left behind: a new table cannot be forgotten.
            let tables = try await target.context.sql.raw("""
                SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """).all().map { try $0.decode(column: "name", as: String.self) }
            let copied = Set(DatabaseCopier.tables.map(\.name))
            let forgotten = tables.filter { !copied.contains($0) && !DatabaseCopier.notCopied.contains($0) }
            #expect(forgotten.isEmpty, "tables neither copied nor listed as left behind: \(forgotten.sorted())")
            #expect(copied.isSubset(of: tables))
            let counts = try await DatabaseCopier(from: source.db, to: target.db).run()
            #expect(counts.allSatisfy { $0.source == $0.target }, "\(counts)")
            #expect(counts.first { $0.table == "speakers" }?.target ?? 0 > 0)
            #expect(try await export(target.db) == export(source.db))
            // Bodies keep their bytes, timestamps their instant.
            let body = try #require(try await target.context.sql.raw("SELECT body, created_at FROM page_bodies WHERE hash = 'abc'").first())
            #expect(try body.decode(column: "body", as: Data.self) == Data([1, 2, 3]))
            #expect(abs(try body.decode(column: "created_at", as: Date.self).timeIntervalSince1970 - 1795950340.5) < 0.001)
            // Stored appearance counts are right on the copy (the triggers counted every
            // copied appearance on top of the copied counts; the copier recounts).
            #expect(try await AppearanceCountTests.wrongCounts(target.context.sql) == 0)
            #expect(try await AppearanceCountTests.wrongCounts(source.context.sql) == 0)
            // Search works on the copy.
            #expect(try await SpeakerQueries(target.db).list(SpeakerFilter(search: "okafor"), page: PageRequest()).total == 1)
            // Again: nothing doubles.
            let again = try await DatabaseCopier(from: source.db, to: target.db).run()
            #expect(again == counts)
            // New rows continue after the copied ids.
            let maxID = try await Speaker.query(on: target.db).max(\.$id) ?? 0
            let speaker = Speaker(name: "Fresh Person")
            try await speaker.create(on: target.db)
            #expect(try speaker.requireID() > maxID)
        }
    }
}
