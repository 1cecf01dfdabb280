import FluentKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import SQLKit
import SpeakerCore

/// Consistent snapshots of a live SQLite database, their retention, and restoring one.
///
/// A backup is `VACUUM INTO` a temporary file next to its final name: SQLite writes a
/// compact copy of one read snapshot while writers go on (WAL), then the file is checked
/// and renamed into place, so a listed backup is always complete. PostgreSQL databases
/// are backed up with `pg_dump` (docs/OPERATIONS.md).
public enum SQLiteBackup {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    public struct Result: Sendable, Codable {
        public var path: String
        public var bytes: Int
        public var deleted: [String]
    }

    static let prefix = "speakerdb-"
    static let suffix = ".db"

    /// File name of a backup taken at `date`: sortable, UTC, no characters that need quoting.
    static func fileName(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let millis = Int((date.timeIntervalSince1970 * 1000).truncatingRemainder(dividingBy: 1000))
        return "\(prefix)\(formatter.string(from: date))-\(String(format: "%03d", millis))\(suffix)"
    }

    /// Backups in `directory`, newest first.
    public static func list(directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted(by: >)
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Takes a backup of the SQLite database behind `storage` into `directory`, checks it,
    /// and deletes all but the newest `keep` backups there.
    public static func backup(_ storage: StorageContext, to directory: String, keep: Int, now: Date = Date()) async throws -> Result {
        guard case .sqlite = storage.location else {
            throw Failure("speakerdb backup copies SQLite databases; back up PostgreSQL with pg_dump (docs/OPERATIONS.md)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let final = (directory as NSString).appendingPathComponent(fileName(now))
        let partial = final + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try await storage.sql.raw("VACUUM INTO \(bind: partial)").run()
            try await verify(path: partial)
            try FileManager.default.moveItem(atPath: partial, toPath: final)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        var deleted: [String] = []
        for old in list(directory: directory).dropFirst(max(1, keep)) {
            try FileManager.default.removeItem(atPath: old)
            deleted.append(old)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: final)[.size] as? Int) ?? 0
        return Result(path: final, bytes: bytes, deleted: deleted)
    }

    /// What a checked backup contains.
    public struct Summary: Sendable, Codable {
        public var migrations: Int
        public var speakers: Int
        public var events: Int
    }

    /// Opens `path` as a SQLite database and checks it: `PRAGMA integrity_check` passes,
    /// it is a speakerdb database, and every migration it has applied is one this version
    /// knows (a backup from a newer version is refused).
    @discardableResult
    public static func verify(path: String) async throws -> Summary {
        guard FileManager.default.fileExists(atPath: path) else { throw Failure("\(path) does not exist") }
        var logger = Logger(label: "speakerdb.backup")
        logger.logLevel = .critical
        let context: StorageContext
        do {
            context = try await StorageContext.open(.sqlite(path: path), logger: logger)
        } catch {
            throw Failure("\(path) is not a SQLite database: \(StorageContext.describe(error))")
        }
        do {
            let sql = context.sql
            let integrity: [String]
            do {
                integrity = try await sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
            } catch {
                throw Failure("\(path) is not a SQLite database: \(StorageContext.describe(error))")
            }
            guard integrity == ["ok"] else {
                throw Failure("\(path) is damaged: \(integrity.prefix(3).joined(separator: "; "))")
            }
            let applied: [String]
            do {
                applied = try await context.appliedMigrations()
            } catch {
                throw Failure("\(path) is not a speakerdb database (it has no migration history)")
            }
            let known = Set(AllMigrations.list.map(\.name))
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw Failure("\(path) was written by a newer speakerdb (it has migration \(unknown)); upgrade before restoring it")
            }
            let speakers = try await sql.raw("SELECT COUNT(*) AS n FROM speakers").first()?.decode(column: "n", as: Int.self) ?? 0
            let events = try await sql.raw("SELECT COUNT(*) AS n FROM events").first()?.decode(column: "n", as: Int.self) ?? 0
            await context.shutdown()
            return Summary(migrations: applied.count, speakers: speakers, events: events)
        } catch {
            await context.shutdown()
            throw error
        }
    }

    /// Puts a checked backup in place of the database at `databasePath`, so that a crash at
    /// any moment leaves either the old database or the restored one, never none:
    ///
    /// 1. the backup is copied beside the database (`.restoring`) and flushed to disk;
    /// 2. the current database (and its WAL) is copied aside (`before-restore-<time>.db`);
    /// 3. a marker (`.restore-pending`) is written atomically: from here on the restore is
    ///    decided, and `finishPendingRestore` completes it if the process dies;
    /// 4. the old WAL and shared-memory files are removed (they must not be replayed into
    ///    the restored file), the copy is renamed over the database (one atomic rename),
    ///    and the marker is removed.
    public static func restore(from path: String, to databasePath: String, now: Date = Date()) async throws -> (Summary, kept: String?) {
        let summary = try await verify(path: path)
        let fm = FileManager.default
        let directory = (databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let incoming = databasePath + ".restoring"
        try? fm.removeItem(atPath: incoming)
        try fm.copyItem(atPath: path, toPath: incoming)
        try sync(incoming)
        Failpoint.hit("restore:copied")
        var kept: String?
        if fm.fileExists(atPath: databasePath) {
            let stamp = fileName(now).dropFirst(prefix.count).dropLast(suffix.count)
            let aside = "\((databasePath as NSString).deletingPathExtension).before-restore-\(stamp).db"
            for extra in ["", "-wal", "-shm"] where fm.fileExists(atPath: databasePath + extra) {
                try? fm.removeItem(atPath: aside + extra)
                try fm.copyItem(atPath: databasePath + extra, toPath: aside + extra)
            }
            kept = aside
        }
        Failpoint.hit("restore:kept-aside")
        let marker = databasePath + ".restore-pending"
        try Data(incoming.utf8).write(to: URL(fileURLWithPath: marker), options: .atomic)
        Failpoint.hit("restore:decided")
        try finishPendingRestore(databasePath: databasePath)
        return (summary, kept)
    }

    /// Completes a restore that a crash interrupted after it was decided (called before the
    /// database is opened). Without a marker it does nothing.
    public static func finishPendingRestore(databasePath: String) throws {
        let fm = FileManager.default
        let marker = databasePath + ".restore-pending"
        guard fm.fileExists(atPath: marker) else { return }
        let incoming = databasePath + ".restoring"
        if fm.fileExists(atPath: incoming) {
            for extra in ["-wal", "-shm"] where fm.fileExists(atPath: databasePath + extra) {
                try fm.removeItem(atPath: databasePath + extra)
            }
            Failpoint.hit("restore:old-wal-removed")
            guard rename(incoming, databasePath) == 0 else {
                throw Failure("could not move the restored database into place: \(String(cString: strerror(errno)))")
            }
            Failpoint.hit("restore:renamed")
        }
        // The copy is in place (now, or before a crash): the marker has done its work.
        try fm.removeItem(atPath: marker)
    }

    /// Flushes a file's data to disk.
    static func sync(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.synchronize()
    }
}
