import ArgumentParser
import AsyncHTTPClient
import Crawling
import Dispatch
import Foundation
import Logging
import Pipeline
import SpeakerCore
import Storage
import Web

/// `speakerdb worker`: runs queued jobs and fires the schedules.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued jobs (pipelines, backups) and fire SCHEDULE and BACKUP_SCHEDULE.",
        discussion: """
            Runs until SIGTERM or Ctrl-C; a job in progress is handed back to the queue. Any \
            number of workers (and `serve --scheduler` processes) may share one database: each \
            job is taken by one of them, each schedule slot fires once, and a job whose worker \
            died is taken over when its lease (JOB_LEASE_SECONDS) expires.
            """)

    @ArgumentParser.Flag(help: "Run until no job is queued or running, then exit (for cron and tests).") var drain = false
    @ArgumentParser.Flag(help: "Only run jobs; leave the schedules to another process.") var noScheduler = false

    func run() async throws {
        let trap = SignalTrap()
        try await CommandSupport.withStorage { context, settings in
            try await PipelineRunner.syncSourcesFile(settings: settings, storage: context)
            let worker = WorkerSupport.makeWorker(context: context, settings: settings, scheduler: !noScheduler)
            let logger = Logger(label: "speakerdb.worker")
            logger.notice("worker started", metadata: ["owner": .string(worker.configuration.owner),
                                                       "schedules": .string(worker.scheduleSummary)])
            if drain {
                do {
                    try await WorkerSupport.untilSignalled(trap) { try await worker.drain() }
                } catch is CancellationError {
                    // Stopped by SIGTERM or Ctrl-C: the job in progress was handed back.
                } catch {
                    await worker.shutdown()
                    throw error
                }
            } else {
                try? await WorkerSupport.untilSignalled(trap) { await worker.run() }
            }
            await worker.shutdown()
            logger.notice("worker stopped")
        }
    }
}

enum WorkerSupport {
    static func makeWorker(context: StorageContext, settings: Settings, scheduler: Bool) -> JobWorker {
        var configuration = JobWorker.Configuration()
        configuration.lease = .seconds(settings.jobLeaseSeconds)
        configuration.idlePoll = .seconds(max(1, min(5, settings.jobLeaseSeconds / 3)))
        let schedule = scheduler
            ? Scheduler(storage: context, entries: Scheduler.entries(settings: settings), owner: configuration.owner, maxAttempts: settings.jobMaxAttempts)
            : nil
        return JobWorker(storage: context, settings: settings, scheduler: schedule, configuration: configuration,
                         logger: Logger(label: "speakerdb.worker"))
    }

    /// Runs `body` until it ends or SIGTERM/SIGINT arrives, which cancels it. `trap` must
    /// have been made when the command started, so a signal during start-up (opening the
    /// database, migrations) is not lost: it cancels the work as soon as it begins.
    static func untilSignalled(_ trap: SignalTrap, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await body() }
        trap.onSignal { task.cancel() }
        try await task.value
    }
}

/// SIGTERM and SIGINT, caught from the first moment of a long-running command. A signal
/// before any handler is set is remembered, and the handler set later runs at once.
final class SignalTrap: @unchecked Sendable {
    private let lock = NSLock()
    private var signalled = false
    private var handler: (@Sendable () -> Void)?
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    private func fire() {
        lock.lock()
        signalled = true
        let handler = self.handler
        lock.unlock()
        handler?()
    }

    func onSignal(_ handler: @escaping @Sendable () -> Void) {
        lock.lock()
        self.handler = handler
        let already = signalled
        lock.unlock()
        if already { handler() }
    }
}

extension JobWorker {
    var scheduleSummary: String {
        let entries = scheduler?.entries ?? []
        return entries.isEmpty ? "none" : entries.map { "\($0.task) \"\($0.cron.text)\" UTC" }.joined(separator: ", ")
    }
}

/// `speakerdb jobs`: the durable job queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "The job queue: list jobs, queue a pipeline or backup, retry failed jobs, show the schedules.",
        subcommands: [List.self, Show.self, Enqueue.self, Retry.self, Schedule.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first, with the queue depth.")
        @ArgumentParser.Option(help: "Only jobs in this status: queued, running, succeeded or failed.") var status: String?
        @ArgumentParser.Option(help: "How many to show.") var limit = 30
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let wanted: Job.Status?
            if let status {
                guard let parsed = Job.Status(rawValue: status) else { throw ValidationError("--status must be queued, running, succeeded or failed") }
                wanted = parsed
            } else {
                wanted = nil
            }
            try await CommandSupport.withStorage { context, _ in
                let queue = try JobQueue(context.database)
                let jobs = try await queue.list(status: wanted, limit: limit)
                if json { return try CommandSupport.printJSON(jobs) }
                let depth = try await queue.depth()
                print(Job.Status.allCases.map { "\($0.rawValue): \(depth[$0] ?? 0)" }.joined(separator: "  "))
                let format = ISO8601DateFormatter()
                print(CommandSupport.table(["JOB", "KIND", "STATUS", "TRIGGER", "TRIES", "CREATED (UTC)", "RUN", "LAST ERROR"], jobs.map { job in
                    [String(job.id), job.kind, job.status.rawValue, job.trigger, "\(job.attempts)/\(job.maxAttempts)",
                     format.string(from: job.created), job.runID.map(String.init) ?? "-", String((job.lastError ?? "").prefix(60))]
                }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job (JSON).")
        @ArgumentParser.Argument(help: "Job id.") var id: Int

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                guard let job = try await JobQueue(context.database).job(id: id) else { CommandSupport.fail("there is no job \(id)") }
                try CommandSupport.printJSON(job)
            }
        }
    }

    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue work for the workers and return at once: the pipeline of a source (or of every unpaused source), or a backup.")
        @ArgumentParser.Argument(help: "pipeline or backup.") var kind: String
        @ArgumentParser.Option(help: "The source's id or listing URL (pipeline only; default: every unpaused source).") var source: String?
        @ArgumentParser.Option(help: "Most event pages to fetch (pipeline only).") var limit: Int?
        @ArgumentParser.Flag(help: "No politeness delay for loopback hosts (tests and the demo).") var noDelay = false

        func run() async throws {
            guard JobKind.all.contains(kind) else { throw ValidationError("the kind must be pipeline or backup") }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
            try await CommandSupport.withStorage { context, settings in
                let queue = try JobQueue(context.database)
                var ids: [Int] = []
                if kind == JobKind.backup {
                    if let id = try await queue.enqueue(kind: JobKind.backup, payload: JobKind.BackupPayload(), trigger: "cli",
                                                        maxAttempts: settings.jobMaxAttempts, dedupeKey: "backup") { ids.append(id) }
                } else {
                    let payload = JobKind.PipelinePayload(limit: limit, noDelay: noDelay ? true : nil)
                    if let source {
                        guard let found = try await SourceRepository(context.database).find(source), let sourceID = found.id else {
                            CommandSupport.fail("there is no source \(source) (add it with speakerdb sources add)")
                        }
                        var item = payload
                        item.sourceID = sourceID
                        if let id = try await queue.enqueue(kind: JobKind.pipeline, payload: item, trigger: "cli",
                                                            maxAttempts: settings.jobMaxAttempts, dedupeKey: "pipeline:source:\(sourceID)") {
                            ids.append(id)
                        }
                    } else {
                        ids = try await JobKind.enqueuePipelines(on: context.database, trigger: "cli", maxAttempts: settings.jobMaxAttempts, payload: payload)
                    }
                }
                print(ids.isEmpty ? "nothing queued (already queued or running, or no unpaused source)"
                                  : "queued job\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", ")); a worker will run \(ids.count == 1 ? "it" : "them")")
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue failed jobs again with fresh attempts.")
        @ArgumentParser.Argument(help: "Job ids (none: every failed job).") var ids: [Int] = []

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let retried = try await JobQueue(context.database).retry(ids: ids.isEmpty ? nil : ids)
                print(retried.isEmpty ? "no failed job to retry" : "queued again: \(retried.map(String.init).joined(separator: ", "))")
            }
        }
    }

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The schedules (UTC), when each fires next, and the latest slots claimed.")

        func run() async throws {
            try await CommandSupport.withStorage { context, settings in
                let scheduler = Scheduler(storage: context, entries: Scheduler.entries(settings: settings), owner: "cli", maxAttempts: settings.jobMaxAttempts)
                let format = ISO8601DateFormatter()
                if scheduler.entries.isEmpty { print("no schedule: set SCHEDULE (and BACKUP_SCHEDULE) to a cron expression in UTC") }
                for entry in scheduler.upcoming() {
                    print("\(entry.task): \"\(entry.cron)\" UTC, next \(entry.next.map { format.string(from: $0) } ?? "never")")
                }
                let slots = try await ScheduleSlots(context.database).recent(limit: 10)
                if !slots.isEmpty {
                    print(CommandSupport.table(["TASK", "SLOT (UTC)", "FIRED", "BY"], slots.map {
                        [$0.task, format.string(from: $0.slot), $0.fired ? "yes" : "baseline", $0.owner]
                    }))
                }
            }
        }
    }
}

/// `speakerdb backup`: a consistent snapshot of the live SQLite database.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent snapshot of the SQLite database (safe while the app runs) and delete old ones.",
        discussion: "PostgreSQL: use pg_dump (docs/OPERATIONS.md).")

    @ArgumentParser.Option(help: "Folder for the backup (default BACKUP_DIR, or DATA_DIR/backups).") var to: String?
    @ArgumentParser.Option(help: "How many backups to keep in that folder (default BACKUP_KEEP).") var keep: Int?

    func run() async throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        try await CommandSupport.withStorage { context, settings in
            let result = try await SQLiteBackup.backup(context, to: to ?? settings.backupDirectory, keep: keep ?? settings.backupKeep)
            print("backup written: \(result.path) (\(result.bytes / 1024) KiB)")
            for old in result.deleted { print("deleted old backup: \(old)") }
        }
    }
}

/// `speakerdb restore`: puts a checked backup in place of the SQLite database.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup, after checking the backup.",
        discussion: """
            Stop the web app and workers first. The current database is kept beside the \
            restored one as speakers.before-restore-<time>.db. Migrations newer than the \
            backup are applied afterwards.
            """)

    @ArgumentParser.Argument(help: "The backup file.") var file: String

    func run() async throws {
        let settings: Settings
        do { settings = try CommandSupport.settings() } catch { CommandSupport.fail("\(error)") }
        guard case .sqlite(let path) = settings.database else {
            CommandSupport.fail("restore replaces a SQLite database; restore PostgreSQL with pg_restore or psql (docs/OPERATIONS.md)")
        }
        let outcome: (SQLiteBackup.Summary, kept: String?)
        do {
            outcome = try await SQLiteBackup.restore(from: file, to: path)
        } catch {
            CommandSupport.fail("not restored: \(error)")
        }
        print("restored \(file): \(outcome.0.speakers) speakers, \(outcome.0.events) events")
        if let kept = outcome.kept { print("the previous database is kept as \(kept)") }
        // Bring the restored database up to this version's schema.
        try await CommandSupport.withStorage { _, _ in }
    }
}

/// `speakerdb snapshot`: SQLite snapshots on S3-compatible storage (S3_* settings).
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "SQLite snapshots on S3-compatible storage: push one now, pull the newest, list them.",
        discussion: "Needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (docs/CONFIGURATION.md). `serve` also restores at start and uploads on its own.",
        subcommands: [Push.self, Pull.self, List.self])

    static func withService(_ body: @escaping (SnapshotService, Settings) async throws -> Void) async throws {
        let settings: Settings
        do { settings = try CommandSupport.settings() } catch { CommandSupport.fail("\(error)") }
        AppLogging.bootstrapOnce(settings: settings)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        guard let service = SnapshotService(settings: settings, http: http, logger: Logger(label: "speakerdb.snapshot")) else {
            try? await http.shutdown()
            CommandSupport.fail("snapshots need S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY")
        }
        do {
            try await body(service, settings)
            try? await http.shutdown()
        } catch let exit as ExitCode {
            try? await http.shutdown()
            throw exit
        } catch {
            try? await http.shutdown()
            CommandSupport.fail("\(error)", secrets: settings.secretValues)
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload a consistent snapshot of the SQLite database now.")
        func run() async throws {
            try await SnapshotCommand.withService { service, _ in
                try await CommandSupport.withStorage { context, _ in
                    print("uploaded \(try await service.push(context))")
                }
            }
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the SQLite database with the newest snapshot (stop the app first).",
            discussion: "The current database is kept beside it as speakers.before-restore-<time>.db.")
        func run() async throws {
            try await SnapshotCommand.withService { service, settings in
                guard case .sqlite(let path) = settings.database else { CommandSupport.fail("snapshots are for SQLite databases") }
                guard let pulled = try await service.pull(to: path) else { CommandSupport.fail("the bucket holds no snapshot") }
                print("restored \(pulled.key): \(pulled.summary.speakers) speakers, \(pulled.summary.events) events")
                if let kept = pulled.kept { print("the previous database is kept as \(kept)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the snapshots in the bucket, oldest first.")
        func run() async throws {
            try await SnapshotCommand.withService { service, _ in
                for object in try await service.list() { print("\(object.key)\t\(object.size / 1024) KiB") }
            }
        }
    }
}
