import FluentKit
import Foundation
import Identity
import SpeakerCore
import SQLKit
import Search
import Storage
import Vapor

/// The overview (pipeline, spend, queue, database health) and the runs page, with "run now" and "back up now".
extension AdminController {
    func dashboard(_ request: Request) async throws -> Page {
        let settings = request.application.speakerdbSettings
        let depth = try await JobQueue(db(request)).depth()
        let spend = try await StatsQueries(db(request)).spendSummary()
        var sections: [Section] = []
        sections.append(Section(title: "Run", note: "Queues the pipeline of every active source (it may spend money on LLM calls when a key is configured).",
                                form: Form(action: "/admin/run-now", submit: "Run now")))
        sections.append(Section(title: "Queue", columns: ["Queued", "Running", "Succeeded", "Failed"],
                                rows: [Row(cells: [.number(depth[.queued] ?? 0), .number(depth[.running] ?? 0),
                                                   .number(depth[.succeeded] ?? 0), Cell.link((depth[.failed] ?? 0).formatted(), "/admin/jobs?status=failed")])]))
        sections.append(Section(title: "Schedules (UTC)", columns: ["Task", "Cron", "Next"],
                                rows: JobKind.schedules(settings).map { Row(cells: [.text($0.task), .text($0.cron.text), .text(Self.iso($0.cron.next(after: Date())))]) },
                                empty: "No schedule: set SCHEDULE (and BACKUP_SCHEDULE), and run `speakerdb worker` or `serve --scheduler`."))
        let lastDay = try await StatsQueries(db(request)).spentMicros(since: Date().addingTimeInterval(-86_400))
        sections.append(Section(title: "Spend on language models", columns: ["Today", "This month", "All time", "Calls"],
                                rows: [Row(cells: [.text(Self.dollars(spend.today)), .text(Self.dollars(spend.month)), .text(Self.dollars(spend.total)), .number(spend.calls)])]))
        sections.append(Section(title: "Spending caps", columns: ["Cap", "Limit", "Used"], rows: [
            Row(cells: [.text("Per run or command (LLM_MAX_COST_USD)"), .text(settings.llmMaxCostMicros.map(Self.dollars) ?? "none"), .text("—")]),
            Row(cells: [.text("Any 24 hours, all paid calls (LLM_DAILY_MAX_COST_USD)"), .text(settings.llmDailyMaxCostMicros.map(Self.dollars) ?? "none"),
                        .text(Self.dollars(lastDay))]),
            Row(cells: [.text("Parts of one page sent to the LLM (LLM_MAX_PARTS_PER_PAGE)"), .text(String(settings.llmMaxPartsPerPage)), .text("—")]),
        ]))
        let pendingCorrections = try await CorrectionStore(db(request)).pendingCount()
        let enrichment = try await AttributeStore(db(request)).status()
        sections.append(Section(title: "Profiles", columns: ["Corrections waiting", "Speakers enriched", "Waiting for enrichment"],
                                rows: [Row(cells: [Cell.link(pendingCorrections.formatted(), "/admin/corrections"), .number(enrichment.enriched),
                                                   .number(enrichment.pending)])]))
        sections.append(try await health(request))
        sections.append(try await runsSection(request, limit: 10))
        return Page(title: "Admin", sections: sections)
    }

    /// Size, counts, write-ahead log and last backup.
    func health(_ request: Request) async throws -> Section {
        let settings = request.application.speakerdbSettings
        var rows: [Row] = []
        switch settings.database {
        case .sqlite(let path):
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            rows.append(Row(cells: [.text("Engine"), .text("SQLite (\(URL(fileURLWithPath: path).lastPathComponent))")]))
            rows.append(Row(cells: [.text("Database file"), .text("\(size / 1024) KiB")]))
            rows.append(Row(cells: [.text("Write-ahead log"), .text("\(wal / 1024) KiB")]))
            let last = SQLiteBackup.list(directory: settings.backupDirectory).first
            let when = last.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }
            rows.append(Row(cells: [.text("Last backup"), .text(last.map { "\(URL(fileURLWithPath: $0).lastPathComponent) (\(Self.iso(when)))" } ?? "none yet")]))
        case .postgres:
            let bytes = try await db(request).sqlDatabase().raw("SELECT pg_database_size(current_database()) AS n").first()?.decode(column: "n", as: Int.self) ?? 0
            rows.append(Row(cells: [.text("Engine"), .text("PostgreSQL")]))
            rows.append(Row(cells: [.text("Database size"), .text("\(bytes / 1024) KiB")]))
            rows.append(Row(cells: [.text("Backups"), .text("pg_dump (docs/OPERATIONS.md)")]))
        }
        let counts = try await StatsQueries(db(request)).counts()
        for (label, value) in [("Speakers", counts.speakers), ("Events", counts.events), ("Appearances", counts.appearances), ("Sources", counts.sources)] {
            rows.append(Row(cells: [.text(label), .number(value)]))
        }
        return Section(title: "Database", columns: ["", ""], rows: rows,
                       form: Form(action: "/admin/backup-now", submit: "Back up now"))
    }

    func runsSection(_ request: Request, limit: Int) async throws -> Section {
        let runs = try await PipelineRun.query(on: db(request)).sort(\.$id, .descending).limit(limit).all()
        let costs = try await StatsQueries(db(request)).spentMicros(runIDs: runs.compactMap(\.id))
        return Section(title: "Recent runs", columns: ["Run", "Kind", "Trigger", "Status", "Started (UTC)", "Seconds", "Spent", "Error"],
                       rows: runs.map { run in
                           let seconds = run.finishedAt.map { String(format: "%.1f", $0.timeIntervalSince(run.startedAt)) } ?? "–"
                           return Row(cells: [.number(run.id ?? 0), .text(run.kind), .text(run.trigger), .text(run.status), .text(Self.iso(run.startedAt)),
                                              .text(seconds), .text(Self.dollars(costs[run.id ?? 0] ?? 0)), .text(String((run.error ?? "").prefix(200)))])
                       }, empty: "No run yet.")
    }

    func runs(_ request: Request) async throws -> Page {
        let spend = try await StatsQueries(db(request)).spendSummary()
        return Page(title: "Runs and costs", sections: [
            try await runsSection(request, limit: 50),
            Section(title: "Spend per day (last 30 days)", columns: ["Day (UTC)", "Calls", "Spent"],
                    rows: spend.days.map { Row(cells: [.text($0.key), .number($0.calls), .text(Self.dollars($0.micros))]) }, empty: "No LLM call recorded."),
            Section(title: "Spend per month", columns: ["Month (UTC)", "Calls", "Spent"],
                    rows: spend.months.map { Row(cells: [.text($0.key), .number($0.calls), .text(Self.dollars($0.micros))]) }, empty: "No LLM call recorded."),
        ])
    }

    func runNow(_ request: Request) async throws -> Response {
        let ids = try await JobKind.enqueuePipelines(on: db(request), trigger: "admin", maxAttempts: request.application.speakerdbSettings.jobMaxAttempts)
        request.logger.notice("run now", metadata: ["by": .string(actor(request)), "jobs": .stringConvertible(ids.count)])
        return back(request, "/admin/jobs", notice: ids.isEmpty ? "nothing-queued" : "queued")
    }

    func backupNow(_ request: Request) async throws -> Response {
        let id = try await JobQueue(db(request)).enqueue(kind: JobKind.backup, payload: JobKind.BackupPayload(), trigger: "admin",
                                                         maxAttempts: request.application.speakerdbSettings.jobMaxAttempts, dedupeKey: "backup")
        return back(request, "/admin/jobs", notice: id == nil ? "nothing-queued" : "queued")
    }
}
