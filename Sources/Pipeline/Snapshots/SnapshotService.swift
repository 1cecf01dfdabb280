import AsyncHTTPClient
import Foundation
import Logging
import SpeakerCore
import Storage

/// SQLite snapshots on S3-compatible storage, for disks that do not survive a restart:
/// push a consistent snapshot (`VACUUM INTO`, checked, then uploaded) and keep the newest
/// N; pull the newest and put it in place after checking it.
public final class SnapshotService: Sendable {
    let client: S3Client
    let prefix: String
    let keep: Int
    let logger: Logger

    /// Nil when `S3_BUCKET` is not set.
    public init?(settings: Settings, http: HTTPClient, logger: Logger) {
        guard let bucket = settings.s3Bucket, let key = settings.s3AccessKeyID, let secret = settings.s3SecretAccessKey,
              let endpoint = URL(string: settings.s3Endpoint) else { return nil }
        client = S3Client(http: http, endpoint: endpoint, bucket: bucket,
                          signer: SigV4Signer(accessKeyID: key, secretAccessKey: secret, region: settings.s3Region))
        prefix = settings.s3Prefix
        keep = settings.s3Keep
        self.logger = logger
    }

    /// Snapshots in the bucket, oldest first (their names sort by time).
    public func list() async throws -> [S3Client.Object] {
        try await client.list(prefix: prefix).filter { $0.key.hasSuffix(".db") }
    }

    /// Uploads a snapshot of the live database and deletes all but the newest `keep`.
    /// Returns the key written.
    @discardableResult
    public func push(_ storage: StorageContext) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-snapshot-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backup = try await SQLiteBackup.backup(storage, to: directory, keep: 1)
        let key = prefix + URL(fileURLWithPath: backup.path).lastPathComponent
        try await client.put(key, try Data(contentsOf: URL(fileURLWithPath: backup.path)))
        let objects = try await list()
        for old in objects.dropLast(keep) { try await client.delete(old.key) }
        logger.notice("snapshot uploaded", metadata: ["key": .string(key), "bytes": .stringConvertible(backup.bytes)])
        return key
    }

    /// Downloads the newest snapshot, checks it and puts it at `databasePath` (the file
    /// there, if any, is kept aside as by `speakerdb restore`). Nil when the bucket holds none.
    public func pull(to databasePath: String) async throws -> (key: String, summary: SQLiteBackup.Summary, kept: String?)? {
        guard let newest = try await list().last else { return nil }
        guard let data = try await client.get(newest.key) else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-pulled-\(UUID().uuidString.prefix(8)).db")
        defer { try? FileManager.default.removeItem(at: file) }
        try data.write(to: file)
        let (summary, kept) = try await SQLiteBackup.restore(from: file.path, to: databasePath)
        logger.notice("snapshot restored", metadata: ["key": .string(newest.key), "speakers": .stringConvertible(summary.speakers)])
        return (newest.key, summary, kept)
    }

    /// At start on an empty disk: the newest snapshot, when the database file is missing.
    public func restoreIfMissing(_ databasePath: String) async throws {
        guard !FileManager.default.fileExists(atPath: databasePath) else { return }
        if try await pull(to: databasePath) == nil {
            logger.notice("no snapshot in the bucket yet; starting with an empty database")
        }
    }
}
