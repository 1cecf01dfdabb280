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
        // Each page, and its JSON twin at the same path with ".json" (or with Accept:
        // application/json): the same sections as data.
        let pages: [(path: [String], build: @Sendable (AdminController, Request) async throws -> Page)] = [
            (["admin"], { try await $0.dashboard($1) }), (["admin", "sources"], { try await $0.sources($1) }),
            (["admin", "jobs"], { try await $0.jobs($1) }), (["admin", "runs"], { try await $0.runs($1) }),
            (["admin", "review"], { try await $0.review($1) }), (["admin", "corrections"], { try await $0.corrections($1) }),
            (["admin", "users"], { try await $0.users($1) }),
        ]
        for page in pages {
            routes.get(page.path.map { PathComponent(stringLiteral: $0) }) { request in
                let built = try await page.build(self, request)
                return ResponseFormat.negotiate(request) == .json ? try await self.renderJSON(request, built) : try await self.render(request, built)
            }
            let twin = page.path.dropLast() + [page.path.last! + ".json"]
            routes.get(twin.map { PathComponent(stringLiteral: $0) }) { try await self.renderJSON($0, page.build(self, $0)) }
        }

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

    /// An admin page as JSON: its title and sections (no session token, no navigation).
    struct PageJSON: Encodable {
        var title: String
        var sections: [Section]
    }

    func renderJSON(_ request: Request, _ page: Page) async throws -> Response {
        // The app's JSON encoder, as every other JSON answer uses (sorted keys, unescaped "/").
        let response = Response(status: .ok)
        try response.content.encode(PageJSON(title: page.title, sections: page.sections), as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: .vary, value: "Accept")
        return response
    }

    func render(_ request: Request, _ page: Page) async throws -> Response {
        var page = page
        let role = request.session?.account.role ?? .viewer
        page.adminNav = Self.adminNav(role: role, current: request.url.path)
        page.csrf = request.session?.csrfToken ?? ""
        page.notice = request.query[String.self, at: "notice"].flatMap { Self.notices[$0] }
        let response = try await request.view.render("admin", page).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: .vary, value: "Accept")
        return response
    }

    static func iso(_ date: Date?) -> String {
        guard let date else { return "–" }
        return ISO8601DateFormatter().string(from: date)
    }

    static func dollars(_ micros: Int) -> String { String(format: "$%.4f", Double(micros) / 1_000_000) }

    func db(_ request: Request) -> any Database { request.application.storageContext.database }

    func back(_ request: Request, _ path: String, notice: String) -> Response {
        request.redirect(to: "\(path)?notice=\(notice)", redirectType: .normal)
    }

    func id(_ request: Request) throws -> Int {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound, reason: "No such item.") }
        return id
    }

    func actor(_ request: Request) -> String { request.session?.account.username ?? "unknown" }
}
