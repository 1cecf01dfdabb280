import Crawling
import FluentKit
import Foundation
import Logging
import SpeakerCore
import Storage

/// A process's identity in job leases and schedule slots: host, process id and a random
/// suffix, so two processes never share one.
public enum WorkerIdentity {
    public static func make() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host)#\(ProcessInfo.processInfo.processIdentifier)#\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }
}

/// Takes jobs from the durable queue and runs them, one at a time, renewing its lease
/// while it works. Used by `speakerdb worker` and `speakerdb serve --scheduler`; the
/// scheduler (when given) is ticked between jobs.
public final class JobWorker: Sendable {
    public struct Configuration: Sendable {
        public var owner = WorkerIdentity.make()
        public var lease: Duration = .seconds(300)
        /// How long to wait when no job is due.
        public var idlePoll: Duration = .seconds(2)
        /// How often the scheduler looks for a due slot.
        public var schedulerInterval: Duration = .seconds(30)
        public init() {}
    }

    struct LeaseLost: Error, CustomStringConvertible {
        var description: String { "the job's lease was lost (another worker took it after it expired)" }
    }

    public let configuration: Configuration
    let storage: StorageContext
    let settings: Settings
    public let scheduler: Scheduler?
    let logger: Logger
    let fetchers: FetcherSet

    public init(storage: StorageContext, settings: Settings, scheduler: Scheduler?, configuration: Configuration, logger: Logger) {
        self.storage = storage
        self.settings = settings
        self.scheduler = scheduler
        self.configuration = configuration
        self.logger = logger
        self.fetchers = PipelineRunner.makeFetchers(settings: settings)
    }

    /// Stops the browser sessions the pipeline may have started.
    public func shutdown() async {
        await fetchers.shutdown()
    }

    /// Claims and runs one due job. False when none was due.
    @discardableResult
    public func runOne() async throws -> Bool {
        let queue = try JobQueue(storage.database)
        guard let job = try await queue.claim(owner: configuration.owner, lease: configuration.lease, kinds: JobKind.all) else {
            return false
        }
        let owner = configuration.owner
        var metadata: Logger.Metadata = ["job": .stringConvertible(job.id), "kind": .string(job.kind), "attempt": .stringConvertible(job.attempts)]
        logger.info("job started", metadata: metadata)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let runID = try await withLease(job, queue: queue) { try await self.execute(job) }
            try await queue.complete(id: job.id, owner: owner, runID: runID)
            metadata["seconds"] = .string(String(format: "%.1f", (clock.now - started).inSeconds))
            logger.info("job succeeded", metadata: metadata)
        } catch is CancellationError {
            // Shutting down: hand the job back untouched for the next worker.
            try? await queue.release(id: job.id, owner: owner)
            logger.notice("job handed back at shutdown", metadata: metadata)
            throw CancellationError()
        } catch let error as LeaseLost {
            logger.warning("job abandoned", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
        } catch {
            let message = Redaction.scrub("\(error)", secrets: settings.secretValues)
            let status = try? await queue.fail(id: job.id, owner: owner, error: message)
            metadata["error"] = .string(message)
            metadata["now"] = .string(status?.rawValue ?? "lease lost")
            logger.error("job failed", metadata: metadata)
        }
        return true
    }

    /// Runs `body` while a companion task renews the job's lease every third of its
    /// length; a lost lease cancels the work.
    func withLease<T: Sendable>(_ job: Job, queue: JobQueue, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let owner = configuration.owner, lease = configuration.lease
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while true {
                    try await Task.sleep(for: lease / 3)
                    guard try await queue.renew(id: job.id, owner: owner, lease: lease) else { throw LeaseLost() }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// Runs one job; returns the id of the pipeline run it recorded, if any.
    func execute(_ job: Job) async throws -> Int? {
        switch job.kind {
        case JobKind.pipeline:
            let payload = try job.decodePayload(JobKind.PipelinePayload.self)
            var sources: [Source] = []
            if let id = payload.sourceID {
                guard let source = try await Source.find(id, on: storage.database) else {
                    throw JobError("source \(id) no longer exists")
                }
                if source.paused {
                    logger.notice("source is paused; nothing to do", metadata: ["source": .string(source.url)])
                    return nil
                }
                sources = [source]
            }
            var options = PipelineRunner.Options()
            options.trigger = job.trigger
            options.crawl.limit = payload.limit
            options.noDelayOnLoopback = payload.noDelay ?? false
            let queue = try JobQueue(storage.database), owner = configuration.owner
            options.onRunStarted = { runID in try? await queue.attachRun(id: job.id, owner: owner, runID: runID) }
            let runner = PipelineRunner(storage: storage, settings: settings, fetchers: fetchers, logger: logger)
            return try await runner.run(sources: sources, options: options).runID
        case JobKind.backup:
            let payload = try job.decodePayload(JobKind.BackupPayload.self)
            let result = try await SQLiteBackup.backup(storage, to: settings.backupDirectory, keep: payload.keep ?? settings.backupKeep)
            logger.notice("backup written", metadata: ["path": .string(result.path), "bytes": .stringConvertible(result.bytes),
                                                       "deleted": .stringConvertible(result.deleted.count)])
            return nil
        default:
            throw JobError("unknown job kind \(job.kind)")
        }
    }

    /// Runs jobs until none is queued or running any more, waiting out other workers'
    /// leases (a killed worker's job is taken over once its lease expires). Ticks the
    /// scheduler once first.
    public func drain() async throws {
        if let scheduler { _ = try await scheduler.tick() }
        let queue = try JobQueue(storage.database)
        while try await queue.hasUnfinished() {
            if try await runOne() { continue }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Hourly upkeep: search analytics older than `SEARCH_LOG_RETENTION_DAYS` are deleted.
    public func housekeeping(now: Date = Date()) async {
        do {
            let cutoff = now.addingTimeInterval(-Double(settings.searchLogRetentionDays) * 86_400)
            let deleted = try await SearchLog(storage.database).prune(before: cutoff)
            if deleted > 0 { logger.info("old search analytics deleted", metadata: ["rows": .stringConvertible(deleted)]) }
        } catch {
            logger.warning("housekeeping failed", metadata: ["error": .string("\(error)")])
        }
    }

    /// Runs until cancelled: ticks the scheduler every `schedulerInterval` (and at once,
    /// so a slot missed while nothing ran fires at start-up), and takes due jobs.
    public func run() async {
        let clock = ContinuousClock()
        var nextTick = clock.now
        var nextHousekeeping = clock.now
        while !Task.isCancelled {
            if clock.now >= nextHousekeeping {
                await housekeeping()
                nextHousekeeping = clock.now + .seconds(3_600)
            }
            if let scheduler, clock.now >= nextTick {
                do {
                    for (task, outcome) in try await scheduler.tick() where outcome == .fired {
                        logger.notice("schedule fired", metadata: ["task": .string(task)])
                    }
                } catch {
                    logger.error("scheduler tick failed", metadata: ["error": .string("\(error)")])
                }
                nextTick = clock.now + configuration.schedulerInterval
            }
            do {
                if try await runOne() { continue }
            } catch is CancellationError {
                return
            } catch {
                logger.error("could not take a job", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: configuration.idlePoll)
        }
    }
}

public struct JobError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Turns schedules from the settings into queued jobs, once per slot across every process.
public struct Scheduler: Sendable {
    public struct Entry: Sendable {
        public var task: String
        public var cron: CronExpression
        public init(task: String, cron: CronExpression) {
            self.task = task
            self.cron = cron
        }
    }

    public let entries: [Entry]
    let storage: StorageContext
    let owner: String
    let maxAttempts: Int

    public init(storage: StorageContext, entries: [Entry], owner: String, maxAttempts: Int) {
        self.storage = storage
        self.entries = entries
        self.owner = owner
        self.maxAttempts = maxAttempts
    }

    /// The schedules the settings ask for (`JobKind.schedules`).
    public static func entries(settings: Settings) -> [Entry] {
        JobKind.schedules(settings).map { Entry(task: $0.task, cron: $0.cron) }
    }

    /// Fires each schedule whose latest slot at or before `now` has not been claimed yet.
    /// However many slots were missed, one run is queued.
    @discardableResult
    public func tick(now: Date = Date()) async throws -> [String: ScheduleSlots.Outcome] {
        var outcomes: [String: ScheduleSlots.Outcome] = [:]
        for entry in entries {
            guard let slot = entry.cron.previous(atOrBefore: now) else { continue }
            let maxAttempts = self.maxAttempts
            outcomes[entry.task] = try await ScheduleSlots(storage.database).claim(task: entry.task, slot: slot, owner: owner, now: now) { tx in
                switch entry.task {
                case JobKind.pipeline:
                    _ = try await JobKind.enqueuePipelines(on: tx, trigger: "scheduler", maxAttempts: maxAttempts)
                case JobKind.backup:
                    try await JobQueue(tx).enqueue(kind: JobKind.backup, payload: JobKind.BackupPayload(), trigger: "scheduler",
                                                   maxAttempts: maxAttempts, dedupeKey: "backup")
                default:
                    break
                }
            }
        }
        return outcomes
    }

    /// When each schedule fires next after `now`.
    public func upcoming(after now: Date = Date()) -> [(task: String, cron: String, next: Date?)] {
        entries.map { ($0.task, $0.cron.text, $0.cron.next(after: now)) }
    }
}
