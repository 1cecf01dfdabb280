import FluentKit
import Foundation
import SpeakerCore
import SQLKit

/// The scheduler's record of which slots of each schedule were claimed.
///
/// A slot is claimed by inserting `(task, slot)`; the unique key lets exactly one process
/// win it however many schedulers are running, and the work of the slot is enqueued in
/// the same transaction, so a crash cannot claim a slot without queuing its work.
public struct ScheduleSlots: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    public enum Outcome: Sendable, Equatable {
        /// This process claimed the slot and its work was enqueued.
        case fired
        /// First sight of this schedule: the slot was recorded as the starting point, and
        /// nothing runs until the next slot.
        case baseline
        /// The slot (or a later one) was already claimed, here or by another process.
        case alreadyClaimed
    }

    /// Claims `slot` of `task` unless it or a later slot is already claimed, running
    /// `enqueue` in the same transaction when it fires. Missed slots collapse into one:
    /// the caller passes only the latest slot due.
    public func claim(task: String, slot: Date, owner: String, now: Date = Date(),
                      enqueue: @escaping @Sendable (any Database) async throws -> Void) async throws -> Outcome {
        let slotMS = slot.epochMilliseconds, nowMS = now.epochMilliseconds
        return try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            let last = try await sql.raw("SELECT MAX(slot_ms) AS last FROM schedule_slots WHERE task = \(bind: task)").first()?
                .decode(column: "last", as: Int64?.self)
            if let last, last >= slotMS { return .alreadyClaimed }
            let fires = last != nil
            let inserted = try await sql.raw("""
                INSERT INTO schedule_slots (task, slot_ms, fired, owner, claimed_ms)
                VALUES (\(bind: task), \(bind: slotMS), \(bind: fires), \(bind: owner), \(bind: nowMS))
                ON CONFLICT DO NOTHING RETURNING id
                """).first() != nil
            guard inserted else { return .alreadyClaimed }
            guard fires else { return .baseline }
            try await enqueue(tx)
            return .fired
        }
    }

    public struct Claimed: Sendable, Codable, Hashable {
        public var task: String
        public var slot: Date
        public var fired: Bool
        public var owner: String
    }

    /// Claimed slots, newest first.
    public func recent(task: String? = nil, limit: Int = 50) async throws -> [Claimed] {
        let filter: SQLQueryString = task.map { "WHERE task = \(bind: $0)" } ?? ""
        return try await db.sqlDatabase().raw("""
            SELECT task, slot_ms, fired, owner FROM schedule_slots \(filter) ORDER BY slot_ms DESC, id DESC LIMIT \(literal: max(1, limit))
            """).all().map {
            Claimed(task: try $0.decode(column: "task", as: String.self), slot: JobQueue.date(try $0.decode(column: "slot_ms", as: Int64.self)),
                    fired: try $0.decode(column: "fired", as: Bool.self), owner: try $0.decode(column: "owner", as: String.self))
        }
    }
}
