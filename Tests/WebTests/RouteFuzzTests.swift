import FluentKit
import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

/// Every route of the real app, found from its router (a new route is covered without
/// editing this file), sent hostile values in every path parameter, query parameter and
/// form field the app's own pages use, as an anonymous visitor, a viewer, an editor and an
/// admin. It passes only if no response is a server error, no hostile markup comes back
/// unescaped in HTML (from the request, or from stored records that carry it behind
/// grapheme-joining prefixes), and no request changes data without the right role and
/// CSRF token.
@Suite("Route fuzzer")
struct RouteFuzzTests {
    /// The element name of the markup the hostile values carry; it must never come back
    /// as a tag in an HTML response.
    static let marker = "x-fz"

    /// Scalars that join with a following `<` into one grapheme cluster (prepended
    /// concatenation marks, ZWJ, a combining mark): output escaped by `Character` lets the
    /// `<` through.
    static let joiners = ["\u{600}", "\u{601}", "\u{602}", "\u{603}", "\u{604}", "\u{605}", "\u{890}", "\u{8E2}", "\u{200D}", "\u{301}"]

    /// Hostile values, percent-encoded as they go into a query string, a path segment or a
    /// form body; the last few are malformed encodings that only exist on the wire.
    static let hostileValues: [String] = {
        let raw = [
            "\"", "'", "*", "^", "-", "(", ")", ".", "\"\"\"\"", "a OR b", "NEAR(a b)", "name:x", "a AND NOT b", "%",
            "\u{0}", "a\u{0}b", "😀", "👩🏽‍🔬", "-1", "0", "99999999999999999999", "-9223372036854775809", "1e309", "NaN",
            "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", String(repeating: "a", count: 20_000),
            "<\(marker)>", "\"><\(marker) a=\"", "'><\(marker)>", "<script>alert(1)</script>", "javascript:alert(1)",
            "\r\nSet-Cookie: fz=1", "[]", "{}", "2024-02-30", "1;DROP TABLE speakers",
        ] + joiners.map { $0 + "<\(marker)>" }
        return raw.map(encode) + ["%ED%A0%80", "%ED%B0%80", "%FF%FE", "%C0%AF", "%zz", "%"]
    }()

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A concrete path for a route, every parameter set to `parameter`.
    static func path(_ route: Route, parameter: String = "1") -> String {
        "/" + route.path.map { component -> String in
            switch component {
            case .constant(let text): return text
            case .parameter: return parameter
            case .anything, .catchall: return parameter
            }
        }.joined(separator: "/")
    }

    /// Whether a concrete path (no query) is one of this route's.
    static func matches(_ route: Route, _ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var catchall = false
        if case .catchall = route.path.last { catchall = true }
        guard parts.count == route.path.count || (catchall && parts.count >= route.path.count - 1) else { return false }
        for (component, part) in zip(route.path, parts) {
            if case .constant(let text) = component, text != part { return false }
        }
        return true
    }

    /// Query keys and form fields the app's own pages use, by the path they go to, with
    /// the values the forms carry (hidden ids, selected options).
    struct Harvest {
        var keys: [String: Set<String>] = [:]
        var forms: [String: [String: String]] = [:]

        mutating func read(_ html: String) {
            for link in Self.all(##"href="(/[^"?#]*)\?([^"#]*)""##, in: html) {
                let keys = link[1].replacingOccurrences(of: "&amp;", with: "&").split(separator: "&")
                    .compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
                self.keys[link[0], default: []].formUnion(keys)
            }
            for form in Self.all(#"<form\b([^>]*)>(.*?)</form>"#, in: html) {
                let action = Self.all(#"action="([^"]*)""#, in: form[0]).first?[0] ?? ""
                guard action.hasPrefix("/") else { continue }
                let path = String(action.split(separator: "?").first ?? "")
                var fields = forms[path] ?? [:]
                for input in Self.all(#"<(?:input|select|textarea)\b([^>]*)>"#, in: form[1]) {
                    guard let name = Self.all(#"name="([^"]+)""#, in: input[0]).first?[0], name != "_csrf" else { continue }
                    let value = Self.all(#"value="([^"]*)""#, in: input[0]).first?[0]
                    if let value, !value.isEmpty || fields[name] == nil { fields[name] = value } else if fields[name] == nil { fields[name] = "" }
                }
                for option in Self.all(#"<select\b[^>]*name="([^"]+)"[^>]*>.*?<option\b[^>]*value="([^"]*)""#, in: form[1]) where fields[option[0]]?.isEmpty ?? true {
                    fields[option[0]] = option[1]
                }
                forms[path] = fields
                keys[path, default: []].formUnion(fields.keys)
            }
        }

        static func all(_ pattern: String, in text: String) -> [[String]] {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators, .caseInsensitive]) else { return [] }
            let ns = text as NSString
            return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
                (1..<match.numberOfRanges).map { match.range(at: $0).location == NSNotFound ? "" : ns.substring(with: match.range(at: $0)) }
            }
        }

        /// The keys of a route: those of its own path and of its HTML twin (`/x.json` → `/x`).
        func keys(for route: Route) -> Set<String> {
            var found: Set<String> = []
            for (path, keys) in self.keys {
                let twins = [path, path + ".json", path + ".csv"]
                if twins.contains(where: { RouteFuzzTests.matches(route, $0) }) { found.formUnion(keys) }
            }
            return found
        }

        func fields(for route: Route) -> [String: String] {
            forms.filter { RouteFuzzTests.matches(route, $0.key) }.values.reduce(into: [:]) { $0.merge($1) { old, _ in old } }
        }
    }

    struct Visitor {
        var name: String
        var role: AccessRole?
        var cookie: String?
        var csrf: String?
    }

    /// A plausible value for a form field with no value of its own, so that a state-changing
    /// request would do something if it were allowed.
    static func plausible(_ field: String) -> String {
        let name = field.lowercased()
        if name.contains("url") { return "https://fuzz.example.org/events" }
        if name.contains("password") { return "correct horse battery staple" }
        if name.contains("username") { return "fuzz-user" }
        if name == "role" { return "viewer" }
        if name.contains("field") { return "title" }
        return "1"
    }

    /// Records whose text carries markup behind every joining prefix, so every page that
    /// shows a name, title, affiliation, bio or event title (and the /stats charts, which
    /// rank affiliations) is checked with them. The importer refuses markup in names, so the
    /// names are set as a crawled page or an approved correction could set them.
    static func seedHostileRecords(_ database: TestDatabase) async throws {
        var speakers: [ExportSpeaker] = []
        for (index, joiner) in joiners.enumerated() {
            let markup = "\(joiner)<\(marker) a=1>"
            for copy in 0..<3 {
                speakers.append(ExportSpeaker(id: 100 + index * 3 + copy, name: "Fuzz Person\(index)x\(copy)", title: "Fellow \(markup)",
                                              affiliation: "Institute \(markup)", bio: "Works on \(markup) things.", events: [
                                                  ExportAppearance(url: "https://fuzz.example.org/e/\(index)", title: "Talk \(markup)",
                                                                   date: "2024-0\(1 + index % 9)-10", role: "speaker"),
                                              ]))
            }
        }
        _ = try await SpeakerImporter().run(try SpeakerImporter.validate(ExportDocument(speakers: speakers)), on: database.db)
        try await database.db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            for (index, joiner) in joiners.enumerated() {
                try await sql.raw("""
                    UPDATE speakers SET name = name || \(bind: " \(joiner)<\(marker) a=1>") WHERE name LIKE \(bind: "Fuzz Person\(index)x%")
                    """).run()
            }
        }
    }

    /// Every row of every table that records what users see or decide (not sessions, the
    /// sign-in counters, the search log or the search index's own tables), as one sorted
    /// list of text: equal before and after means nothing changed.
    static func fingerprint(_ db: any Database) async throws -> [String] {
        let sql = try db.sqlDatabase()
        let postgres = try sql.engine() == .postgres
        let tables = try await sql.raw(postgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'").all().map { try $0.decode(column: "name", as: String.self) }
        let skipped: Set<String> = ["sessions", "login_failures", "search_log", "_fluent_migrations", "sqlite_sequence"]
        var rows: [String] = []
        for table in tables.sorted() where !skipped.contains(table) && !table.hasPrefix("speaker_fts") {
            let columns = try await sql.raw(postgres
                ? "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)"
                : "SELECT name, type FROM pragma_table_info(\(bind: table))").all()
                .map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "type", as: String.self).lowercased()) }
                .filter { !["blob", "bytea", "tsvector"].contains($0.1) }
            guard !columns.isEmpty else { continue }
            let expression = columns.map { "COALESCE(CAST(\"\($0.0)\" AS TEXT), '~')" }.joined(separator: " || '|' || ")
            rows += try await sql.raw("SELECT \(unsafeRaw: expression) AS r FROM \(ident: table)").all()
                .map { table + ":" + (try $0.decode(column: "r", as: String.self)) }
        }
        return rows.sorted()
    }

    @Test func noHostileInputBreaksARouteLeaksMarkupOrChangesDataWithoutTheRightRole() async throws {
        try await withSeededApp { app, database in
            try await Self.seedHostileRecords(database)
            let tester = try app.testing()
            var visitors = [Visitor(name: "anonymous")]
            for role in AccessRole.allCases {
                let (cookie, csrf) = try await AccessTests.session(app, role: role, name: "fuzz-\(role.rawValue)")
                visitors.append(Visitor(name: role.rawValue, role: role, cookie: cookie, csrf: csrf))
            }
            let admin = visitors.last!
            var failures: [String] = []
            var requests = 0

            func send(_ method: HTTPMethod, _ uri: String, as visitor: Visitor, body: String? = nil, csrf: Bool = true) async throws -> TestingHTTPResponse? {
                var headers: HTTPHeaders = [:]
                if let cookie = visitor.cookie { headers.add(name: "Cookie", value: cookie) }
                if csrf, let token = visitor.csrf, AccessRule.changesState(method) { headers.add(name: "X-CSRF-Token", value: token) }
                var buffer: ByteBuffer?
                if let body {
                    headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
                    buffer = ByteBuffer(string: body)
                }
                var result: TestingHTTPResponse?
                requests += 1
                do { try await tester.test(method, uri, headers: headers, body: buffer) { response in
                    result = response
                    let what = "\(method) \(uri.prefix(160)) as \(visitor.name)"
                    if response.status.code >= 500 { failures.append("\(what) answered \(response.status.code)") }
                    let type = response.headers.first(name: .contentType) ?? ""
                    if type.contains("html") || type.contains("svg") || type.isEmpty {
                        let text = response.body.string.lowercased()
                        if text.contains("<\(Self.marker)") || text.contains("<script>alert(1)") {
                            failures.append("\(what) returned hostile markup unescaped")
                        }
                    }
                    if response.headers[.setCookie].contains(where: { $0.hasPrefix("fz=") }) || response.headers.contains(name: "fz") {
                        failures.append("\(what) let a header through")
                    }
                } } catch {
                    failures.append("\(method) \(uri.prefix(160)) as \(visitor.name) threw \(error)")
                }
                return result
            }

            let routes = app.routes.all
            let reading = routes.filter { !AccessRule.changesState($0.method) }
            let changing = routes.filter { AccessRule.changesState($0.method) && Self.path($0) != "/login" }
            #expect(reading.count >= 20 && changing.count >= 10, "the router lists the app's routes")

            // What the app's own pages link to and submit, read as an admin (who sees every form).
            var harvest = Harvest()
            for route in reading {
                if let response = try await send(route.method, Self.path(route), as: admin), response.status == .ok {
                    harvest.read(response.body.string)
                }
            }
            let everyKey = harvest.keys.values.reduce(into: Set<String>()) { $0.formUnion($1) }
            #expect(everyKey.isSuperset(of: ["_search", "q", "_page"]), "the pages' search forms and pagination were read: \(everyKey.sorted())")

            // Reading routes: every value in every path parameter and in all keys at once,
            // for every visitor; as an admin also in each of the route's own keys alone.
            for route in reading {
                let keys = harvest.keys(for: route).sorted()
                let hasParameter = route.path.contains { if case .parameter = $0 { return true } else { return false } }
                for value in Self.hostileValues {
                    let base = Self.path(route, parameter: hasParameter ? value : "1")
                    let all = everyKey.sorted().map { "\($0)=\(value)" }.joined(separator: "&")
                    for visitor in visitors {
                        _ = try await send(route.method, base + "?" + all, as: visitor)
                    }
                    for key in keys {
                        _ = try await send(route.method, Self.path(route) + "?\(key)=\(value)", as: admin)
                    }
                }
            }

            // State-changing routes, with hostile values in the path and every form field, as
            // an admin with the token (a 4xx is fine; a 500 or markup is not).
            for route in changing where Self.path(route) != "/logout" {
                let fields = harvest.fields(for: route).keys.sorted()
                for value in Self.hostileValues {
                    let body = fields.map { "\($0)=\(value)" }.joined(separator: "&")
                    let (cookie, csrf) = try await AccessTests.session(app, role: .admin, name: "fuzz-admin")
                    let fresh = Visitor(name: "admin", role: .admin, cookie: cookie, csrf: csrf)
                    _ = try await send(route.method, Self.path(route, parameter: value), as: fresh, body: body)
                }
            }

            // No data changes without the right role and the token; with them, requests
            // made from the forms' own values do change data (so this check has teeth).
            var effective = 0
            for route in changing {
                let rule = AccessRule.rule(method: route.method, path: Self.path(route))
                guard case .role(let needed) = rule else { continue }
                var form = harvest.fields(for: route)
                for (key, value) in form where value.isEmpty { form[key] = Self.plausible(key) }
                let body = form.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.encode($0.value))" }.joined(separator: "&")
                let path = Self.path(route)
                var attempts: [(Visitor, Bool)] = [(visitors[0], true)]
                for visitor in visitors.dropFirst() {
                    if let role = visitor.role, role < needed { attempts.append((visitor, true)) }
                }
                for visitor in visitors.dropFirst() where visitor.role.map({ $0 >= needed }) ?? false {
                    attempts.append((visitor, false))
                }
                for (visitor, withToken) in attempts {
                    // Each attempt gets its own session (signing in records the time, so
                    // before the fingerprint): a sign-out must not end the shared one.
                    var attempt = visitor
                    if let role = visitor.role {
                        (attempt.cookie, attempt.csrf) = try await AccessTests.session(app, role: role, name: "fuzz-\(role.rawValue)")
                    }
                    let before = try await Self.fingerprint(database.db)
                    _ = try await send(route.method, path, as: attempt, body: body, csrf: withToken)
                    if try await Self.fingerprint(database.db) != before {
                        failures.append("\(route.method) \(path) changed data as \(visitor.name)\(withToken ? "" : " without the CSRF token")")
                    }
                }
                let (cookie, csrf) = try await AccessTests.session(app, role: needed, name: "fuzz-\(needed.rawValue)")
                let before = try await Self.fingerprint(database.db)
                _ = try await send(route.method, path, as: Visitor(name: needed.rawValue, role: needed, cookie: cookie, csrf: csrf), body: body)
                if try await Self.fingerprint(database.db) != before { effective += 1 }
            }
            #expect(effective >= 5, "only \(effective) state-changing routes changed data even with the right role and token")
            let report = failures.prefix(40).joined(separator: "\n")
            #expect(failures.isEmpty, "\(failures.count) of \(requests) requests failed:\n\(report)")
        }
    }
}
