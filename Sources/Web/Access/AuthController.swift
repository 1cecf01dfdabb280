import Foundation
import Storage
import Vapor

/// `/login` and `/logout`.
struct AuthController {
    let throttle: LoginThrottle

    func register(on routes: any RoutesBuilder) {
        routes.get("login") { try await self.form($0, error: nil, status: .ok) }
        routes.post("login") { try await self.login($0) }
        routes.post("logout") { try await self.logout($0) }
    }

    struct LoginPage: Encodable {
        var title = "Sign in"
        var nav = ""
        var csrf: String
        var next: String
        var error: String?
        var publicRead: Bool
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
        var _csrf: String?
    }

    /// Only a path on this site: no scheme, no host, no `//` or `\` tricks.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"), value.count <= 2000,
              !value.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/" }
        return value
    }

    func form(_ request: Request, error: String?, status: HTTPResponseStatus, next: String? = nil) async throws -> Response {
        let target = Self.safeNext(next ?? request.query[String.self, at: "next"])
        if request.session != nil && error == nil { return request.redirect(to: target, redirectType: .normal) }
        let csrf = AccountStore.randomToken()
        let page = LoginPage(csrf: csrf, next: target, error: error, publicRead: request.application.speakerdbSettings.publicRead)
        let response = try await request.view.render("login", page).encodeResponse(for: request)
        response.status = status
        response.cookies[Cookies.loginCSRF] = Cookies.make(csrf, request: request, maxAge: 3600, path: "/login", sameSite: .strict)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func login(_ request: Request) async throws -> Response {
        let input = try request.content.decode(LoginForm.self)
        guard let cookie = request.cookies[Cookies.loginCSRF]?.string, let sent = input._csrf, constantTimeEquals(cookie, sent) else {
            throw Abort(.forbidden, reason: "The sign-in form expired or did not come from this site. Reload it and try again.")
        }
        let next = Self.safeNext(input.next)
        guard try await throttle.allow(request.clientAddress, on: request.application.storageContext.database) else {
            request.logger.warning("sign-in rate limit", metadata: ["client": .string(request.clientAddress)])
            return try await form(request, error: "Too many sign-in attempts from your address. Wait a few minutes and try again.",
                                  status: .tooManyRequests, next: next)
        }
        let username = input.username ?? "", password = input.password ?? ""
        let store = try AccountStore(request.application.storageContext.database)
        let found = try await store.credentials(username: username)
        let hash = found?.passwordHash ?? PasswordHashing.decoy
        let matches = try await request.application.threadPool.runIfActive { PasswordHashing.verify(password, hash: hash) }
        let failure = "Wrong username or password. After \(AccountStore.lockoutThreshold) failures in a row, sign-ins to that account from your address are paused for \(Int(AccountStore.lockoutDuration / 60)) minutes."
        let client = request.clientAddress
        // What was typed as a username is logged only when it names an account (people
        // sometimes type their password there).
        let logged: Logger.MetadataValue = .string(found?.0.username ?? "(no such account)")
        // Locks are per (username, address) and apply whether or not the account exists,
        // so they neither lock the owner out from elsewhere nor reveal which accounts exist.
        if let locked = try await store.lockedUntil(username: username, client: client) {
            request.logger.notice("sign-in while locked out", metadata: ["user": logged, "client": .string(client)])
            return try await form(request, error: Self.lockedMessage(until: locked), status: .tooManyRequests, next: next)
        }
        guard let (account, _) = found, matches else {
            let lock = try await store.recordFailure(username: username, client: client)
            request.logger.notice("sign-in failed", metadata: ["user": logged, "client": .string(client)])
            if let lock { return try await form(request, error: Self.lockedMessage(until: lock), status: .tooManyRequests, next: next) }
            return try await form(request, error: failure, status: .unauthorized, next: next)
        }
        let hours = request.application.speakerdbSettings.sessionHours
        let (token, _) = try await store.startSession(userID: account.id, lifetime: hours * 3600)
        request.logger.notice("signed in", metadata: ["user": .string(account.username), "role": .string(account.role.rawValue)])
        let response = request.redirect(to: next, redirectType: .normal)
        response.cookies[Cookies.session] = Cookies.make(token, request: request, maxAge: Int(hours * 3600))
        response.cookies[Cookies.loginCSRF] = Cookies.expired(request: request, path: "/login")
        return response
    }

    static func lockedMessage(until: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm"
        return "This account is locked for sign-ins from your address after \(AccountStore.lockoutThreshold) wrong passwords in a row. "
            + "Try again after \(formatter.string(from: until)) UTC, or ask an admin to reset the password."
    }

    func logout(_ request: Request) async throws -> Response {
        if let token = request.cookies[Cookies.session]?.string {
            try await AccountStore(request.application.storageContext.database).endSession(token: token)
        }
        let response = request.redirect(to: "/", redirectType: .normal)
        response.cookies[Cookies.session] = Cookies.expired(request: request)
        return response
    }
}
