import FluentKit
import Foundation
import Logging
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport

@Suite("Migrations and connection settings")
struct MigrationTests {
    @Test func migratesAnEmptyDatabaseAndReRunsAsANoOp() async throws {
        try await TestDatabase.with(migrate: false) { database in
            let applied = try await database.context.migrate()
            #expect(applied == AllMigrations.list.map(\.name))
            #expect(try await database.context.migrate().isEmpty)
            let listing: SQLQueryString = TestDatabase.engine == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
            let tables = try await database.context.sql.raw(listing).all().map { try $0.decode(column: "name", as: String.self) }
            for table in ["sources", "events", "speakers", "appearances", "affiliation_aliases", "field_provenance",
                          "pipeline_runs", "api_calls", TestDatabase.engine == .sqlite ? "speaker_fts" : "speaker_search"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
        }
    }

    @Test func migrationNamesAreNumberedInOrder() {
        let names = AllMigrations.list.map(\.name)
        for (index, name) in names.enumerated() {
            #expect(name.hasPrefix(String(format: "%03d_", index + 1)), "\(name) is out of order")
        }
    }

    @Test(.enabled(if: TestDatabase.engine == .sqlite, "SQLite's connection settings"))
    func sqliteRunsWithWALForeignKeysAndABusyTimeout() async throws {
        try await TestDatabase.with { database in
            let sql = database.context.sql
            for _ in 0..<4 {  // several event loops, each with its own connection
                let journal = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                let foreignKeys = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
                let timeout = try await sql.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
                #expect(journal == "wal")
                #expect(foreignKeys == 1)
                #expect(timeout == StorageContext.busyTimeoutMilliseconds)
            }
        }
    }

    @Test func foreignKeysRejectOrphansAndCascadeDeletes() async throws {
        try await TestDatabase.with { database in
            try await Fixtures.importSpeakers(into: database)
            await #expect(throws: (any Error).self) {
                try await Appearance(speakerID: 999, eventID: 1, role: "speaker").create(on: database.db)
            }
            try await Speaker.find(1, on: database.db)?.delete(on: database.db)
            let orphans = try await database.context.sql.raw("""
                SELECT COUNT(*) AS n FROM appearances a LEFT JOIN speakers s ON s.id = a.speaker_id WHERE s.id IS NULL
                """).first()?.decode(column: "n", as: Int.self)
            #expect(orphans == 0)
            #expect(try await FieldProvenance.query(on: database.db).filter(\.$speaker.$id == 1).count() == 0)
        }
    }

    @Test func timestampsAreStoredAsUTCInstants() async throws {
        try await TestDatabase.with { database in
            let before = Date()
            let speaker = Speaker(name: "Test Person")
            try await speaker.create(on: database.db)
            let stored = try await Speaker.find(speaker.id, on: database.db)
            let created = try #require(stored?.createdAt)
            #expect(abs(created.timeIntervalSince(before)) < 5)
        }
    }

    @Test func anUnwritableDataDirectoryFailsWithOneClearError() async throws {
        let directory = try TemporaryDirectory.make(prefix: "readonly")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A file where the data folder should be cannot hold a database, even for root.
        let blocker = directory.appendingPathComponent("data")
        try "not a folder".write(to: blocker, atomically: true, encoding: .utf8)
        do {
            _ = try await StorageContext.open(.sqlite(path: blocker.appendingPathComponent("speakers.db").path), logger: Logger(label: "test"))
            Issue.record("opening a database under a file succeeded")
        } catch let error as StorageError {
            #expect(error.description.contains("cannot write to the data directory"))
        }
    }

    @Test func anUnreachablePostgresServerFailsWithOneClearError() async throws {
        // Port 9 (discard) on loopback: nothing listens there.
        let location = DatabaseLocation.postgres(url: "postgres://speakerdb:topsecretpw@127.0.0.1:9/speakerdb?sslmode=disable")
        do {
            let context = try await StorageContext.open(location, logger: Logger(label: "test"))
            await context.shutdown()
            Issue.record("connected to a port where nothing listens")
        } catch let error as StorageError {
            #expect(error.description.contains("cannot reach the database"))
            #expect(!error.description.contains("topsecretpw"))
        }
    }
}
