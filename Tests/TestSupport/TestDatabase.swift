import FluentKit
import Foundation
import Logging
import SpeakerCore
import SQLKit
import Storage

/// A real database for one test: a SQLite file in a fresh temporary folder, migrated.
/// Removed (with its folder) by `close()`.
public final class TestDatabase: Sendable {
    public let context: StorageContext
    public let directory: URL
    public let location: DatabaseLocation

    /// Set by the test command for its PostgreSQL pass: a URL of the throwaway server's
    /// maintenance database. Each test then gets a fresh database on that server instead
    /// of a SQLite file, and drops it afterwards.
    public static var postgresServer: String? {
        ProcessInfo.processInfo.environment["SPEAKERDB_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var engine: Engine { postgresServer == nil ? .sqlite : .postgres }

    /// `sqliteOnly`: a SQLite database whatever the pass (the source of a copy to PostgreSQL).
    public static func make(migrate: Bool = true, sqliteOnly: Bool = false) async throws -> TestDatabase {
        let directory = try TemporaryDirectory.make(prefix: "speakerdb-test")
        let location: DatabaseLocation
        var dropName: String?
        if !sqliteOnly, let server = postgresServer {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresServer.run("CREATE DATABASE \(name)", on: server)
            var components = URLComponents(string: server)!
            components.path = "/" + name
            location = .postgres(url: components.string!)
            dropName = name
        } else {
            location = .sqlite(path: directory.appendingPathComponent("speakers.db").path)
        }
        let context = try await StorageContext.open(location, logger: Logger(label: "test"))
        if migrate { try await context.migrate() }
        return TestDatabase(context: context, directory: directory, location: location, dropName: dropName)
    }

    let dropName: String?

    init(context: StorageContext, directory: URL, location: DatabaseLocation, dropName: String? = nil) {
        self.context = context
        self.directory = directory
        self.location = location
        self.dropName = dropName
    }

    public var db: any Database { context.database }

    /// The database as a `DATABASE_URL` setting value, for settings built in a test.
    public var settingValue: String {
        switch location {
        case .sqlite(let path): path
        case .postgres(let url): url
        }
    }

    public func close() async {
        await context.shutdown()
        try? FileManager.default.removeItem(at: directory)
        if let dropName, let server = Self.postgresServer {
            try? await PostgresServer.run("DROP DATABASE IF EXISTS \(dropName) WITH (FORCE)", on: server)
        }
    }

    /// Runs `body` with a fresh database and always closes it.
    public static func with<T>(migrate: Bool = true, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await make(migrate: migrate)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

/// Statements against the test PostgreSQL server's maintenance database.
public enum PostgresServer {
    public static func run(_ statement: String, on server: String) async throws {
        let context = try await StorageContext.open(.postgres(url: server), logger: Logger(label: "test"))
        do {
            try await context.sql.raw(SQLQueryString(stringLiteral: statement)).run()
            await context.shutdown()
        } catch {
            await context.shutdown()
            throw error
        }
    }
}

public enum TemporaryDirectory {
    public static func make(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The package root (for reading docs and fixtures from tests).
public enum PackageRoot {
    public static var url: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }

    /// The directory holding built products (the `speakerdb` binary) during `swift test`.
    public static var binDirectory: URL {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // swift-testing runs inside speakerdbPackageTests.xctest (a file on Linux).
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("speakerdb").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory
    }
}
