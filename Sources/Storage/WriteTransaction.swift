import FluentKit
import SQLKit

extension Database {
    /// Runs `body` in one transaction that writes.
    ///
    /// On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock up front: a
    /// deferred transaction that reads first and writes later can fail with SQLITE_BUSY
    /// when another process wrote in between, which the busy timeout cannot fix.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard try engine() == .sqlite else {
            return try await transaction(body)
        }
        if inTransaction || WriteTransactionScope.isActive {
            return try await body(self)
        }
        return try await withConnection { connection in
            let sql = try connection.sqlDatabase()
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await WriteTransactionScope.$isActive.withValue(true) {
                    try await body(connection)
                }
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

/// Marks the task tree inside a SQLite write transaction, so nested calls join it.
enum WriteTransactionScope {
    @TaskLocal static var isActive = false
}
