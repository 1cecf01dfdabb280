import Crypto
import FluentKit
import Foundation
import SQLKit
import SpeakerCore

public struct Account: Sendable, Codable, Hashable {
    public var id: Int
    public var username: String
    public var role: AccessRole
    public var lastLogin: Date?
    public var lockedUntil: Date?
    public var created: Date

    enum CodingKeys: String, CodingKey {
        case id, username, role, created
        case lastLogin = "last_login", lockedUntil = "locked_until"
    }
}

/// A signed-in session: who, and the token every state-changing request must echo.
public struct SessionInfo: Sendable, Hashable {
    public var account: Account
    public var csrfToken: String
    public var expires: Date
}

public struct AccountError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Users and sessions. Passwords are hashed by the caller (bcrypt, in the web and CLI
/// layers); this store only keeps the hash. Session tokens are random 256-bit values of
/// which only the SHA-256 is stored.
public struct AccountStore: Sendable {
    let db: any Database
    let sql: any SQLDatabase

    /// Failed sign-ins in a row before an account is locked, and for how long.
    public static let lockoutThreshold = 5
    public static let lockoutDuration: TimeInterval = 15 * 60

    public init(_ db: any Database) throws {
        self.db = db
        self.sql = try db.sqlDatabase()
    }

    /// A username as stored: trimmed and lower-cased; letters, digits, `.`, `_`, `-` and `@`, 1-64 characters.
    public static func normalize(username: String) throws -> String {
        let name = username.trimmingWhitespace().lowercased()
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw AccountError("a username is 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        return name
    }

    /// `locked_until_ms` is the latest lock of the account from any address (see
    /// `recordFailure`), for the admin's list of users.
    static let columns: SQLQueryString = """
        id, username, role, last_login_ms, created_ms,
        (SELECT MAX(f.locked_until_ms) FROM login_failures f WHERE f.username = users.username) AS locked_until_ms
        """

    static func account(_ row: any SQLRow) throws -> Account {
        Account(id: try row.decode(column: "id", as: Int.self), username: try row.decode(column: "username", as: String.self),
                role: AccessRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                lastLogin: try row.decode(column: "last_login_ms", as: Int64?.self).map(JobQueue.date),
                lockedUntil: try row.decode(column: "locked_until_ms", as: Int64?.self).map(JobQueue.date),
                created: JobQueue.date(try row.decode(column: "created_ms", as: Int64.self)))
    }

    @discardableResult
    public func add(username: String, passwordHash: String, role: AccessRole, now: Date = Date()) async throws -> Account {
        let name = try Self.normalize(username: username)
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            guard try await sql.raw("SELECT id FROM users WHERE username = \(bind: name)").first() == nil else {
                throw AccountError("there is already a user \(name)")
            }
            guard let row = try await sql.raw("""
                INSERT INTO users (username, password_hash, role, failed_logins, created_ms)
                VALUES (\(bind: name), \(bind: passwordHash), \(bind: role.rawValue), 0, \(bind: now.epochMilliseconds))
                RETURNING \(Self.columns)
                """).first() else { throw AccountError("could not add \(name)") }
            return try Self.account(row)
        }
    }

    public func list() async throws -> [Account] {
        try await sql.raw("SELECT \(Self.columns) FROM users ORDER BY username").all().map(Self.account)
    }

    public func find(username: String) async throws -> Account? {
        guard let name = try? Self.normalize(username: username) else { return nil }
        return try await sql.raw("SELECT \(Self.columns) FROM users WHERE username = \(bind: name)").first().map(Self.account)
    }

    public func find(id: Int) async throws -> Account? {
        try await sql.raw("SELECT \(Self.columns) FROM users WHERE id = \(bind: id)").first().map(Self.account)
    }

    /// Removes a user and their sessions. The last admin cannot be removed.
    public func remove(username: String) async throws {
        let name = try Self.normalize(username: username)
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            guard let row = try await sql.raw("SELECT id, role FROM users WHERE username = \(bind: name)").first() else {
                throw AccountError("there is no user \(name)")
            }
            if try row.decode(column: "role", as: String.self) == AccessRole.admin.rawValue {
                let admins = try await sql.raw("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'").first()?.decode(column: "n", as: Int.self) ?? 0
                guard admins > 1 else { throw AccountError("\(name) is the last admin; add another admin first") }
            }
            let id = try row.decode(column: "id", as: Int.self)
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM users WHERE id = \(bind: id)").run()
        }
    }

    /// Sets a new password hash, unlocks the account and ends its sessions.
    public func setPassword(username: String, passwordHash: String) async throws {
        let name = try Self.normalize(username: username)
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            guard let id = try await sql.raw("""
                UPDATE users SET password_hash = \(bind: passwordHash), failed_logins = 0, locked_until_ms = NULL
                WHERE username = \(bind: name) RETURNING id
                """).first()?.decode(column: "id", as: Int.self) else { throw AccountError("there is no user \(name)") }
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM login_failures WHERE username = \(bind: name)").run()
        }
    }

    /// The stored hash of a user's password, with the account, for checking a sign-in.
    public func credentials(username: String) async throws -> (Account, passwordHash: String)? {
        guard let name = try? Self.normalize(username: username) else { return nil }
        guard let row = try await sql.raw("SELECT \(Self.columns), password_hash FROM users WHERE username = \(bind: name)").first() else { return nil }
        return (try Self.account(row), try row.decode(column: "password_hash", as: String.self))
    }

    /// Records a sign-in attempt from `client` unless it already made `limit` in the last
    /// `window` seconds; false when it is over the limit (the attempt is not recorded then).
    /// The count lives in the database, so every process shares it and a restart keeps it.
    public func allowAttempt(client: String, limit: Int, window: TimeInterval, now: Date = Date()) async throws -> Bool {
        let nowMs = now.epochMilliseconds
        let since = now.addingTimeInterval(-window).epochMilliseconds
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            try await sql.raw("DELETE FROM login_attempts WHERE at_ms <= \(bind: since)").run()
            let recent = try await sql.raw("""
                SELECT COUNT(*) AS n FROM login_attempts WHERE client = \(bind: client) AND at_ms > \(bind: since)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard recent < limit else { return false }
            try await sql.raw("INSERT INTO login_attempts (client, at_ms) VALUES (\(bind: client), \(bind: nowMs))").run()
            return true
        }
    }

    /// Until when sign-ins to `username` from `client` are refused, if they are now.
    public func lockedUntil(username: String, client: String, now: Date = Date()) async throws -> Date? {
        guard let name = try? Self.normalize(username: username) else { return nil }
        let until = try await sql.raw("""
            SELECT locked_until_ms FROM login_failures WHERE username = \(bind: name) AND client = \(bind: client)
            """).first()?.decode(column: "locked_until_ms", as: Int64?.self)
        return until.map(JobQueue.date).flatMap { $0 > now ? $0 : nil }
    }

    /// Records a failed sign-in to `username` (an account or not) from `client`. After
    /// `lockoutThreshold` failures in a row that address is locked out of that username
    /// for `lockoutDuration`; other addresses are not, so nobody can lock the owner out
    /// from elsewhere. A failure after an expired lock starts the count afresh. Returns
    /// the lock this failure set, if it set one.
    @discardableResult
    public func recordFailure(username: String, client: String, now: Date = Date()) async throws -> Date? {
        guard let name = try? Self.normalize(username: username) else { return nil }
        let nowMs = now.epochMilliseconds
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            let row = try await sql.raw("""
                SELECT failures, locked_until_ms FROM login_failures WHERE username = \(bind: name) AND client = \(bind: client)
                """).first()
            var failures = try row?.decode(column: "failures", as: Int.self) ?? 0
            if let lock = try row?.decode(column: "locked_until_ms", as: Int64?.self), lock <= nowMs { failures = 0 }
            failures += 1
            let lock: Int64? = failures >= Self.lockoutThreshold ? now.addingTimeInterval(Self.lockoutDuration).epochMilliseconds : nil
            if row == nil {
                try await sql.raw("""
                    INSERT INTO login_failures (username, client, failures, locked_until_ms, updated_ms)
                    VALUES (\(bind: name), \(bind: client), \(bind: failures), \(bind: lock), \(bind: nowMs))
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE login_failures SET failures = \(bind: failures), locked_until_ms = \(bind: lock), updated_ms = \(bind: nowMs)
                    WHERE username = \(bind: name) AND client = \(bind: client)
                    """).run()
            }
            // Old rows go: a day after their last failure nothing in them counts any more.
            try await sql.raw("DELETE FROM login_failures WHERE updated_ms < \(bind: nowMs - 86_400_000)").run()
            return lock.map(JobQueue.date)
        }
    }

    /// Starts a session for a user who proved their password; returns the cookie token.
    public func startSession(userID: Int, lifetime: TimeInterval, now: Date = Date()) async throws -> (token: String, session: SessionInfo) {
        let token = Self.randomToken(), csrf = Self.randomToken()
        let expires = now.addingTimeInterval(lifetime)
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            try await sql.raw("""
                UPDATE users SET failed_logins = 0, locked_until_ms = NULL, last_login_ms = \(bind: now.epochMilliseconds) WHERE id = \(bind: userID)
                """).run()
            try await sql.raw("""
                DELETE FROM login_failures WHERE username = (SELECT username FROM users WHERE id = \(bind: userID))
                """).run()
            try await sql.raw("DELETE FROM sessions WHERE expires_ms < \(bind: now.epochMilliseconds)").run()
            try await sql.raw("""
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, expires_ms)
                VALUES (\(bind: Self.hash(token)), \(bind: userID), \(bind: csrf), \(bind: now.epochMilliseconds), \(bind: expires.epochMilliseconds))
                """).run()
        }
        guard let account = try await find(id: userID) else { throw AccountError("the user was removed") }
        return (token, SessionInfo(account: account, csrfToken: csrf, expires: expires))
    }

    /// The live session a cookie token belongs to, if any.
    public func session(token: String, now: Date = Date()) async throws -> SessionInfo? {
        guard token.count >= 32, token.count <= 128 else { return nil }
        guard let row = try await sql.raw("""
            SELECT u.id, u.username, u.role, u.last_login_ms, u.locked_until_ms, u.created_ms, s.csrf_token, s.expires_ms
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: Self.hash(token)) AND s.expires_ms > \(bind: now.epochMilliseconds)
            """).first() else { return nil }
        return SessionInfo(account: try Self.account(row), csrfToken: try row.decode(column: "csrf_token", as: String.self),
                           expires: JobQueue.date(try row.decode(column: "expires_ms", as: Int64.self)))
    }

    public func endSession(token: String) async throws {
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.hash(token))").run()
        }
    }

    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}
