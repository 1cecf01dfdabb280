import FluentSQLiteDriver
import Logging
import NIOCore

/// The SQLKit view of a Fluent SQLite database, with async queries that hand each row to
/// the caller on the thread that read it.
///
/// Fluent's SQLite database answers SQLKit's async `execute` through SQLiteNIO's
/// futures-based query, which submits one event-loop task per result row and waits for
/// all of them: a 180-row search paid two thread hand-offs per row, about two thirds of
/// its database time in the web benchmark (docs/PERFORMANCE.md). The connection's own
/// async query calls back directly. Everything else — the futures API, sessions,
/// transactions (a transaction's database is bound to its one connection, which
/// `withConnection` hands back), logging, encoding and decoding — is Fluent's, with the
/// same default encoder and decoder the driver is configured with.
struct DirectSQLiteDatabase: SQLDatabase {
    let base: any SQLDatabase
    let sqlite: any SQLiteDatabase
    let encoder = SQLiteDataEncoder()
    let decoder = SQLiteDataDecoder()

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, rawBinds) = serialize(query)
        if let level = queryLogLevel {
            logger.log(level: level, "Executing query", metadata: ["sql": .string(sql), "binds": .array(rawBinds.map { .string("\($0)") })])
        }
        let binds = try rawBinds.map { try encoder.encode($0) }
        let decoder = self.decoder
        try await sqlite.withConnection { connection in
            try await connection.query(sql, binds) { row in onRow(row.sql(decoder: decoder)) }
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession(closure)
    }
}
