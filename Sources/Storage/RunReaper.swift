import FluentKit
import Foundation
import SQLKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marks runs whose process is gone as `interrupted`. A run records its host and process
/// id; a run still "running" on this host whose process no longer exists was killed or
/// crashed (its work so far is stored, and the next run resumes it). Runs of other hosts
/// are left to their own machine, and runs of running worker jobs to the job queue's lease
/// reaper (`JobQueue.reapExpired`), which also retries the job.
public enum RunReaper {
    /// The machine's name from gethostname(2) (no DNS lookup).
    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// `processStart`: this process has just started and records no run yet, so a run
    /// bearing its own pid belongs to an earlier process that had the same pid (a
    /// restarted container's pid 1). Returns the ids marked.
    @discardableResult
    public static func markInterrupted(on db: any Database, processStart: Bool, now: Date = Date()) async throws -> [Int] {
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT id, pid FROM pipeline_runs WHERE status = 'running' AND host = \(bind: hostName) AND pid IS NOT NULL
                AND id NOT IN (SELECT run_id FROM jobs WHERE run_id IS NOT NULL AND status = 'running')
            """).all()
        let ownPID = Int(getpid())
        var gone: [(id: Int, pid: Int)] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self), pid = try row.decode(column: "pid", as: Int.self)
            let alive = pid == ownPID ? !processStart : isAlive(pid)
            if !alive { gone.append((id, pid)) }
        }
        guard !gone.isEmpty else { return [] }
        let marked = gone
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            for run in marked {
                try await sql.raw("""
                    UPDATE pipeline_runs SET status = 'interrupted', finished_at = \(bind: now),
                        error = \(bind: "its process (pid \(run.pid) on \(hostName)) ended before the run did (killed or crashed); what it stored is kept and the next run resumes")
                    WHERE id = \(bind: run.id) AND status = 'running'
                    """).run()
            }
        }
        return marked.map(\.id)
    }

    /// Whether a process with this id exists (a process of another user counts).
    static func isAlive(_ pid: Int) -> Bool {
        guard pid > 0, pid <= Int(Int32.max) else { return false }
        if kill(pid_t(pid), 0) == 0 { return true }
        return errno == EPERM
    }
}
