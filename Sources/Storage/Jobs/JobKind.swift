import FluentKit
import Foundation
import SpeakerCore

/// The kinds of job the worker runs, and their parameters.
public enum JobKind {
    /// The pipeline for one source (or every unpaused source when `source_id` is absent).
    public static let pipeline = "pipeline"
    /// A SQLite backup into `BACKUP_DIR`, keeping `BACKUP_KEEP`.
    public static let backup = "backup"

    public static let all = [pipeline, backup]

    /// The schedules the settings ask for: `SCHEDULE` runs the pipeline, `BACKUP_SCHEDULE` a backup.
    public static func schedules(_ settings: Settings) -> [(task: String, cron: CronExpression)] {
        [(pipeline, settings.schedule), (backup, settings.backupSchedule)].compactMap { task, cron in cron.map { (task, $0) } }
    }

    public struct PipelinePayload: Codable, Sendable, Equatable {
        public var sourceID: Int?
        /// Most event pages to fetch.
        public var limit: Int?
        /// No politeness delay for loopback hosts (tests and the demo).
        public var noDelay: Bool?

        public init(sourceID: Int? = nil, limit: Int? = nil, noDelay: Bool? = nil) {
            self.sourceID = sourceID
            self.limit = limit
            self.noDelay = noDelay
        }

        enum CodingKeys: String, CodingKey {
            case sourceID = "source_id", limit
            case noDelay = "no_delay"
        }
    }

    public struct BackupPayload: Codable, Sendable, Equatable {
        public var keep: Int?
        public init(keep: Int? = nil) { self.keep = keep }
    }

    /// Queues the pipeline of every unpaused source, one job each; a source whose
    /// pipeline is already queued or running is not queued again. Returns the new job ids.
    public static func enqueuePipelines(on db: any Database, trigger: String, maxAttempts: Int,
                                        payload: PipelinePayload = .init()) async throws -> [Int] {
        let sources = try await Source.query(on: db).filter(\.$paused == false).sort(\.$id).all()
        let queue = try JobQueue(db)
        var ids: [Int] = []
        for source in sources {
            guard let id = source.id else { continue }
            var item = payload
            item.sourceID = id
            if let job = try await queue.enqueue(kind: pipeline, payload: item, trigger: trigger, maxAttempts: maxAttempts,
                                                 dedupeKey: "pipeline:source:\(id)") {
                ids.append(job)
            }
        }
        return ids
    }
}
