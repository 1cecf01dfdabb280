import ArgumentParser
import Foundation
import Logging
import SpeakerCore
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (safe to re-run).")

    func run() async throws {
        try await CommandSupport.withStorage(migrate: false) { context, _ in
            let applied = try await context.migrate()
            if applied.isEmpty {
                print("Database is up to date (\(try await context.appliedMigrations().count) migrations applied).")
            } else {
                for name in applied { print("applied \(name)") }
            }
        }
    }
}

/// `speakerdb migrate-db --from sqlite:PATH --to postgres://…`: moves an installation from
/// the embedded database to PostgreSQL.
struct MigrateDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-db",
        abstract: "Copy a whole SQLite database into PostgreSQL, verify the row counts (safe to re-run).",
        discussion: """
            Both databases are migrated first. Rows already in the target (same key) are kept, so \
            an interrupted copy can simply be run again. The PostgreSQL id sequences and search \
            index are brought up to date afterwards. Stop the pipeline and the web app while it runs.
            """)

    @Option(help: "The SQLite database to copy: sqlite:PATH or a file path.") var from: String
    @Option(help: "The PostgreSQL database to fill: postgres://USER:PASSWORD@HOST:PORT/DATABASE.") var to: String

    func run() async throws {
        let source: DatabaseLocation, target: DatabaseLocation
        do {
            source = try DatabaseLocation.parse(from)
            target = try DatabaseLocation.parse(to)
        } catch {
            CommandSupport.fail("\(error)")
        }
        guard case .sqlite(let path) = source, FileManager.default.fileExists(atPath: path) else {
            CommandSupport.fail("--from must name an existing SQLite file (got \(source.redacted))")
        }
        guard case .postgres(let url) = target else {
            CommandSupport.fail("--to must be a postgres:// or postgresql:// URL")
        }
        let secrets = URLComponents(string: url)?.password.map { [$0] } ?? []
        let logger = Logger(label: "speakerdb.migrate-db")
        var contexts: [StorageContext] = []
        do {
            let from = try await StorageContext.open(source, logger: logger)
            contexts.append(from)
            let into = try await StorageContext.open(target, logger: logger)
            contexts.append(into)
            try await from.migrate()
            try await into.migrate()
            print("copying \(source.redacted) → \(target.redacted)")
            let counts = try await DatabaseCopier(from: from.database, to: into.database).run()
            for count in counts {
                print("\(count.table.padding(toLength: 20, withPad: " ", startingAt: 0)) \(count.source) → \(count.target)")
            }
            print("done: every table's rows are in the target")
        } catch {
            for context in contexts { await context.shutdown() }
            CommandSupport.fail(StorageContext.describe(error), secrets: secrets)
        }
        for context in contexts { await context.shutdown() }
    }
}
