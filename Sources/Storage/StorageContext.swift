import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SQLKit
import SpeakerCore

/// An open database: the Fluent `Databases` registry plus the settings that matter for
/// it (SQLite pragmas, PostgreSQL TLS). The CLI opens its own; the web app wraps the one
/// Vapor owns, so both run the same migrations and connection settings.
public final class StorageContext: Sendable {
    public let databases: Databases
    public let location: DatabaseLocation
    public let logger: Logger
    let ownsDatabases: Bool

    public static let databaseID = DatabaseID(string: "speakerdb")

    /// Wraps an existing registry (Vapor's `app.databases`) after `register(on:)`.
    public init(databases: Databases, location: DatabaseLocation, logger: Logger) {
        self.databases = databases
        self.location = location
        self.logger = logger
        self.ownsDatabases = false
    }

    private init(owning databases: Databases, location: DatabaseLocation, logger: Logger) {
        self.databases = databases
        self.location = location
        self.logger = logger
        self.ownsDatabases = true
    }

    /// Opens the database named by `location` for a command-line process.
    public static func open(_ location: DatabaseLocation, logger: Logger,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> StorageContext {
        let databases = Databases(threadPool: sharedThreadPool, on: eventLoopGroup)
        try register(location, on: databases)
        let context = StorageContext(owning: databases, location: location, logger: logger)
        do {
            try await context.prepareConnections()
        } catch {
            await context.shutdown()
            throw error
        }
        return context
    }

    /// SQLite calls block a thread; this pool is larger than NIO's default (one thread per
    /// core) so reads keep flowing while a writer waits for another process's lock.
    public static let blockingThreads = max(4, System.coreCount * 2)

    public static let sharedThreadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: blockingThreads)
        pool.start()
        return pool
    }()

    /// Registers the database with a Fluent registry (the CLI's or Vapor's).
    public static func register(_ location: DatabaseLocation, on databases: Databases) throws {
        switch location {
        case .sqlite(let path):
            try ensureWritableDirectory(for: path)
            // A restore that a crash interrupted after it was decided is completed first.
            try SQLiteBackup.finishPendingRestore(databasePath: path)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace),
                          as: databaseID, isDefault: true)
        case .postgres(let url):
            let configuration = try postgresConfiguration(url: url)
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace),
                          as: databaseID, isDefault: true)
        }
    }

    /// A database handle on any event loop. Cheap; call per unit of work.
    public var database: any Database {
        databases.database(StorageContext.databaseID, logger: logger, on: databases.eventLoopGroup.any())!
    }

    public var sql: any SQLDatabase {
        try! database.sqlDatabase()
    }

    public var engine: Engine {
        switch location {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Checks the database answers and applies per-connection settings. SQLite: WAL, a busy
    /// timeout (so concurrent writers wait instead of failing with "database is locked"),
    /// foreign keys, and `synchronous=NORMAL` (durable with WAL). The pool keeps its
    /// connections, so setting them on each event loop's connections covers the process.
    public func prepareConnections() async throws {
        // The caller reports a failure in one line; the pool's own error log would be a second.
        var quiet = logger
        quiet.logLevel = .critical
        do {
            switch location {
            case .sqlite:
                for eventLoop in databases.eventLoopGroup.makeIterator() {
                    let db = databases.database(StorageContext.databaseID, logger: quiet, on: eventLoop)!
                    try await Self.applySQLitePragmas(db)
                }
            case .postgres:
                let db = databases.database(StorageContext.databaseID, logger: quiet, on: databases.eventLoopGroup.any())!
                _ = try await db.sqlDatabase().raw("SELECT 1 AS ok").all()
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.unreachable(location: location.redacted, reason: Self.describe(error))
        }
    }

    /// fluent-sqlite-driver keeps exactly one connection per event loop, so this reaches it.
    static func applySQLitePragmas(_ db: any Database) async throws {
        try await db.withConnection { connection in
            let sql = try connection.sqlDatabase()
            _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
            _ = try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeoutMilliseconds))").all()
            _ = try await sql.raw("PRAGMA foreign_keys = ON").all()
            _ = try await sql.raw("PRAGMA synchronous = NORMAL").all()
            // Reads share the OS page cache through a memory map instead of copying every
            // page into each connection's private cache; the private cache is kept larger
            // than the 2 MiB default so a search's index pages stay hot.
            _ = try await sql.raw("PRAGMA mmap_size = \(unsafeRaw: String(mmapBytes))").all()
            _ = try await sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(cacheKibibytes))").all()
            _ = try await sql.raw("PRAGMA temp_store = MEMORY").all()
        }
    }

    /// Bytes of the database file each connection maps into memory (reads only; 256 MiB).
    static let mmapBytes = 268_435_456
    /// Size of each connection's private page cache in KiB (32 MiB).
    static let cacheKibibytes = 32_768

    /// How long a SQLite writer waits for another to finish before giving up.
    public static let busyTimeoutMilliseconds = 15_000

    /// Applies every pending migration; returns the names of those it applied. Processes
    /// that start together (two web processes, a web process and a worker) take turns:
    /// the first applies the migrations, the others then find nothing pending.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await withMigrationLock { try await self.applyPendingMigrations() }
    }

    /// Applies pending migrations one by one, each in its own transaction together with its
    /// row in `_fluent_migrations`: a process killed mid-migration leaves that migration
    /// undone (SQLite and PostgreSQL both roll back DDL), never half a schema.
    private func applyPendingMigrations() async throws -> [String] {
        let migrations = Migrations()
        migrations.add(AllMigrations.list, to: StorageContext.databaseID)
        // Fluent logs every step at info; keep that for debugging only.
        var migrationLogger = logger
        migrationLogger.logLevel = max(logger.logLevel, .notice)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: migrationLogger,
                                on: databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        let pending = try await migrator.previewPrepareBatch().get().map(\.0)
        guard !pending.isEmpty else { return [] }
        let db = database
        let batch = (try await MigrationLog.query(on: db).max(\.$batch) ?? 0) + 1
        for migration in pending {
            let name = migration.name
            try await db.transaction { tx in
                try await migration.prepare(on: tx).get()
                try await MigrationLog(name: name, batch: batch).create(on: tx)
                Failpoint.hit("migration:\(name)")
            }
        }
        return pending.map(\.name)
    }

    /// How long a process waits for another one's migrations before giving up.
    static let migrationLockTimeout: Duration = .seconds(300)
    /// The PostgreSQL advisory lock key for migrations (any constant; "spkrdbmg").
    static let migrationLockKey: Int64 = 0x73706B7264626D67

    /// Runs `body` holding a lock that other speakerdb processes on the same database also
    /// take before migrating. PostgreSQL: a session advisory lock held on one pinned
    /// connection while the migrator uses others. SQLite: an exclusive `flock` on a file
    /// beside the database (released by the kernel if the process dies).
    func withMigrationLock<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        switch location {
        case .postgres:
            return try await database.withConnection { connection in
                let sql = connection as! any SQLDatabase
                _ = try await sql.raw("SELECT pg_advisory_lock(\(bind: Self.migrationLockKey))").all()
                do {
                    let result = try await body()
                    _ = try await sql.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").all()
                    return result
                } catch {
                    _ = try? await sql.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").all()
                    throw error
                }
            }
        case .sqlite(let path):
            let lockPath = path + ".migrate-lock"
            let descriptor = Glibc.open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw StorageError.invalid("cannot open \(lockPath): \(String(cString: strerror(errno)))")
            }
            defer { Glibc.close(descriptor) }
            let deadline = ContinuousClock.now + Self.migrationLockTimeout
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    throw StorageError.invalid("cannot lock \(lockPath): \(String(cString: strerror(errno)))")
                }
                guard ContinuousClock.now < deadline else {
                    throw StorageError.invalid("another speakerdb process has been migrating \(path) for over \(Self.migrationLockTimeout); is one stuck?")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            defer { flock(descriptor, LOCK_UN) }
            return try await body()
        }
    }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        let rows = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at").all()
        return try rows.map { try $0.decode(column: "name", as: String.self) }
    }

    public func shutdown() async {
        guard ownsDatabases else { return }
        await databases.shutdownAsync()
    }

    static func ensureWritableDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StorageError.unwritableDataDirectory(path: directory, reason: "cannot create it (\(Self.describe(error)))")
            }
        } else if !isDirectory.boolValue {
            throw StorageError.unwritableDataDirectory(path: directory, reason: "it is a file, not a folder")
        }
        if !manager.isWritableFile(atPath: directory) {
            throw StorageError.unwritableDataDirectory(path: directory, reason: "permission denied")
        }
        if manager.fileExists(atPath: path), !manager.isWritableFile(atPath: path) {
            throw StorageError.unwritableDataDirectory(path: path, reason: "the database file is read-only")
        }
    }

    /// Builds the PostgreSQL configuration with libpq's `sslmode` meanings: `require` uses TLS
    /// without certificate checks (as Heroku needs), `verify-ca`/`verify-full` check them.
    static func postgresConfiguration(url: String) throws -> SQLPostgresConfiguration {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw StorageError.invalid("DATABASE_URL is not a valid PostgreSQL URL: \(Redaction.redactURLPassword(url))")
        }
        let mode = components.queryItems?.last(where: { ["sslmode", "tlsmode", "ssl", "tls"].contains($0.name.lowercased()) })?.value?.lowercased() ?? "prefer"
        let tls: PostgresConnection.Configuration.TLS
        switch mode {
        case "disable", "false":
            tls = .disable
        case "allow", "prefer", "true":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = try .prefer(NIOSSLContext(configuration: config))
        case "require":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = try .require(NIOSSLContext(configuration: config))
        case "verify-ca", "verify-full":
            // The server's certificate must chain to a trusted CA: the system's, or the file
            // named by `sslrootcert` (as with libpq). verify-full also checks the host name.
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = mode == "verify-full" ? .fullVerification : .noHostnameVerification
            if let file = components.queryItems?.last(where: { $0.name.lowercased() == "sslrootcert" })?.value, !file.isEmpty {
                guard FileManager.default.isReadableFile(atPath: file) else {
                    throw StorageError.invalid("DATABASE_URL names an sslrootcert that cannot be read: \(file)")
                }
                config.trustRoots = .file(file)
            }
            tls = try .require(NIOSSLContext(configuration: config))
        default:
            throw StorageError.invalid("DATABASE_URL has an unknown sslmode '\(mode)' (use disable, prefer, require, verify-ca or verify-full)")
        }
        let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return SQLPostgresConfiguration(hostname: host, port: components.port ?? 5432,
                                        username: components.user?.removingPercentEncoding ?? "postgres",
                                        password: components.password?.removingPercentEncoding,
                                        database: database.isEmpty ? nil : database, tls: tls)
    }

    /// A one-line, secret-free description of a database error.
    public static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            switch psql.code {
            case .connectionError: return "connection refused or closed (\(psql.underlying.map { "\($0)" } ?? "no detail"))"
            default: return "\(psql.code)"
            }
        }
        let text = String(describing: error)
        return String(text.prefix(300))
    }
}
