import FluentKit
import Foundation
import Identity
import SpeakerCore
import SQLKit
import Search
import Storage
import Vapor

/// Sources and the job queue: add, pause, resume and run a source; retry a failed job.
extension AdminController {
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
}
