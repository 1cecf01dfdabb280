import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// One item of work in the durable queue.
public struct Job: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case queued, running, succeeded, failed
    }

    public var id: Int
    public var kind: String
    /// JSON object with the kind's parameters.
    public var payload: String
    public var status: Status
    /// `cli`, `scheduler` or `admin`.
    public var trigger: String
    public var attempts: Int
    public var maxAttempts: Int
    public var runAfter: Date
    public var leaseOwner: String?
    public var leaseExpires: Date?
    public var lastError: String?
    public var workedBy: String?
    public var runID: Int?
    public var created: Date
    public var started: Date?
    public var finished: Date?

    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payload.utf8))
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, payload, status, trigger, attempts
        case maxAttempts = "max_attempts", runAfter = "run_after", leaseOwner = "lease_owner", leaseExpires = "lease_expires"
        case lastError = "last_error", workedBy = "worked_by", runID = "run_id", created, started, finished
    }
}

/// The durable job queue: every unit of scheduled or requested work is a row of `jobs`.
///
/// A worker *claims* a job by taking a lease on it (owner and expiry) and renews the lease
/// while it works. A worker that dies stops renewing; once the lease has expired the job
/// is queued again (or marked failed after its last attempt) and another worker takes it.
/// Claims are atomic: on SQLite the claim is one short `BEGIN IMMEDIATE` transaction (one
/// writer at a time); on PostgreSQL the candidate row is locked with
/// `FOR UPDATE SKIP LOCKED`, so concurrent workers pass over each other's rows.
public struct JobQueue: Sendable {
    let db: any Database
    let sql: any SQLDatabase
    let engine: Engine
    /// The first retry waits this long; each further one twice as long, up to an hour.
    public var retryBase: Duration = .seconds(30)

    public init(_ db: any Database) throws {
        self.db = db
        self.sql = try db.sqlDatabase()
        self.engine = try sql.engine()
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    static let columns: SQLQueryString = """
        id, kind, payload, status, trigger, attempts, max_attempts, run_after_ms, lease_owner, lease_expires_ms,
        last_error, worked_by, run_id, created_ms, started_ms, finished_ms
        """

    static func job(_ row: any SQLRow) throws -> Job {
        Job(id: try row.decode(column: "id", as: Int.self),
            kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            status: Job.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            trigger: try row.decode(column: "trigger", as: String.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            runAfter: date(try row.decode(column: "run_after_ms", as: Int64.self)),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
            leaseExpires: try row.decode(column: "lease_expires_ms", as: Int64?.self).map(date),
            lastError: try row.decode(column: "last_error", as: String?.self),
            workedBy: try row.decode(column: "worked_by", as: String?.self),
            runID: try row.decode(column: "run_id", as: Int?.self),
            created: date(try row.decode(column: "created_ms", as: Int64.self)),
            started: try row.decode(column: "started_ms", as: Int64?.self).map(date),
            finished: try row.decode(column: "finished_ms", as: Int64?.self).map(date))
    }

    /// Adds a job. With a `dedupeKey`, nothing is added while a job with the same key is
    /// queued or running (a source's pipeline is not queued twice); nil is returned then.
    @discardableResult
    public func enqueue<Payload: Encodable>(kind: String, payload: Payload, trigger: String, maxAttempts: Int = 3,
                                           runAfter: Date = Date(), dedupeKey: String? = nil, now: Date = Date()) async throws -> Int? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        return try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                INSERT INTO jobs (kind, payload, status, trigger, attempts, max_attempts, run_after_ms, dedupe_key, created_ms)
                VALUES (\(bind: kind), \(bind: json), 'queued', \(bind: trigger), 0, \(bind: max(1, maxAttempts)),
                        \(bind: runAfter.epochMilliseconds), \(bind: dedupeKey), \(bind: now.epochMilliseconds))
                ON CONFLICT DO NOTHING RETURNING id
                """).first()?.decode(column: "id", as: Int.self)
        }
    }

    /// Releases expired leases: their jobs are queued again after a pause, or marked
    /// failed when that was their last attempt. Returns how many.
    @discardableResult
    public func reapExpired(now: Date = Date()) async throws -> Int {
        let nowMS = now.epochMilliseconds
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            // The pipeline run a lost worker was recording ends as failed, not "running" forever.
            try await sql.raw("""
                UPDATE pipeline_runs SET status = 'failed', finished_at = \(bind: now),
                    error = 'the worker running it stopped (it crashed or was killed); the job was retried'
                WHERE status = 'running' AND id IN (
                    SELECT run_id FROM jobs WHERE status = 'running' AND lease_expires_ms < \(bind: nowMS) AND run_id IS NOT NULL)
                """).run()
            return try await sql.raw("""
                UPDATE jobs SET
                    status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                    finished_ms = CASE WHEN attempts >= max_attempts THEN \(bind: nowMS) ELSE NULL END,
                    last_error = 'the worker stopped renewing its lease (it crashed or was killed)',
                    lease_owner = NULL, lease_expires_ms = NULL, run_after_ms = \(bind: nowMS)
                WHERE status = 'running' AND lease_expires_ms < \(bind: nowMS)
                RETURNING id
                """).all().count
        }
    }

    /// Takes the next due job for `owner`, holding it for `lease`; nil when none is due.
    /// Expired leases are released first.
    public func claim(owner: String, lease: Duration, kinds: [String]? = nil, now: Date = Date()) async throws -> Job? {
        try await reapExpired(now: now)
        let nowMS = now.epochMilliseconds, expires = now.addingTimeInterval(lease.inSeconds).epochMilliseconds
        let kindFilter: SQLQueryString = kinds.map { "AND kind IN (\(binds: $0))" } ?? ""
        let lock: SQLQueryString = engine == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = \(bind: owner),
                    lease_expires_ms = \(bind: expires), worked_by = \(bind: owner), started_ms = \(bind: nowMS), finished_ms = NULL
                WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_after_ms <= \(bind: nowMS) \(kindFilter)
                            ORDER BY run_after_ms, id LIMIT 1 \(lock))
                  AND status = 'queued'
                RETURNING \(Self.columns)
                """).first().map(Self.job)
        }
    }

    /// Renews the lease of a job this owner holds. False when the lease was lost (it
    /// expired and the job went to someone else): the caller should stop working on it.
    public func renew(id: Int, owner: String, lease: Duration, now: Date = Date()) async throws -> Bool {
        let expires = now.addingTimeInterval(lease.inSeconds).epochMilliseconds
        return try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE jobs SET lease_expires_ms = \(bind: expires)
                WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND status = 'running' RETURNING id
                """).first() != nil
        }
    }

    /// Records the pipeline run a job is making, as soon as it starts.
    public func attachRun(id: Int, owner: String, runID: Int) async throws {
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE jobs SET run_id = \(bind: runID) WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND status = 'running'
                """).run()
        }
    }

    /// Marks a job this owner holds as done. False when the lease had been lost.
    @discardableResult
    public func complete(id: Int, owner: String, runID: Int? = nil, now: Date = Date()) async throws -> Bool {
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE jobs SET status = 'succeeded', finished_ms = \(bind: now.epochMilliseconds), lease_owner = NULL,
                    lease_expires_ms = NULL, last_error = NULL, run_id = COALESCE(\(bind: runID), run_id)
                WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND status = 'running' RETURNING id
                """).first() != nil
        }
    }

    /// Records a failed attempt: the job is queued again after a back-off pause, or marked
    /// failed after its last attempt. Returns the new status (nil when the lease was lost).
    @discardableResult
    public func fail(id: Int, owner: String, error: String, runID: Int? = nil, now: Date = Date()) async throws -> Job.Status? {
        let nowMS = now.epochMilliseconds
        let base = max(1, Int64(retryBase.inMilliseconds))
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            guard let row = try await sql.raw("""
                SELECT attempts, max_attempts FROM jobs
                WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND status = 'running'
                """).first() else { return nil }
            let attempts = try row.decode(column: "attempts", as: Int.self), maximum = try row.decode(column: "max_attempts", as: Int.self)
            let final = attempts >= maximum
            let pause = min(3_600_000, base << Int64(min(20, max(0, attempts - 1))))
            try await sql.raw("""
                UPDATE jobs SET status = \(bind: final ? "failed" : "queued"), last_error = \(bind: String(Redaction.scrubURLUserInfo(error).prefix(2000))),
                    lease_owner = NULL, lease_expires_ms = NULL, run_after_ms = \(bind: nowMS + (final ? 0 : pause)),
                    finished_ms = \(bind: final ? nowMS : nil), run_id = COALESCE(\(bind: runID), run_id)
                WHERE id = \(bind: id)
                """).run()
            return final ? .failed : .queued
        }
    }

    /// Hands a job back without counting the attempt (the worker is shutting down).
    public func release(id: Int, owner: String, now: Date = Date()) async throws {
        try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE jobs SET status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
                    lease_owner = NULL, lease_expires_ms = NULL, run_after_ms = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND status = 'running'
                """).run()
        }
    }

    /// Queues failed jobs again with fresh attempts: the given ids, or every failed job
    /// when `ids` is nil. Returns the ids queued again.
    public func retry(ids: [Int]?, now: Date = Date()) async throws -> [Int] {
        let filter: SQLQueryString = ids.map { "AND id IN (\(binds: $0.isEmpty ? [-1] : $0))" } ?? ""
        return try await db.writeTransaction { tx in
            try await tx.sqlDatabase().raw("""
                UPDATE jobs SET status = 'queued', attempts = 0, run_after_ms = \(bind: now.epochMilliseconds), finished_ms = NULL
                WHERE status = 'failed' \(filter) RETURNING id
                """).all().map { try $0.decode(column: "id", as: Int.self) }.sorted()
        }
    }

    public func job(id: Int) async throws -> Job? {
        try await sql.raw("SELECT \(Self.columns) FROM jobs WHERE id = \(bind: id)").first().map(Self.job)
    }

    /// Jobs newest first, optionally of one status.
    public func list(status: Job.Status? = nil, limit: Int = 50) async throws -> [Job] {
        let filter: SQLQueryString = status.map { "WHERE status = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("SELECT \(Self.columns) FROM jobs \(filter) ORDER BY id DESC LIMIT \(literal: max(1, limit))")
            .all().map(Self.job)
    }

    /// How many jobs are in each status (every status present, zero when none).
    public func depth() async throws -> [Job.Status: Int] {
        var result = Dictionary(uniqueKeysWithValues: Job.Status.allCases.map { ($0, 0) })
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() {
            if let status = Job.Status(rawValue: try row.decode(column: "status", as: String.self)) {
                result[status] = try row.decode(column: "n", as: Int.self)
            }
        }
        return result
    }

    /// Whether any job is queued (due or not) or running: `worker --drain` waits for these.
    public func hasUnfinished() async throws -> Bool {
        try await sql.raw("SELECT id FROM jobs WHERE status IN ('queued', 'running') LIMIT 1").first() != nil
    }

    /// When the next queued job becomes due, if any.
    public func nextDue() async throws -> Date? {
        try await sql.raw("SELECT MIN(run_after_ms) AS due FROM jobs WHERE status = 'queued'").first()?
            .decode(column: "due", as: Int64?.self).map(Self.date)
    }
}
