import FluentKit
import SQLKit

extension Database {
    /// Runs `body` in one transaction that writes. Every write in speakerdb goes through
    /// here.
    ///
    /// On SQLite, writers in one process take turns through `SQLiteWriteGate` before they
    /// touch a connection, and each transaction starts with `BEGIN IMMEDIATE`:
    /// - SQLite allows one writer at a time. Two connections of one process writing at
    ///   once make one wait in the busy handler, and that wait occupies a thread of the
    ///   small blocking-I/O pool the other connection needs to commit: a deadlock that
    ///   ends in "database is locked". Taking turns in memory first avoids it.
    /// - A deferred transaction that reads first and writes later can fail with
    ///   SQLITE_BUSY when another process wrote in between; taking the write lock up
    ///   front avoids it. Other processes are waited for by the busy timeout.
    /// Transactions must be short: the crawler fetches outside them and writes after.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard try engine() == .sqlite else {
            if inTransaction { return try await body(self) }
            return try await transaction(body)
        }
        if inTransaction || WriteTransactionScope.isActive {
            return try await body(self)
        }
        return try await SQLiteWriteGate.shared.withTurn {
            try await withConnection { connection in
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
}

/// Marks the task tree inside a SQLite write transaction, so nested calls join it.
enum WriteTransactionScope {
    @TaskLocal static var isActive = false
}

/// The in-process queue of SQLite writers: one at a time, in arrival order.
public actor SQLiteWriteGate {
    public static let shared = SQLiteWriteGate()

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public func withTurn<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
