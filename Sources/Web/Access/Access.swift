import FluentKit
import Foundation
import SpeakerCore
import Storage
import Vapor

/// Who may reach which route, decided in one place for every request.
///
/// - Open to anyone: the sign-in page, `/healthz`, `/readyz` and static assets.
/// - Reading (GET/HEAD of pages, JSON, CSV, `/openapi.json`): any account, or anyone
///   when `PUBLIC_READ=true`.
/// - `/metrics`: the `METRICS_TOKEN` bearer token, or an admin.
/// - `/admin/review…`: editors and admins; the rest of `/admin…`: admins.
/// - Any other method on any other path: admins (a new state-changing route is closed
///   until it is given a rule here).
/// Every state-changing request also needs the session's CSRF token (form field
/// `_csrf` or header `X-CSRF-Token`); the sign-in form has its own (a cookie it must echo).
enum AccessRule: Equatable, Sendable {
    case open
    case read
    case metrics
    case role(AccessRole)

    static func rule(method: HTTPMethod, path: String) -> AccessRule {
        let readOnly = method == .GET || method == .HEAD
        switch path {
        case "/login": return .open
        case "/healthz", "/readyz": return readOnly ? .open : .role(.admin)
        case "/metrics": return readOnly ? .metrics : .role(.admin)
        case "/logout": return .role(.viewer)
        default: break
        }
        if readOnly, path.hasPrefix("/css/") || path.hasPrefix("/js/") || path == "/favicon.ico" || path == "/favicon.svg" { return .open }
        // An admin page's JSON twin ("/admin.json", "/admin/review.json") has its page's rule.
        let page = path.hasPrefix("/admin") && path.hasSuffix(".json") ? String(path.dropLast(5)) : path
        if page == "/admin/review" || page.hasPrefix("/admin/review/") { return .role(.editor) }
        if page == "/admin/corrections" || page.hasPrefix("/admin/corrections/") { return .role(.editor) }
        // Anyone signed in may suggest a correction; it changes nothing until an editor approves it.
        if method == .POST, path.hasPrefix("/speakers/"), path.hasSuffix("/corrections") { return .role(.viewer) }
        // Inferred sensitive attributes (gender) are seen and removed by editors.
        if method == .POST, path.hasPrefix("/speakers/"), path.contains("/attributes/") { return .role(.editor) }
        if page == "/admin" || page.hasPrefix("/admin/") { return .role(.admin) }
        return readOnly ? .read : .role(.admin)
    }

    static func changesState(_ method: HTTPMethod) -> Bool {
        !(method == .GET || method == .HEAD || method == .OPTIONS)
    }
}

struct SessionKey: StorageKey {
    typealias Value = SessionInfo
}

extension Request {
    /// The signed-in session of this request, if any.
    var session: SessionInfo? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    /// Whether the client reached us over TLS: our own TLS, or a trusted proxy's
    /// `X-Forwarded-Proto: https`.
    var isSecure: Bool {
        if url.scheme == "https" { return true }
        guard peerIsTrustedProxy else { return false }
        return headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    var peerIsTrustedProxy: Bool {
        let settings = application.speakerdbSettings
        if settings.trustedProxies.contains("*") { return true }
        guard let peer = remoteAddress?.ipAddress else { return false }
        return settings.isTrustedProxy(peer)
    }

    /// The client's address: the peer, or behind trusted proxies the right-most
    /// `X-Forwarded-For` entry that is not itself a trusted proxy.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard peerIsTrustedProxy, let forwarded = headers.first(name: "X-Forwarded-For") else { return peer }
        let settings = application.speakerdbSettings
        let hops = forwarded.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        // Walk back from the right past the listed proxies (`*` trusts the peer only: the
        // entry it appended, the right-most, is the client).
        return hops.last(where: { hop in !settings.trustedProxyRanges.contains { $0.contains(hop) } }) ?? hops.first ?? peer
    }
}

enum Cookies {
    static let session = "speakerdb_session"
    static let loginCSRF = "speakerdb_login_csrf"

    static func make(_ value: String, request: Request, maxAge: Int?, path: String = "/", sameSite: HTTPCookies.SameSitePolicy = .lax) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: maxAge.map { Date().addingTimeInterval(Double($0)) }, maxAge: maxAge, path: path,
                          isSecure: request.isSecure, isHTTPOnly: true, sameSite: sameSite)
    }

    static func expired(request: Request, path: String = "/") -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path,
                          isSecure: request.isSecure, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Equal strings compared in time that does not depend on where they differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}

/// Loads the session from its cookie and applies `AccessRule` and the CSRF check.
struct AccessMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let settings = request.application.speakerdbSettings
        if let token = request.cookies[Cookies.session]?.string, !token.isEmpty {
            request.session = try await AccountStore(request.application.storageContext.database).session(token: token)
        }
        let path = request.url.path
        switch AccessRule.rule(method: request.method, path: path) {
        case .open:
            break
        case .read:
            if !settings.publicRead, let refusal = try refuse(request, needing: .viewer) { return refusal }
        case .metrics:
            let bearer = request.headers.bearerAuthorization?.token
            if let expected = settings.metricsToken, let bearer, constantTimeEquals(bearer, expected) { break }
            // A scraper gets 401, never a sign-in page.
            if let refusal = try refuse(request, needing: .admin, redirect: false) { return refusal }
        case .role(let role):
            if let refusal = try refuse(request, needing: role) { return refusal }
        }
        if AccessRule.changesState(request.method), path != "/login" {
            try await checkCSRF(request)
        }
        return try await next.respond(to: request)
    }

    /// Nil when the session has `role`; otherwise the refusal: a redirect to the sign-in
    /// page for a browser asking for a page, 401 for anything else anonymous, 403 for a
    /// signed-in person without the role.
    func refuse(_ request: Request, needing role: AccessRole, redirect: Bool = true) throws -> Response? {
        if let session = request.session {
            guard session.account.role >= role else {
                throw Abort(.forbidden, reason: "This needs the \(role.rawValue) role; you are signed in as \(session.account.role.rawValue).")
            }
            return nil
        }
        let wantsPage = redirect && (request.method == .GET || request.method == .HEAD) && ResponseFormat.negotiate(request) == .html
            && !(request.url.path.split(separator: "/").last ?? "").contains(".")
        if wantsPage {
            var target = request.url.path
            if let query = request.url.query, !query.isEmpty { target += "?" + query }
            var components = URLComponents()
            components.path = "/login"
            components.queryItems = [URLQueryItem(name: "next", value: target)]
            return request.redirect(to: components.string ?? "/login", redirectType: .normal)
        }
        throw Abort(.unauthorized, reason: "Sign in first (POST /login), or ask the operator to set PUBLIC_READ=true for read access.")
    }

    func checkCSRF(_ request: Request) async throws {
        guard let session = request.session else { throw Abort(.forbidden, reason: "Sign in first.") }
        var token = request.headers.first(name: "X-CSRF-Token")
        if token == nil {
            _ = try await request.body.collect(max: 1 << 20).get()
            token = try? request.content.get(String.self, at: "_csrf")
        }
        guard let token, constantTimeEquals(token, session.csrfToken) else {
            throw Abort(.forbidden, reason: "The form expired or did not come from this site (missing or wrong CSRF token). Reload the page and try again.")
        }
    }
}

/// Sign-in attempts per client address: at most `limit` in `window`; then 429 until the
/// oldest ages out. The attempts are kept in the database (`AccountStore.allowAttempt`),
/// so every web process counts together and a restart does not reset the count. Accounts
/// are also locked after repeated failures (`AccountStore.recordFailure`).
struct LoginThrottle: Sendable {
    let limit: Int
    let window: TimeInterval

    init(limit: Int = 10, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Records an attempt; false when the address is over its limit.
    func allow(_ address: String, on database: any Database, now: Date = Date()) async throws -> Bool {
        try await AccountStore(database).allowAttempt(client: address, limit: limit, window: window, now: now)
    }
}

/// Password hashing for accounts: bcrypt, on the blocking-work thread pool.
public enum PasswordHashing {
    public static let cost = 12

    public static func hash(_ password: String) throws -> String {
        try validate(password)
        return try Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    /// At least 10 characters; at most 72 bytes (bcrypt ignores the rest).
    public static func validate(_ password: String) throws {
        guard password.count >= 10 else { throw AccountPasswordError("a password needs at least 10 characters") }
        guard password.utf8.count <= 72 else { throw AccountPasswordError("a password may be at most 72 bytes long") }
    }

    /// A hash to check against when the username does not exist, so a failed sign-in
    /// takes as long either way.
    static let decoy: String = (try? Bcrypt.hash(AccountStore.randomToken(), cost: cost)) ?? ""
}

public struct AccountPasswordError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
