import ArgumentParser
import Foundation
import Logging
import SpeakerCore
import Storage
import Web

/// What every command needs: settings, logging, and an open, migrated database.
enum CommandSupport {
    /// Loads settings (environment over `.env`) or exits with one clear line.
    static func settings() throws -> Settings {
        do {
            return try Settings.load()
        } catch {
            fail("\(error)")
        }
    }

    /// Runs `body` with an open, migrated database, closing it afterwards. Any error ends the
    /// process with one secret-free line on stderr and exit status 1.
    static func withStorage<T>(migrate: Bool = true, _ body: (StorageContext, Settings) async throws -> T) async throws -> T {
        let settings = try settings()
        AppLogging.bootstrapOnce(settings: settings)
        let logger = Logger(label: "speakerdb")
        let context: StorageContext
        do {
            context = try await StorageContext.open(settings.database, logger: logger)
            if migrate { try await context.migrate() }
        } catch {
            fail(StorageContext.describe(error), secrets: settings.secretValues)
        }
        // Runs left "running" by a process that was killed on this machine end as interrupted.
        if migrate { _ = try? await RunReaper.markInterrupted(on: context.database, processStart: true) }
        do {
            let result = try await body(context, settings)
            await context.shutdown()
            return result
        } catch let exit as ExitCode {
            await context.shutdown()
            throw exit
        } catch {
            await context.shutdown()
            fail(describe(error), secrets: settings.secretValues)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? ImportError { return "import failed, nothing was stored: \(error)" }
        if let error = error as? StorageError { return error.description }
        return StorageContext.describe(error)
    }

    static func fail(_ message: String, secrets: [String] = []) -> Never {
        FileHandle.standardError.write(Data("speakerdb: error: \(Redaction.scrub(message, secrets: secrets))\n".utf8))
        exit(1)
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Left-aligned columns for terminal tables.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            min(48, ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let clipped = cell.count > widths[index] ? String(cell.prefix(widths[index] - 1)) + "…" : cell
                return clipped.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

extension AppLogging {
    private static let once = OnceFlag()

    static func bootstrapOnce(settings: Settings) {
        if once.claim() { bootstrap(settings: settings) }
    }
}

/// A flag that can be claimed once per process.
final class OnceFlag: @unchecked Sendable {
    private var claimed = false
    private let lock = NSLock()

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
