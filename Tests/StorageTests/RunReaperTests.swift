import FluentKit
import Foundation
import SQLKit
import Storage
import Testing
import TestSupport

/// A run whose process was killed is marked interrupted, not left "running" for ever.
@Suite("Interrupted runs")
struct RunReaperTests {
    /// The id of a process that has exited.
    static func deadPID() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return Int(process.processIdentifier)
    }

    @Test func runsOfGoneProcessesOnThisHostAreMarkedInterrupted() async throws {
        try await TestDatabase.with { database in
            func add(host: String?, pid: Int?) async throws -> Int {
                let run = PipelineRun(kind: "pipeline", trigger: "cli")
                run.host = host
                run.pid = pid
                try await run.create(on: database.db)
                return try #require(run.id)
            }
            let killed = try await add(host: RunReaper.hostName, pid: try Self.deadPID())
            let mine = try await add(host: RunReaper.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier))
            let elsewhere = try await add(host: "another-machine", pid: try Self.deadPID())
            let legacy = try await add(host: nil, pid: nil)
            func status(_ id: Int) async throws -> String? { try await PipelineRun.find(id, on: database.db)?.status }

            #expect(try await RunReaper.markInterrupted(on: database.db, processStart: false) == [killed])
            #expect(try await status(killed) == "interrupted")
            #expect(try await PipelineRun.find(killed, on: database.db)?.error?.contains("ended before the run did") == true)
            #expect(try await PipelineRun.find(killed, on: database.db)?.finishedAt != nil)
            #expect(try await status(mine) == "running", "this live process's own run goes on")
            #expect(try await status(elsewhere) == "running", "another machine's processes are not ours to judge")
            #expect(try await status(legacy) == "running")
            // A process that has just started owns no run yet: one with its pid is an earlier
            // process's (a restarted container's pid 1).
            #expect(try await RunReaper.markInterrupted(on: database.db, processStart: true) == [mine])
            #expect(try await RunReaper.markInterrupted(on: database.db, processStart: true) == [], "marking twice changes nothing")
        }
    }
}
