import FluentKit
import Foundation
import Logging
import SpeakerCore
import Storage

/// A real database for one test: a SQLite file in a fresh temporary folder, migrated.
/// Removed (with its folder) by `close()`.
public final class TestDatabase: Sendable {
    public let context: StorageContext
    public let directory: URL
    public let location: DatabaseLocation

    public static func make(migrate: Bool = true) async throws -> TestDatabase {
        let directory = try TemporaryDirectory.make(prefix: "speakerdb-test")
        let location = DatabaseLocation.sqlite(path: directory.appendingPathComponent("speakers.db").path)
        let context = try await StorageContext.open(location, logger: Logger(label: "test"))
        if migrate { try await context.migrate() }
        return TestDatabase(context: context, directory: directory, location: location)
    }

    init(context: StorageContext, directory: URL, location: DatabaseLocation) {
        self.context = context
        self.directory = directory
        self.location = location
    }

    public var db: any Database { context.database }

    public func close() async {
        await context.shutdown()
        try? FileManager.default.removeItem(at: directory)
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
