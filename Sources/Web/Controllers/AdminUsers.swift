import FluentKit
import Foundation
import Identity
import SpeakerCore
import SQLKit
import Search
import Storage
import Vapor

/// Accounts: list, add and remove users.
extension AdminController {
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
