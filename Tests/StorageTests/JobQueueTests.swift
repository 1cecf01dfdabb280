import FluentKit
import Foundation
import Logging
import SpeakerCore
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

struct Nothing: Codable, Sendable {}

final class Counter: Sendable {
    let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}

@Suite("Job queue and schedule slots")
struct JobQueueTests {
    @Test func aJobIsClaimedCompletedAndNotClaimedAgain() async throws {
        try await TestDatabase.with { database in
            let queue = try JobQueue(database.db)
            let id = try #require(try await queue.enqueue(kind: "backup", payload: Nothing(), trigger: "cli"))
            let job = try #require(try await queue.claim(owner: "a", lease: .seconds(60)))
            #expect(job.id == id && job.status == .running && job.attempts == 1 && job.leaseOwner == "a")
            #expect(try await queue.claim(owner: "b", lease: .seconds(60)) == nil, "a running job with a live lease is not handed out")
            #expect(try await queue.complete(id: id, owner: "b") == false, "only the lease holder completes a job")
            #expect(try await queue.complete(id: id, owner: "a"))
            let done = try #require(try await queue.job(id: id))
            #expect(done.status == .succeeded && done.leaseOwner == nil && done.workedBy == "a" && done.finished != nil)
            #expect(try await queue.claim(owner: "a", lease: .seconds(60)) == nil)
            #expect(try await queue.depth()[.succeeded] == 1)
        }
    }

    @Test func aDedupeKeyKeepsOneQueuedOrRunningJob() async throws {
        try await TestDatabase.with { database in
            let queue = try JobQueue(database.db)
            let first = try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", dedupeKey: "pipeline:source:1")
            #expect(first != nil)
            #expect(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", dedupeKey: "pipeline:source:1") == nil)
            #expect(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", dedupeKey: "pipeline:source:2") != nil)
            let job = try #require(try await queue.claim(owner: "a", lease: .seconds(60)))
            #expect(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", dedupeKey: "pipeline:source:1") == nil, "running counts too")
            try await queue.complete(id: job.id, owner: "a")
            #expect(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", dedupeKey: "pipeline:source:1") != nil, "after it finished, a new one may be queued")
        }
    }

    @Test func failuresBackOffThenFailAndCanBeRetried() async throws {
        try await TestDatabase.with { database in
            var queue = try JobQueue(database.db)
            queue.retryBase = .seconds(10)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let id = try #require(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", maxAttempts: 2, now: start))
            _ = try #require(try await queue.claim(owner: "a", lease: .seconds(60), now: start))
            #expect(try await queue.fail(id: id, owner: "a", error: "site down", now: start) == .queued)
            let waiting = try #require(try await queue.job(id: id))
            #expect(waiting.status == .queued && waiting.lastError == "site down")
            #expect(abs(waiting.runAfter.timeIntervalSince(start) - 10) < 0.01, "the first retry waits retryBase")
            #expect(try await queue.claim(owner: "a", lease: .seconds(60), now: start.addingTimeInterval(9)) == nil, "not due yet")
            let second = try #require(try await queue.claim(owner: "a", lease: .seconds(60), now: start.addingTimeInterval(11)))
            #expect(second.attempts == 2)
            #expect(try await queue.fail(id: id, owner: "a", error: "still down", now: start.addingTimeInterval(12)) == .failed)
            #expect(try await queue.job(id: id)?.status == .failed)
            #expect(try await queue.claim(owner: "a", lease: .seconds(60), now: start.addingTimeInterval(10_000)) == nil)
            #expect(try await queue.retry(ids: nil, now: start.addingTimeInterval(20)) == [id])
            let retried = try #require(try await queue.job(id: id))
            #expect(retried.status == .queued && retried.attempts == 0)
            #expect(try await queue.retry(ids: [id]) == [], "only failed jobs are retried")
        }
    }

    @Test func anExpiredLeaseIsTakenOverAndTheOldOwnerCannotFinish() async throws {
        try await TestDatabase.with { database in
            let queue = try JobQueue(database.db)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let id = try #require(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", maxAttempts: 2, now: start))
            _ = try #require(try await queue.claim(owner: "dead", lease: .seconds(30), now: start))
            #expect(try await queue.renew(id: id, owner: "dead", lease: .seconds(30), now: start.addingTimeInterval(10)))
            #expect(try await queue.claim(owner: "b", lease: .seconds(30), now: start.addingTimeInterval(39)) == nil, "the renewed lease still holds")
            let taken = try #require(try await queue.claim(owner: "b", lease: .seconds(30), now: start.addingTimeInterval(41)))
            #expect(taken.id == id && taken.attempts == 2 && taken.leaseOwner == "b")
            #expect(taken.lastError?.contains("lease") == true)
            #expect(try await queue.renew(id: id, owner: "dead", lease: .seconds(30), now: start.addingTimeInterval(42)) == false)
            #expect(try await queue.complete(id: id, owner: "dead") == false)
            #expect(try await queue.complete(id: id, owner: "b"))
            // A job whose last attempt's lease expires is failed, not retried forever.
            let other = try #require(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli", maxAttempts: 1, now: start))
            _ = try #require(try await queue.claim(owner: "dead", lease: .seconds(30), now: start.addingTimeInterval(50)))
            #expect(try await queue.reapExpired(now: start.addingTimeInterval(100)) == 1)
            #expect(try await queue.job(id: other)?.status == .failed)
        }
    }

    @Test func handingBackAtShutdownDoesNotCountTheAttempt() async throws {
        try await TestDatabase.with { database in
            let queue = try JobQueue(database.db)
            let id = try #require(try await queue.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli"))
            _ = try #require(try await queue.claim(owner: "a", lease: .seconds(60)))
            try await queue.release(id: id, owner: "a")
            let job = try #require(try await queue.job(id: id))
            #expect(job.status == .queued && job.attempts == 0 && job.leaseOwner == nil)
        }
    }

    /// Many claimers in two separate connection pools (as two processes would have) take
    /// every job exactly once.
    @Test func concurrentClaimersNeverTakeTheSameJob() async throws {
        try await TestDatabase.with { database in
            let total = 120
            let seed = try JobQueue(database.db)
            for _ in 0..<total { _ = try await seed.enqueue(kind: "pipeline", payload: Nothing(), trigger: "cli") }
            let other = try await StorageContext.open(database.location, logger: Logger(label: "test"))
            let claimed = try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<8 {
                    let db = worker % 2 == 0 ? database.db : other.database
                    group.addTask {
                        let queue = try JobQueue(db)
                        var mine: [Int] = []
                        while let job = try await queue.claim(owner: "w\(worker)", lease: .seconds(60)) {
                            mine.append(job.id)
                            #expect(try await queue.complete(id: job.id, owner: "w\(worker)"))
                        }
                        return mine
                    }
                }
                var all: [Int] = []
                for try await part in group { all += part }
                return all
            }
            await other.shutdown()
            #expect(claimed.count == total, "every job was claimed")
            #expect(Set(claimed).count == total, "no job was claimed twice")
            #expect(try await seed.depth()[.succeeded] == total)
        }
    }

    @Test func twoSchedulersFireOneSlotOnceAndMissedSlotsCollapse() async throws {
        try await TestDatabase.with { database in
            let other = try await StorageContext.open(database.location, logger: Logger(label: "test"))
            let day: TimeInterval = 86_400
            let first = Date(timeIntervalSince1970: 1_800_000_000)
            let enqueued = Counter()
            let claim: @Sendable (any Database, Date, String) async throws -> ScheduleSlots.Outcome = { db, slot, owner in
                try await ScheduleSlots(db).claim(task: "pipeline", slot: slot, owner: owner) { tx in
                    try await JobQueue(tx).enqueue(kind: "pipeline", payload: Nothing(), trigger: "scheduler")
                    enqueued.add()
                }
            }
            #expect(try await claim(database.db, first, "a") == .baseline, "first sight records a starting point only")
            #expect(enqueued.count == 0)
            // The next slot, claimed by many schedulers in two pools at once.
            let next = first.addingTimeInterval(day)
            let outcomes = try await withThrowingTaskGroup(of: ScheduleSlots.Outcome.self) { group in
                for index in 0..<6 {
                    group.addTask { try await claim(index % 2 == 0 ? database.db : other.database, next, "s\(index)") }
                }
                var all: [ScheduleSlots.Outcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == .fired }.count == 1)
            #expect(outcomes.filter { $0 == .alreadyClaimed }.count == 5)
            #expect(enqueued.count == 1)
            // Down for a week: the latest slot fires once; older ones are not replayed.
            let weekLater = next.addingTimeInterval(7 * day)
            #expect(try await claim(other.database, weekLater, "b") == .fired)
            #expect(try await claim(database.db, next.addingTimeInterval(3 * day), "a") == .alreadyClaimed)
            #expect(enqueued.count == 2)
            #expect(try await JobQueue(database.db).depth()[.queued] == 2)
            let slots = try await ScheduleSlots(database.db).recent(task: "pipeline")
            #expect(slots.map(\.fired) == [true, true, false])
            await other.shutdown()
        }
    }

    /// A slot's jobs and the slot itself are one transaction: a failure while queuing
    /// leaves the slot unclaimed, so the next tick tries again.
    @Test func aSlotIsNotClaimedWhenItsWorkCannotBeQueued() async throws {
        try await TestDatabase.with { database in
            let slots = ScheduleSlots(database.db)
            let first = Date(timeIntervalSince1970: 1_800_000_000)
            _ = try await slots.claim(task: "backup", slot: first, owner: "a") { _ in }
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                _ = try await slots.claim(task: "backup", slot: first.addingTimeInterval(60), owner: "a") { _ in throw Boom() }
            }
            #expect(try await slots.claim(task: "backup", slot: first.addingTimeInterval(60), owner: "a") { _ in } == .fired)
        }
    }
}
