import FluentKit
import FluentSQLiteDriver
import SQLKit

/// The two database engines speakerdb runs on. SQL that differs between them lives next
/// to its only user and switches on this.
public enum Engine: String, Sendable {
    case sqlite
    case postgres
}

public enum StorageError: Error, CustomStringConvertible {
    case notSQL
    case unsupportedDialect(String)
    case unwritableDataDirectory(path: String, reason: String)
    case unreachable(location: String, reason: String)
    case notFound(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notSQL: "the configured database does not speak SQL"
        case .unsupportedDialect(let name): "unsupported SQL dialect \(name)"
        case .unwritableDataDirectory(let path, let reason): "cannot write to the data directory \(path): \(reason)"
        case .unreachable(let location, let reason): "cannot reach the database at \(location): \(reason)"
        case .notFound(let what): "\(what) not found"
        case .invalid(let message): message
        }
    }
}

extension Database {
    /// The SQLKit view of this database; every speakerdb database is an SQL one.
    public func sqlDatabase() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw StorageError.notSQL }
        if let sqlite = self as? any SQLiteDatabase {
            return DirectSQLiteDatabase(base: sql, sqlite: sqlite)
        }
        return sql
    }

    public func engine() throws -> Engine {
        try sqlDatabase().engine()
    }
}

extension SQLDatabase {
    public func engine() throws -> Engine {
        switch dialect.name {
        case "sqlite": return .sqlite
        case "postgresql": return .postgres
        case let other: throw StorageError.unsupportedDialect(other)
        }
    }
}
