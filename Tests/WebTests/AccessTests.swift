import FluentKit
import NIOCore
import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

@Suite("Accounts, access and CSRF")
struct AccessTests {
    /// A concrete path for a route: parameters become "1".
    static func path(_ route: Route) -> String {
        "/" + route.path.map { component -> String in
            switch component {
            case .constant(let text): return text
            case .parameter: return "1"
            case .anything, .catchall: return "x"
            }
        }.joined(separator: "/")
    }

    /// Signs someone in without bcrypt (a session straight from the store); returns the
    /// cookie header and the CSRF token of the session.
    static func session(_ app: Application, role: AccessRole, name: String? = nil) async throws -> (cookie: String, csrf: String) {
        let store = try AccountStore(app.storageContext.database)
        let username = name ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
        let account: Account
        if let existing = try await store.find(username: username) {
            account = existing
        } else {
            account = try await store.add(username: username, passwordHash: "not-a-bcrypt-hash", role: role)
        }
        let (token, info) = try await store.startSession(userID: account.id, lifetime: 3600)
        return ("\(Cookies.session)=\(token)", info.csrfToken)
    }

    static let openRoutes: Set<String> = ["GET /login", "POST /login", "GET /healthz", "GET /readyz"]

    @Test func everyRouteRefusesAnonymousVisitorsUnlessItIsOpen() async throws {
        for publicRead in [false, true] {
            try await withSeededApp(environment: ["PUBLIC_READ": String(publicRead)]) { app, _ in
                let tester = try app.testing()
                var open: Set<String> = []
                for route in app.routes.all {
                    let path = Self.path(route)
                    let rule = AccessRule.rule(method: route.method, path: path)
                    if rule == .open { open.insert("\(route.method.rawValue) \(path)"); continue }
                    if rule == .read && publicRead {
                        try await tester.test(route.method, path) { response in
                            #expect(![.unauthorized, .forbidden, .seeOther].contains(response.status), "\(path) is public to read")
                        }
                        continue
                    }
                    try await tester.test(route.method, path) { response in
                        let refused = response.status == .unauthorized
                            || (response.status == .seeOther && (response.headers.first(name: .location) ?? "").hasPrefix("/login?next="))
                        #expect(refused, "\(route.method) \(path) answered \(response.status) to an anonymous visitor")
                        #expect(!response.text.contains("Amara"), "\(path) leaked data while refusing")
                    }
                }
                #expect(open == Self.openRoutes, "the routes open to anyone changed: \(open.sorted())")
            }
        }
    }

    @Test func everyStateChangingRouteNeedsTheCSRFToken() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            let changing = app.routes.all.filter { AccessRule.changesState($0.method) && Self.path($0) != "/login" }
            #expect(changing.count >= 10, "admin actions and sign-out are routes")
            for route in changing {
                let path = Self.path(route)
                let (cookie, csrf) = try await Self.session(app, role: .admin)
                try await tester.test(route.method, path, headers: ["Cookie": cookie]) { response in
                    #expect(response.status == .forbidden, "\(route.method) \(path) without a CSRF token answered \(response.status)")
                }
                try await tester.test(route.method, path, headers: ["Cookie": cookie, "X-CSRF-Token": "wrong" + csrf]) { response in
                    #expect(response.status == .forbidden, "\(route.method) \(path) with a wrong CSRF token answered \(response.status)")
                }
                try await tester.test(route.method, path, headers: ["Cookie": cookie, "X-CSRF-Token": csrf]) { response in
                    #expect(![.forbidden, .unauthorized].contains(response.status), "\(route.method) \(path) refused a valid token: \(response.status)")
                }
            }
            // The sign-in form needs its own token, which a cookie must echo.
            try await tester.test(.POST, "/login", beforeRequest: { request in
                try request.content.encode(["username": "x", "password": "y", "_csrf": "guess"], as: .urlEncodedForm)
            }) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func adminJSONTwinsHaveTheirPagesRules() async throws {
        #expect(AccessRule.rule(method: .GET, path: "/admin.json") == .role(.admin))
        #expect(AccessRule.rule(method: .GET, path: "/admin/users.json") == .role(.admin))
        #expect(AccessRule.rule(method: .GET, path: "/admin/review.json") == .role(.editor))
        #expect(AccessRule.rule(method: .GET, path: "/admin/corrections.json") == .role(.editor))
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            let viewer = try await Self.session(app, role: .viewer)
            let editor = try await Self.session(app, role: .editor)
            let admin = try await Self.session(app, role: .admin)
            for path in ["/admin.json", "/admin/sources.json", "/admin/runs.json", "/admin/users.json"] {
                try await tester.test(.GET, path) { response in #expect(response.status == .unauthorized, "anonymous on \(path)") }
                try await tester.test(.GET, path, headers: ["Cookie": viewer.cookie]) { response in #expect(response.status == .forbidden, "viewer on \(path)") }
                try await tester.test(.GET, path, headers: ["Cookie": editor.cookie]) { response in #expect(response.status == .forbidden, "editor on \(path)") }
                try await tester.test(.GET, path, headers: ["Cookie": admin.cookie]) { response in
                    #expect(response.status == .ok && response.headers.contentType == .json, "admin on \(path)")
                    #expect(!response.text.contains(admin.csrf), "the JSON twin carries no session token")
                    #expect(!response.text.contains("\\/"), "the app's JSON encoder: links are not escaped")
                }
            }
            try await tester.test(.GET, "/admin/users.json", headers: ["Cookie": admin.cookie]) { response in
                #expect(response.text.contains("\"/admin/users/"), "the users page offers its remove actions as plain paths")
            }
            try await tester.test(.GET, "/admin/review.json", headers: ["Cookie": editor.cookie]) { response in #expect(response.status == .ok) }
            // The page itself answers JSON to Accept: application/json.
            try await tester.test(.GET, "/admin/users", headers: ["Cookie": admin.cookie, "Accept": "application/json"]) { response in
                #expect(response.headers.contentType == .json && response.text.contains("\"sections\""))
                #expect(response.headers.first(name: .vary) == "Accept")
            }
        }
    }

    @Test func rolesDecideWhatAdminPagesShow() async throws {
        try await withSeededApp { app, _ in
            let tester = try app.testing()
            let pages = ["/admin", "/admin/sources", "/admin/jobs", "/admin/jobs?status=failed", "/admin/runs", "/admin/review", "/admin/users"]
            let viewer = try await Self.session(app, role: .viewer)
            let editor = try await Self.session(app, role: .editor)
            let admin = try await Self.session(app, role: .admin)
            for page in pages {
                try await tester.test(.GET, page, headers: ["Cookie": viewer.cookie]) { response in
                    #expect(response.status == .forbidden, "a viewer reached \(page)")
                }
                try await tester.test(.GET, page, headers: ["Cookie": editor.cookie]) { response in
                    #expect(response.status == (page == "/admin/review" ? .ok : .forbidden), "editor on \(page): \(response.status)")
                }
                try await tester.test(.GET, page, headers: ["Cookie": admin.cookie]) { response in
                    #expect(response.status == .ok, "admin on \(page): \(response.status) \(response.text.prefix(300))")
                    #expect(response.text.contains("name=\"_csrf\" value=\"\(admin.csrf)\""), "\(page) forms carry the token")
                }
            }
            try await tester.test(.GET, "/", headers: ["Cookie": viewer.cookie]) { response in
                #expect(response.text.contains("Sign out") && !response.text.contains("href=\"/admin\""))
            }
            try await tester.test(.GET, "/", headers: ["Cookie": editor.cookie]) { response in
                #expect(response.text.contains("href=\"/admin\""))
            }
            try await tester.test(.GET, "/") { response in
                #expect(response.text.contains("href=\"/login\""))
            }
        }
    }

    @Test func adminActionsChangeDataAndRunNowOnlyQueues() async throws {
        try await withSeededApp { app, database in
            let tester = try app.testing()
            let admin = try await Self.session(app, role: .admin, name: "root")
            func post(_ path: String, _ form: [String: String] = [:], expect status: HTTPResponseStatus = .seeOther) async throws {
                try await tester.test(.POST, path, headers: ["Cookie": admin.cookie], beforeRequest: { request in
                    try request.content.encode(form.merging(["_csrf": admin.csrf]) { $1 }, as: .urlEncodedForm)
                }) { response in
                    #expect(response.status == status, "\(path): \(response.status) \(response.text.prefix(200))")
                }
            }
            try await post("/admin/sources", ["url": "https://events.example.org/list", "name": "Example", "fetcher": "http"])
            let source = try #require(try await Source.query(on: database.db).filter(\.$url == "https://events.example.org/list").first())
            try await post("/admin/sources", ["url": "javascript:alert(1)"], expect: .badRequest)
            try await post("/admin/sources/\(source.id!)/pause")
            #expect(try await Source.find(source.id, on: database.db)?.paused == true)
            try await post("/admin/sources/\(source.id!)/resume")
            try await post("/admin/run-now")
            let queued = try await JobQueue(database.db).list(status: .queued)
            #expect(queued.count == 1 && queued[0].trigger == "admin" && queued[0].kind == JobKind.pipeline, "run now queues, it does not crawl")
            try await post("/admin/run-now")
            #expect(try await JobQueue(database.db).list(status: .queued).count == 1, "not queued twice while one waits")
            try await post("/admin/users", ["username": "Reader", "password": "correct horse battery", "role": "viewer"])
            #expect(try await AccountStore(database.db).find(username: "reader")?.role == .viewer)
            try await post("/admin/users", ["username": "short", "password": "123", "role": "viewer"], expect: .badRequest)
            let reader = try #require(try await AccountStore(database.db).find(username: "reader"))
            try await post("/admin/users/\(reader.id)/remove")
            #expect(try await AccountStore(database.db).find(username: "reader") == nil)
        }
    }

    /// Hostile text in sources and review pairs renders inert on the admin pages too.
    @Test func hostileTextIsInertOnAdminPages() async throws {
        try await withSeededApp { app, database in
            let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
            try await SourceRepository(database.db).upsert(SourceSpec(url: "https://evil.example.org/events", name: hostile))
            let sql = try database.db.sqlDatabase()
            try await database.db.writeTransaction { tx in
                try await tx.sqlDatabase().raw("UPDATE speakers SET name = \(bind: hostile) WHERE id = 1").run()
            }
            let pair = IdentityCandidate(speakerA: 1, speakerB: 2, probability: 0.5, reasons: "[\"+1.0 <script>alert(3)</script>\"]")
            try await pair.create(on: database.db)
            _ = sql
            let admin = try await Self.session(app, role: .admin)
            for page in ["/admin/sources", "/admin/review", "/admin/review/\(try pair.requireID())/compare", "/speakers/1", "/speakers?_search=alert"] {
                try await app.testing().test(.GET, page, headers: ["Cookie": admin.cookie]) { response in
                    #expect(response.status == .ok, "\(page)")
                    #expect(!response.text.contains("<script>alert"), "\(page) renders a script tag")
                    #expect(!response.text.contains("<img src=x"), "\(page) renders an injected tag")
                }
            }
        }
    }

    @Test func signInLockoutThrottleAndCookieFlags() async throws {
        try await withSeededApp { app, database in
            let hash = try PasswordHashing.hash("correct horse battery")
            try await AccountStore(database.db).add(username: "ada", passwordHash: hash, role: .admin)
            let tester = try app.testing()
            func attempt(_ password: String, next: String = "/speakers", headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
                var token = "", cookie = ""
                try await tester.test(.GET, "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)") { response in
                    let html = response.text
                    if let range = html.range(of: "name=\"_csrf\" value=\"") {
                        token = String(html[range.upperBound...].prefix { $0 != "\"" })
                    }
                    cookie = response.headers[.setCookie].first { $0.hasPrefix(Cookies.loginCSRF) }?.split(separator: ";").first.map(String.init) ?? ""
                }
                var result: TestingHTTPResponse?
                var all = headers
                all.add(name: "Cookie", value: cookie)
                try await tester.test(.POST, "/login", headers: all, beforeRequest: { request in
                    try request.content.encode(["username": "Ada", "password": password, "next": next, "_csrf": token], as: .urlEncodedForm)
                }) { response in result = response }
                return try #require(result)
            }
            for _ in 0..<4 { #expect(try await attempt("wrong password!").status == .unauthorized) }
            let fifth = try await attempt("wrong password!")
            #expect(fifth.status == .tooManyRequests && fifth.text.contains("locked"), "the fifth failure locks, and says so")
            let locked = try await attempt("correct horse battery")
            #expect(locked.status == .tooManyRequests, "locked after five failures")
            #expect(locked.text.contains("This account is locked") && !locked.text.contains("Wrong username"), "a lock is said plainly")
            try await AccountStore(database.db).setPassword(username: "ada", passwordHash: hash)
            let success = try await attempt("correct horse battery")
            #expect(success.status == .seeOther)
            #expect(success.headers.first(name: .location) == "/speakers")
            let cookie = try #require(success.headers[.setCookie].first { $0.hasPrefix(Cookies.session + "=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "no TLS and no trusted proxy: not Secure")
            #expect(try await attempt("correct horse battery", next: "//evil.example.org/x").headers.first(name: .location) == "/", "only local redirects")
            // A forwarded https header from an untrusted peer changes nothing.
            let forwarded = try await attempt("correct horse battery", headers: ["X-Forwarded-Proto": "https"])
            #expect(forwarded.headers[.setCookie].first { $0.hasPrefix(Cookies.session + "=") }?.contains("Secure") == false)
            // Ten attempts per address in ten minutes; the eleventh is refused.
            #expect(try await attempt("wrong password!").status == .unauthorized)
            #expect(try await attempt("correct horse battery").status == .tooManyRequests)
        }
        // Behind a trusted TLS proxy the cookie is Secure.
        try await withSeededApp(environment: ["TRUSTED_PROXIES": "*"]) { app, database in
            try await AccountStore(database.db).add(username: "ada", passwordHash: try PasswordHashing.hash("correct horse battery"), role: .viewer)
            let tester = try app.testing()
            var token = "", cookie = ""
            try await tester.test(.GET, "/login", headers: ["X-Forwarded-Proto": "https"]) { response in
                let html = response.text
                if let range = html.range(of: "name=\"_csrf\" value=\"") { token = String(html[range.upperBound...].prefix { $0 != "\"" }) }
                cookie = response.headers[.setCookie].first ?? ""
                #expect(cookie.contains("Secure"))
                cookie = cookie.split(separator: ";").first.map(String.init) ?? ""
            }
            try await tester.test(.POST, "/login", headers: ["X-Forwarded-Proto": "https", "Cookie": cookie], beforeRequest: { request in
                try request.content.encode(["username": "ada", "password": "correct horse battery", "_csrf": token], as: .urlEncodedForm)
            }) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie].first { $0.hasPrefix(Cookies.session + "=") }?.contains("Secure") == true)
            }
        }
    }

    /// The per-address throttle is counted in the database: a second process on the same
    /// database (or the same one after a restart) sees the attempts of the first.
    @Test func theSignInThrottleIsSharedAndSurvivesARestart() async throws {
        try await TestDatabase.with { database in
            let start = Date()
            let one = try AccountStore(database.db), other = try AccountStore(database.db)
            for _ in 0..<3 { #expect(try await one.allowAttempt(client: "203.0.113.9", limit: 3, window: 600, now: start)) }
            #expect(try await other.allowAttempt(client: "203.0.113.9", limit: 3, window: 600, now: start) == false, "another process sees the count")
            #expect(try await other.allowAttempt(client: "198.51.100.4", limit: 3, window: 600, now: start), "other addresses are not throttled")
            #expect(try await one.allowAttempt(client: "203.0.113.9", limit: 3, window: 600, now: start.addingTimeInterval(601)), "old attempts age out")

            // Over HTTP: ten attempts on one app, then a fresh app on the same database refuses.
            // A different username each time, so no account lockout (five failures) interferes.
            var attempt = 0
            func post(_ app: Application) async throws -> HTTPStatus {
                attempt += 1
                let tester = try app.testing()
                var token = "", cookie = ""
                try await tester.test(.GET, "/login") { response in
                    if let range = response.text.range(of: "name=\"_csrf\" value=\"") { token = String(response.text[range.upperBound...].prefix { $0 != "\"" }) }
                    cookie = response.headers[.setCookie].first?.split(separator: ";").first.map(String.init) ?? ""
                }
                var status = HTTPStatus.ok
                try await tester.test(.POST, "/login", headers: ["Cookie": cookie], beforeRequest: { request in
                    try request.content.encode(["username": "nobody\(attempt)", "password": "wrong password!", "_csrf": token], as: .urlEncodedForm)
                }) { response in status = response.status }
                return status
            }
            let settings = try Settings(environment: ["DATABASE_URL": database.settingValue])
            try await withApp(configure: { try await configure($0, settings: settings) }) { app in
                for _ in 0..<10 {
                    let status = try await post(app)
                    #expect(status != .tooManyRequests)
                }
            }
            try await withApp(configure: { try await configure($0, settings: settings) }) { app in
                let status = try await post(app)
                #expect(status == .tooManyRequests, "the restarted app still counts the ten attempts")
            }
        }
    }

    /// Failures from one address lock that address out of that username only; a lock that
    /// has expired is not renewed by the next single failure; unknown usernames lock alike.
    @Test func lockoutsArePerAddressAndExpire() async throws {
        try await withSeededApp(environment: ["TRUSTED_PROXIES": "*"]) { app, database in
            let store = try AccountStore(database.db)
            try await store.add(username: "ada", passwordHash: try PasswordHashing.hash("correct horse battery"), role: .viewer)
            let tester = try app.testing()
            func attempt(_ password: String, from address: String, username: String = "ada") async throws -> TestingHTTPResponse {
                var token = "", cookie = ""
                try await tester.test(.GET, "/login") { response in
                    if let range = response.text.range(of: "name=\"_csrf\" value=\"") {
                        token = String(response.text[range.upperBound...].prefix { $0 != "\"" })
                    }
                    cookie = response.headers[.setCookie].first?.split(separator: ";").first.map(String.init) ?? ""
                }
                var result: TestingHTTPResponse?
                try await tester.test(.POST, "/login", headers: ["Cookie": cookie, "X-Forwarded-For": address], beforeRequest: { request in
                    try request.content.encode(["username": username, "password": password, "_csrf": token], as: .urlEncodedForm)
                }) { response in result = response }
                return try #require(result)
            }
            for _ in 0..<5 { _ = try await attempt("guess", from: "203.0.113.9") }
            #expect(try await attempt("correct horse battery", from: "203.0.113.9").status == .tooManyRequests)
            #expect(try await attempt("correct horse battery", from: "198.51.100.4").status == .seeOther,
                    "the attacker's failures do not lock the owner out from another address")
            // An unknown username locks the same way (a lock does not reveal that an account exists).
            for _ in 0..<5 { _ = try await attempt("guess", from: "192.0.2.77", username: "nobody") }
            #expect(try await attempt("guess", from: "192.0.2.77", username: "nobody").text.contains("This account is locked"))

            // After the lock expires, one more failure does not lock again.
            let later = Date().addingTimeInterval(AccountStore.lockoutDuration + 60)
            #expect(try await store.lockedUntil(username: "ada", client: "203.0.113.9", now: later) == nil)
            #expect(try await store.recordFailure(username: "ada", client: "203.0.113.9", now: later) == nil, "the count starts afresh")
            #expect(try await store.lockedUntil(username: "ada", client: "203.0.113.9", now: later) == nil)
            for _ in 0..<3 { try await store.recordFailure(username: "ada", client: "203.0.113.9", now: later) }
            #expect(try await store.recordFailure(username: "ada", client: "203.0.113.9", now: later) != nil, "five in a row lock again")
            #expect(try await store.find(username: "ada")?.lockedUntil != nil, "the admin's list shows the lock")
        }
    }

    /// `TRUSTED_PROXIES` takes CIDR ranges: a peer inside one is a proxy whose forwarded
    /// headers are believed, walking back from the right past listed proxies; any other
    /// peer is the client, whatever headers it sends; `*` believes the peer's right-most entry.
    @Test func trustedProxyRangesDecideWhoTheClientIs() async throws {
        #expect(throws: SettingsError.self) { try Settings(environment: ["TRUSTED_PROXIES": "10.0.0.0/33"]) }
        #expect(throws: SettingsError.self) { try Settings(environment: ["TRUSTED_PROXIES": "proxy.example.org"]) }
        let range = try #require(AddressRange("172.16.0.0/12"))
        #expect(range.contains("172.18.0.1") && range.contains("::ffff:172.31.255.1") && !range.contains("172.32.0.1") && !range.contains("8.8.8.8"))
        #expect(AddressRange("fd00::/8")?.contains("fd12::1") == true && AddressRange("fd00::/8")?.contains("fe80::1") == false)
        for (proxies, peer, forwarded, client, secure) in [
            ("172.16.0.0/12,10.0.0.0/8", "172.18.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3", "203.0.113.7", true),
            ("172.16.0.0/12", "198.51.100.20", "6.6.6.6", "198.51.100.20", false),
            ("*", "198.51.100.20", "6.6.6.6, 203.0.113.7", "203.0.113.7", true),
            ("127.0.0.1,::1", "127.0.0.1", "203.0.113.7", "203.0.113.7", true),
        ] {
            let app = try await Application.make(.testing)
            app.speakerdbSettings = try Settings(environment: ["TRUSTED_PROXIES": proxies])
            let request = Request(application: app, method: .GET, url: URI(path: "/"),
                                  headers: ["X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"],
                                  remoteAddress: try SocketAddress(ipAddress: peer, port: 443), on: app.eventLoopGroup.any())
            #expect(request.clientAddress == client, "\(proxies) from \(peer)")
            #expect(request.isSecure == secure, "\(proxies) from \(peer)")
            try await app.asyncShutdown()
        }
    }

    @Test func metricsNeedTheTokenOrAnAdmin() async throws {
        try await withSeededApp(environment: ["METRICS_TOKEN": "a-long-enough-metrics-token"]) { app, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/metrics") { #expect($0.status == .unauthorized) }
            try await tester.test(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token-of-some-length"]) { #expect($0.status == .unauthorized) }
            try await tester.test(.GET, "/metrics", headers: ["Authorization": "Bearer a-long-enough-metrics-token"]) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("speakerdb_jobs{status=\"queued\"}"))
                #expect(response.text.contains("speakerdb_http_request_duration_seconds_bucket"))
            }
            let viewer = try await Self.session(app, role: .viewer)
            try await tester.test(.GET, "/metrics", headers: ["Cookie": viewer.cookie]) { #expect($0.status == .forbidden) }
        }
    }
}
