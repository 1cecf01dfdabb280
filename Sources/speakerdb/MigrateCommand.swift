import ArgumentParser
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
