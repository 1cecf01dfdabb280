import FluentKit
import Foundation
import Identity
import SpeakerCore
import SQLKit
import Search
import Storage
import Vapor

/// `/admin`: what the pipeline did and what it cost, the queue, sources, the identity
/// review queue and accounts. Every page is one generic template of sections (tables with
/// per-row actions and an optional form); every action is a POST with the CSRF token that
/// answers with a redirect, so reloading never repeats it. "Run now" only queues jobs:
/// a worker (or `serve --scheduler`) does the work.
struct AdminController {
    func register(on routes: any RoutesBuilder) {
        let admin = routes.grouped("admin")
        admin.get { try await self.render($0, self.dashboard($0)) }
        admin.get("sources") { try await self.render($0, self.sources($0)) }
        admin.get("jobs") { try await self.render($0, self.jobs($0)) }
        admin.get("runs") { try await self.render($0, self.runs($0)) }
        admin.get("review") { try await self.render($0, self.review($0)) }
        admin.get("corrections") { try await self.render($0, self.corrections($0)) }
        admin.get("users") { try await self.render($0, self.users($0)) }

        admin.post("run-now") { try await self.runNow($0) }
        admin.post("backup-now") { try await self.backupNow($0) }
        admin.post("sources") { try await self.addSource($0) }
        admin.post("sources", ":id", "pause") { try await self.setPaused($0, true) }
        admin.post("sources", ":id", "resume") { try await self.setPaused($0, false) }
        admin.post("sources", ":id", "run") { try await self.runSource($0) }
        admin.post("jobs", ":id", "retry") { try await self.retry($0) }
        admin.get("review", ":id", "compare") { try await self.reviewPair($0) }
        admin.post("review", ":id", "accept") { try await self.decide($0, accept: true) }
        admin.post("review", ":id", "reject") { try await self.decide($0, accept: false) }
        admin.post("corrections", ":id", "approve") { try await self.review(correction: $0, approve: true) }
        admin.post("corrections", ":id", "reject") { try await self.review(correction: $0, approve: false) }
        admin.post("users") { try await self.addUser($0) }
        admin.post("users", ":id", "remove") { try await self.removeUser($0) }
    }

    // MARK: page model

    struct Cell: Encodable {
        var text: String
        var href: String?
        /// A POST button to this URL.
        var action: String?
        var numeric = false
        /// The button removes, stops or merges something: drawn as a warning, and asks first.
        var destructive = false

        static func text(_ text: String) -> Cell { Cell(text: text) }
        static func number(_ value: Int) -> Cell { Cell(text: value.formatted(), numeric: true) }
        static func link(_ text: String, _ href: String) -> Cell { Cell(text: text, href: href) }
        static func button(_ text: String, _ action: String) -> Cell { Cell(text: text, action: action) }
        static func destructive(_ text: String, _ action: String) -> Cell { Cell(text: text, action: action, destructive: true) }
    }

    struct Row: Encodable { var cells: [Cell] }

    struct Field: Encodable {
        var name: String
        var label: String
        var type = "text"
        var required = false
        var options: [String]?
    }

    struct Form: Encodable {
        var action: String
        var submit: String
        var fields: [Field] = []
    }

    struct Section: Encodable {
        var title: String
        var note: String?
        var columns: [String] = []
        var rows: [Row] = []
        var empty = "Nothing here."
        var form: Form?
    }

    struct Link: Encodable {
        var label: String
        var href: String
        var active: Bool
    }

    struct Page: Encodable {
        var title: String
        var nav = "admin"
        var adminNav: [Link] = []
        var notice: String?
        var csrf = ""
        var sections: [Section]
    }

    static let pages: [(String, String, AccessRole)] = [
        ("Overview", "/admin", .admin), ("Sources", "/admin/sources", .admin), ("Jobs", "/admin/jobs", .admin),
        ("Runs and costs", "/admin/runs", .admin), ("Review", "/admin/review", .editor),
        ("Corrections", "/admin/corrections", .editor), ("Users", "/admin/users", .admin),
    ]

    /// Fixed messages for `?notice=`: a link can only pick one, never supply text.
    static let notices = [
        "queued": "Queued. A worker will run it; follow it under Jobs.", "nothing-queued": "Nothing was queued: it is already queued or running, or no source is active.",
        "source-added": "Source added.", "paused": "Source paused.", "resumed": "Source resumed.", "retried": "Job queued again.",
        "accepted": "Merged.", "rejected": "Kept apart for good.", "user-added": "User added.", "user-removed": "User removed.",
        "correction-approved": "Correction approved: the new value is shown and wins over extracted values.", "correction-rejected": "Correction rejected.",
    ]

    /// The admin sub-menu for a role, with the current page marked.
    static func adminNav(role: AccessRole, current: String) -> [Link] {
        pages.filter { role >= $0.2 }.map { Link(label: $0.0, href: $0.1, active: $0.1 == current) }
    }

    func render(_ request: Request, _ page: Page) async throws -> Response {
        var page = page
        let role = request.session?.account.role ?? .viewer
        page.adminNav = Self.adminNav(role: role, current: request.url.path)
        page.csrf = request.session?.csrfToken ?? ""
        page.notice = request.query[String.self, at: "notice"].flatMap { Self.notices[$0] }
        let response = try await request.view.render("admin", page).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func iso(_ date: Date?) -> String {
        guard let date else { return "–" }
        return ISO8601DateFormatter().string(from: date)
    }

    static func dollars(_ micros: Int) -> String { String(format: "$%.4f", Double(micros) / 1_000_000) }

    func db(_ request: Request) -> any Database { request.application.storageContext.database }

    // MARK: pages

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

    func sources(_ request: Request) async throws -> Page {
        let sources = try await Source.query(on: db(request)).sort(\.$id).all()
        let rows = sources.map { source -> Row in
            let id = source.id ?? 0
            return Row(cells: [.number(id), .text(source.name ?? "–"), .text(source.url), .text(source.fetcher),
                               .text(source.paused ? "paused" : "active"),
                               source.paused ? .button("Resume", "/admin/sources/\(id)/resume") : .destructive("Pause", "/admin/sources/\(id)/pause"),
                               .button("Run now", "/admin/sources/\(id)/run")])
        }
        return Page(title: "Sources", sections: [
            Section(title: "Sources", columns: ["Id", "Name", "Listing URL", "Fetcher", "State", "", ""], rows: rows, empty: "No source yet."),
            Section(title: "Add a source", note: "The listing page of an organisation's events. The event URL pattern (a regular expression on URL paths) is optional.",
                    form: Form(action: "/admin/sources", submit: "Add source", fields: [
                        Field(name: "url", label: "Listing URL", type: "url", required: true),
                        Field(name: "name", label: "Name"),
                        Field(name: "event_url_pattern", label: "Event URL pattern"),
                        Field(name: "fetcher", label: "Fetcher", options: FetcherChoice.allCases.map(\.rawValue)),
                    ])),
        ])
    }

    func jobs(_ request: Request) async throws -> Page {
        let status = request.query[String.self, at: "status"].flatMap(Job.Status.init(rawValue:))
        let jobs = try await JobQueue(db(request)).list(status: status, limit: 100)
        let rows = jobs.map { job in
            Row(cells: [.number(job.id), .text(job.kind), .text(job.status.rawValue), .text(job.trigger), .text("\(job.attempts)/\(job.maxAttempts)"),
                        .text(Self.iso(job.created)), .text(Self.iso(job.finished)), job.runID.map { .text("run \($0)") } ?? .text("–"),
                        .text(String((job.lastError ?? "").prefix(200))),
                        job.status == .failed ? .button("Retry", "/admin/jobs/\(job.id)/retry") : .text("")])
        }
        return Page(title: status.map { "Jobs: \($0.rawValue)" } ?? "Jobs", sections: [
            Section(title: "Jobs", note: "Newest first. Failed jobs ran out of attempts; retry queues them again with fresh attempts.",
                    columns: ["Job", "Kind", "Status", "Trigger", "Tries", "Queued (UTC)", "Finished (UTC)", "Run", "Last error", ""],
                    rows: rows, empty: "No job."),
        ])
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

    func review(_ request: Request) async throws -> Page {
        let pending = try await IdentityCandidate.query(on: db(request)).filter(\.$status == IdentityCandidate.Status.pending.rawValue)
            .with(\.$speakerA).with(\.$speakerB).sort(\.$probability, .descending).limit(100).all()
        let rows = pending.map { candidate -> Row in
            let id = candidate.id ?? 0
            return Row(cells: [.link("\(id): compare", "/admin/review/\(id)/compare"), .link(candidate.speakerA.name, "/speakers/\(candidate.$speakerA.id)"),
                               .link(candidate.speakerB.name, "/speakers/\(candidate.$speakerB.id)"),
                               .text(String(format: "%.2f", candidate.probability)), .text(candidate.reasonList.joined(separator: "; ")),
                               .destructive("Same person: merge", "/admin/review/\(id)/accept"), .button("Different people", "/admin/review/\(id)/reject")])
        }
        return Page(title: "Identity review", sections: [
            Section(title: "Pairs the resolver was unsure about", note: "A merge can be undone with `speakerdb speakers split`.",
                    columns: ["Pair", "Speaker", "Speaker", "Probability", "Evidence", "", ""], rows: rows, empty: "No pair waits for review."),
        ])
    }

    func corrections(_ request: Request) async throws -> Page {
        let store = try CorrectionStore(db(request))
        let pending = try await store.list(status: .pending, limit: 200)
        let rows = pending.map { c in
            Row(cells: [.number(c.id), .link(c.speakerName ?? "speaker \(c.speakerID)", "/speakers/\(c.speakerID)"), .text(c.field.rawValue),
                        .text(c.previous ?? ""), .text(c.value), .text(c.note ?? ""), .text(c.suggestedBy ?? ""), .text(Self.iso(c.createdAt)),
                        .button("Approve", "/admin/corrections/\(c.id)/approve"), .button("Reject", "/admin/corrections/\(c.id)/reject")])
        }
        return Page(title: "Corrections", sections: [
            Section(title: "Suggested corrections", note: "Approved values are stored with provenance user and win over every extracted or enriched value.",
                    columns: ["#", "Speaker", "Field", "Now", "Suggested", "Why", "By", "When (UTC)", "", ""], rows: rows, empty: "No correction waits for review."),
        ])
    }

    func review(correction request: Request, approve: Bool) async throws -> Response {
        let correctionID = try id(request)
        let reviewer = request.session?.account.id
        do {
            if approve {
                try await Corrections.approve(on: db(request), id: correctionID, reviewerID: reviewer)
            } else {
                try await Corrections.reject(on: db(request), id: correctionID, reviewerID: reviewer)
            }
        } catch let error as CorrectionError {
            if case .notFound = error { throw Abort(.notFound, reason: error.description) }
            throw Abort(.conflict, reason: "The correction was not applied: \(error.description).")
        }
        request.logger.notice(approve ? "correction approved" : "correction rejected",
                              metadata: ["correction": .stringConvertible(correctionID), "by": .string(actor(request))])
        return back(request, "/admin/corrections", notice: approve ? "correction-approved" : "correction-rejected")
    }

    func users(_ request: Request) async throws -> Page {
        let accounts = try await AccountStore(db(request)).list()
        let rows = accounts.map { account in
            Row(cells: [.text(account.username), .text(account.role.rawValue), .text(Self.iso(account.lastLogin)),
                        .text(account.lockedUntil.map { $0 > Date() ? "locked until \(Self.iso($0))" : "" } ?? ""),
                        account.id == request.session?.account.id ? .text("(you)") : .destructive("Remove", "/admin/users/\(account.id)/remove")])
        }
        return Page(title: "Users", sections: [
            Section(title: "Users", note: "Viewers read; editors also decide review pairs; admins also manage sources, runs, jobs and users.",
                    columns: ["Username", "Role", "Last sign-in (UTC)", "", ""], rows: rows),
            Section(title: "Add a user", note: "Passwords need at least 10 characters. Change a password with `speakerdb users set-password`.",
                    form: Form(action: "/admin/users", submit: "Add user", fields: [
                        Field(name: "username", label: "Username", required: true),
                        Field(name: "password", label: "Password", type: "password", required: true),
                        Field(name: "role", label: "Role", options: AccessRole.allCases.map(\.rawValue)),
                    ])),
        ])
    }

    // MARK: actions

    func back(_ request: Request, _ path: String, notice: String) -> Response {
        request.redirect(to: "\(path)?notice=\(notice)", redirectType: .normal)
    }

    func id(_ request: Request) throws -> Int {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound, reason: "No such item.") }
        return id
    }

    func actor(_ request: Request) -> String { request.session?.account.username ?? "unknown" }

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

    func runSource(_ request: Request) async throws -> Response {
        let sourceID = try id(request)
        guard try await Source.find(sourceID, on: db(request)) != nil else { throw Abort(.notFound, reason: "There is no source \(sourceID).") }
        let id = try await JobQueue(db(request)).enqueue(kind: JobKind.pipeline, payload: JobKind.PipelinePayload(sourceID: sourceID), trigger: "admin",
                                                         maxAttempts: request.application.speakerdbSettings.jobMaxAttempts, dedupeKey: "pipeline:source:\(sourceID)")
        return back(request, "/admin/jobs", notice: id == nil ? "nothing-queued" : "queued")
    }

    struct SourceForm: Content {
        var url: String?
        var name: String?
        var event_url_pattern: String?
        var fetcher: String?
    }

    func addSource(_ request: Request) async throws -> Response {
        let form = try request.content.decode(SourceForm.self)
        func blank(_ value: String?) -> String? { value.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 } }
        guard let url = blank(form.url) else { throw Abort(.badRequest, reason: "A listing URL is needed.") }
        guard let fetcher = FetcherChoice(rawValue: blank(form.fetcher) ?? "auto") else { throw Abort(.badRequest, reason: "The fetcher is http, browser or auto.") }
        let spec: SourceSpec
        do {
            spec = try SourceSpec(url: url, name: blank(form.name), eventURLPattern: blank(form.event_url_pattern), fetcher: fetcher).validated()
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
        try await SourceRepository(db(request)).upsert(spec)
        request.logger.notice("source added", metadata: ["by": .string(actor(request)), "url": .string(spec.url)])
        return back(request, "/admin/sources", notice: "source-added")
    }

    func setPaused(_ request: Request, _ paused: Bool) async throws -> Response {
        let sourceID = try id(request)
        try await db(request).writeTransaction { tx in
            guard let source = try await Source.find(sourceID, on: tx) else { throw Abort(.notFound, reason: "There is no source \(sourceID).") }
            source.paused = paused
            try await source.save(on: tx)
        }
        return back(request, "/admin/sources", notice: paused ? "paused" : "resumed")
    }

    func retry(_ request: Request) async throws -> Response {
        let jobID = try id(request)
        let retried = try await JobQueue(db(request)).retry(ids: [jobID])
        guard !retried.isEmpty else { throw Abort(.conflict, reason: "Job \(jobID) has not failed, so there is nothing to retry.") }
        return back(request, "/admin/jobs", notice: "retried")
    }

    func decide(_ request: Request, accept: Bool) async throws -> Response {
        let pairID = try id(request)
        let resolver = SpeakerResolver(storage: request.application.storageContext, logger: request.logger)
        do {
            if accept { _ = try await resolver.accept(candidateID: pairID) } else { try await resolver.reject(candidateID: pairID) }
        } catch let error as MergeError {
            throw Abort(.conflict, reason: "\(error)")
        }
        request.logger.notice("review decision", metadata: ["by": .string(actor(request)), "pair": .stringConvertible(pairID), "accepted": .stringConvertible(accept)])
        return back(request, "/admin/review", notice: accept ? "accepted" : "rejected")
    }

    struct UserForm: Content {
        var username: String?
        var password: String?
        var role: String?
    }

    func addUser(_ request: Request) async throws -> Response {
        let form = try request.content.decode(UserForm.self)
        guard let role = AccessRole(rawValue: form.role ?? "viewer") else { throw Abort(.badRequest, reason: "The role is viewer, editor or admin.") }
        let password = form.password ?? ""
        let hash: String
        do {
            try PasswordHashing.validate(password)
            hash = try await request.application.threadPool.runIfActive { try PasswordHashing.hash(password) }
            try await AccountStore(db(request)).add(username: form.username ?? "", passwordHash: hash, role: role)
        } catch let error as AccountPasswordError {
            throw Abort(.badRequest, reason: error.description)
        } catch let error as AccountError {
            throw Abort(.badRequest, reason: error.description)
        }
        request.logger.notice("user added", metadata: ["by": .string(actor(request)), "role": .string(role.rawValue)])
        return back(request, "/admin/users", notice: "user-added")
    }

    func removeUser(_ request: Request) async throws -> Response {
        let userID = try id(request)
        let store = try AccountStore(db(request))
        guard let account = try await store.find(id: userID) else { throw Abort(.notFound, reason: "There is no user \(userID).") }
        guard account.id != request.session?.account.id else { throw Abort(.badRequest, reason: "You cannot remove yourself.") }
        do {
            try await store.remove(username: account.username)
        } catch let error as AccountError {
            throw Abort(.badRequest, reason: error.description)
        }
        return back(request, "/admin/users", notice: "user-removed")
    }
}
