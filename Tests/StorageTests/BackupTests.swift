import FluentKit
import Foundation
import Logging
import SpeakerCore
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Backups")
struct BackupTests {
    func speakerCount(_ db: any Database) async throws -> Int {
        try await db.sqlDatabase().raw("SELECT COUNT(*) AS n FROM speakers").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A backup taken while another connection keeps writing is a complete, consistent
    /// database; retention keeps the newest; restore puts it back and keeps the old file.
    @Test func backupWhileWritingThenRestore() async throws {
        try await TestDatabase.with { database in
            guard TestDatabase.engine == .sqlite else {
                await #expect(throws: SQLiteBackup.Failure.self) {
                    _ = try await SQLiteBackup.backup(database.context, to: database.directory.path, keep: 2)
                }
                return
            }
            try await Fixtures.importSpeakers(into: database)
            let before = try await speakerCount(database.db)
            let writer = try await StorageContext.open(database.location, logger: Logger(label: "test"))
            let writing = Task {
                var written = 0
                while !Task.isCancelled && written < 400 {
                    let query = "q\(written)"
                    try await writer.database.writeTransaction { tx in
                        try await tx.sqlDatabase().raw("""
                            INSERT INTO search_log (query, results, latency_ms, format, created_at)
                            VALUES (\(bind: query), 1, 1.0, 'html', \(bind: Date()))
                            """).run()
                    }
                    written += 1
                }
                return written
            }
            let directory = database.directory.appendingPathComponent("backups").path
            var results: [SQLiteBackup.Result] = []
            for _ in 0..<3 {
                results.append(try await SQLiteBackup.backup(database.context, to: directory, keep: 2))
                try await Task.sleep(for: .milliseconds(5))
            }
            let written = try await writing.value
            await writer.shutdown()
            #expect(written == 400)
            #expect(SQLiteBackup.list(directory: directory) == results.suffix(2).map(\.path).reversed(), "the two newest are kept")
            #expect(results[2].deleted == [results[0].path])
            let summary = try await SQLiteBackup.verify(path: results[2].path)
            #expect(summary.speakers == before && summary.migrations == AllMigrations.list.count)

            // Change the live database, then restore the backup over it.
            try await database.db.writeTransaction { try await $0.sqlDatabase().raw("DELETE FROM appearances").run() }
            try await database.db.writeTransaction { try await $0.sqlDatabase().raw("DELETE FROM speakers").run() }
            guard case .sqlite(let path) = database.location else { return }
            await database.context.shutdown()
            let (restored, kept) = try await SQLiteBackup.restore(from: results[2].path, to: path)
            #expect(restored.speakers == before)
            let aside = try #require(kept)
            #expect(FileManager.default.fileExists(atPath: aside))
            let reopened = try await StorageContext.open(database.location, logger: Logger(label: "test"))
            #expect(try await speakerCount(reopened.database) == before)
            let oldCopy = try await StorageContext.open(.sqlite(path: aside), logger: Logger(label: "test"))
            #expect(try await speakerCount(oldCopy.database) == 0, "the replaced database is kept as it was")
            await oldCopy.shutdown()
            await reopened.shutdown()
        }
    }

    @Test func restoreRefusesWhatIsNotAGoodBackup() async throws {
        let directory = try TemporaryDirectory.make(prefix: "restore")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("speakers.db").path
        let garbage = directory.appendingPathComponent("garbage.db").path
        try Data("this is not a database at all, just some text".utf8).write(to: URL(fileURLWithPath: garbage))
        await #expect(throws: SQLiteBackup.Failure.self) { _ = try await SQLiteBackup.restore(from: garbage, to: target) }
        await #expect(throws: SQLiteBackup.Failure.self) { _ = try await SQLiteBackup.restore(from: directory.appendingPathComponent("missing.db").path, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing was put in place")

        // A SQLite file that is not a speakerdb database, and one from a newer version.
        let foreign = directory.appendingPathComponent("foreign.db").path
        let context = try await StorageContext.open(.sqlite(path: foreign), logger: Logger(label: "test"))
        try await context.sql.raw("CREATE TABLE notes (body TEXT)").run()
        await context.shutdown()
        await #expect(throws: SQLiteBackup.Failure.self) { _ = try await SQLiteBackup.restore(from: foreign, to: target) }

        let newer = directory.appendingPathComponent("newer.db").path
        let future = try await StorageContext.open(.sqlite(path: newer), logger: Logger(label: "test"))
        try await future.migrate()
        try await future.sql.raw("""
            INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at)
            VALUES ('00000000-0000-0000-0000-000000000099', '999_FromTheFuture', 99, \(bind: Date()), \(bind: Date()))
            """).run()
        await future.shutdown()
        do {
            _ = try await SQLiteBackup.restore(from: newer, to: target)
            Issue.record("a backup from a newer version was restored")
        } catch let error as SQLiteBackup.Failure {
            #expect(error.message.contains("999_FromTheFuture"))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
