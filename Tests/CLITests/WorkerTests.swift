import Foundation
import Logging
import SQLKit
import Storage
import Testing
import TestSupport
import Vapor

/// `speakerdb worker` processes against one SQLite database: crashes, concurrency and
/// schedules, with real processes and a real HTTP fixture site.
@Suite("Workers, the job queue and the scheduler", .serialized)
struct WorkerTests {
    /// `sources` event sites, each a listing of `pages` talks with one speaker per talk;
    /// a talk page takes `delay` to answer.
    static func routes(sources: Int, pages: Int, delay: Duration) -> (Application) throws -> Void {
        { app in
            for site in 1...sources {
                app.get("s\(site)", "events") { _ -> Response in
                    let links = (1...pages).map { "<li><a href=\"/s\(site)/talks/2024/talk-\($0)\">Talk \($0) of site \(site) on trade</a></li>" }.joined()
                    return .html("<html><body><main><ul>\(links)</ul></main></body></html>")
                }
                app.get("s\(site)", "talks", "2024", ":slug") { request async throws -> Response in
                    try await Task.sleep(for: delay)
                    let slug = request.parameters.get("slug") ?? ""
                    let number = Int(slug.split(separator: "-").last ?? "") ?? 0
                    let speaker = WorkerTests.speakerName(site: site, talk: number)
                    return .html("""
                        <html><head><title>Site \(site) \(slug)</title></head><body><main>
                        <h1>Site \(site) \(slug)</h1><p>12 March 2024</p>
                        <h2>Speakers</h2><ul><li><strong>\(speaker)</strong>, Director, Institute \(site)-\(number)</li></ul>
                        </main></body></html>
                        """)
                }
            }
        }
    }

    static let first = ["Amara", "Jonas", "Priya", "Kenji", "Leila", "Henrik", "Zanele", "Mateo", "Ingrid", "Omar"]
    static let last = ["Okafor", "Becker", "Sharma", "Sato", "Haddad", "Eriksen", "Ndlovu", "Silva", "Solberg", "Farouk"]
    /// A different person for every talk (up to ten sites of ten talks).
    static func speakerName(site: Int, talk: Int) -> String {
        "\(first[talk % 10]) \(last[site % 10])"
    }

    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["LOG_LEVEL": "error", "JOB_LEASE_SECONDS": "2"].merging(extra) { $1 }
    }

    func addSources(_ server: FixtureServer, count: Int, directory: URL) throws {
        for site in 1...count {
            let added = try CLIRun.run(["sources", "add", server.base + "/s\(site)/events", "--fetcher", "http"], directory: directory)
            #expect(added.status == 0, "\(added.stderr)")
        }
    }

    func startWorker(_ arguments: [String], directory: URL, environment: [String: String] = WorkerTests.environment()) throws -> Process {
        let process = Process()
        process.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb")
        process.arguments = ["worker"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"].merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func jobs(_ directory: URL) throws -> [[String: Any]] {
        let listed = try CLIRun.run(["jobs", "list", "--json", "--limit", "500"], directory: directory)
        return (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    func openDatabase(_ directory: URL) async throws -> StorageContext {
        try await StorageContext.open(.sqlite(path: directory.appendingPathComponent("data/speakers.db").path), logger: Logger(label: "test"))
    }

    func count(_ sql: SQLQueryString, _ context: StorageContext) async throws -> Int {
        try await context.sql.raw(sql).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// SIGKILL a worker in the middle of a job; the next worker takes the job over once
    /// its lease expires, and every job ends done once, with every page and speaker stored once.
    @Test func aKilledWorkersJobIsFinishedByTheNextWithNothingTwice() async throws {
        let sources = 4, pages = 8
        try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(120))) { server in
            let directory = try TemporaryDirectory.make(prefix: "worker-kill")
            defer { try? FileManager.default.removeItem(at: directory) }
            try addSources(server, count: sources, directory: directory)
            let queued = try CLIRun.run(["jobs", "enqueue", "pipeline", "--no-delay"], directory: directory)
            #expect(queued.status == 0 && queued.stdout.contains("queued jobs 1, 2, 3, 4"), "\(queued.stdout)\(queued.stderr)")

            let worker = try startWorker(["--drain", "--no-scheduler"], directory: directory)
            let deadline = Date().addingTimeInterval(60)
            // Kill it in the middle of the second source's pages.
            while server.requests("/s2/events") == 0 || (1...pages).filter({ server.requests("/s2/talks/2024/talk-\($0)") > 0 }).count < 3 {
                guard Date() < deadline else { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(worker.processIdentifier, SIGKILL)
            worker.waitUntilExit()
            let before = try jobs(directory)
            #expect(before.contains { $0["status"] as? String == "running" }, "the kill landed while a job was running")

            let next = try CLIRun.run(["worker", "--drain", "--no-scheduler"], environment: Self.environment(), directory: directory)
            #expect(next.status == 0, "\(next.stderr)")
            let after = try jobs(directory)
            #expect(after.count == sources)
            #expect(after.allSatisfy { $0["status"] as? String == "succeeded" }, "\(after)")
            let attempts = after.compactMap { $0["attempts"] as? Int }.sorted()
            #expect(attempts == [1, 1, 1, 2], "only the interrupted job ran twice: \(attempts)")

            let context = try await openDatabase(directory)
            #expect(try await count("SELECT COUNT(*) AS n FROM events", context) == sources * pages)
            #expect(try await count("SELECT COUNT(DISTINCT url) AS n FROM events", context) == sources * pages)
            #expect(try await count("SELECT COUNT(*) AS n FROM appearances", context) == sources * pages, "one appearance per talk, none twice")
            #expect(try await count("SELECT COUNT(*) AS n FROM speakers", context) == sources * pages)
            #expect(try await count("SELECT COUNT(*) AS n FROM pipeline_runs WHERE status = 'succeeded'", context) == sources)
            #expect(try await count("SELECT COUNT(*) AS n FROM pipeline_runs WHERE status = 'running'", context) == 0, "no run is left 'running'")
            #expect(try await count("SELECT COUNT(*) AS n FROM pipeline_runs WHERE status = 'failed' AND error LIKE '%worker running it stopped%'", context) == 1)
            await context.shutdown()
            // Only pages in flight when the worker died may have been fetched twice.
            let twice = server.requestedPaths.filter { $0.key.contains("/talks/") && $0.value > 1 }
            #expect(twice.count <= 2, "\(twice)")
        }
    }

    /// Two workers started together on one database share the jobs and never run one twice.
    @Test func twoWorkersNeverRunTheSameJob() async throws {
        let sources = 6, pages = 4
        try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(100))) { server in
            let directory = try TemporaryDirectory.make(prefix: "worker-pair")
            defer { try? FileManager.default.removeItem(at: directory) }
            try addSources(server, count: sources, directory: directory)
            #expect(try CLIRun.run(["jobs", "enqueue", "pipeline", "--no-delay"], directory: directory).status == 0)
            let workers = try (0..<2).map { _ in try startWorker(["--drain", "--no-scheduler"], directory: directory) }
            for worker in workers { worker.waitUntilExit() }
            #expect(workers.allSatisfy { $0.terminationStatus == 0 })
            let done = try jobs(directory)
            #expect(done.count == sources && done.allSatisfy { $0["status"] as? String == "succeeded" && $0["attempts"] as? Int == 1 })
            #expect(Set(done.compactMap { $0["worked_by"] as? String }).count == 2, "both workers took jobs")
            // Every page of every site was fetched exactly once: no job ran twice.
            for site in 1...sources {
                #expect(server.requests("/s\(site)/events") == 1)
                for page in 1...pages { #expect(server.requests("/s\(site)/talks/2024/talk-\(page)") == 1) }
            }
        }
    }

    /// Two workers with the same SCHEDULE start at once after a slot came due: the slot
    /// fires once, and each source's pipeline runs once.
    @Test func twoSchedulersFireADueSlotOnce() async throws {
        let sources = 3, pages = 2
        try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(20))) { server in
            let directory = try TemporaryDirectory.make(prefix: "worker-schedule")
            defer { try? FileManager.default.removeItem(at: directory) }
            try addSources(server, count: sources, directory: directory)
            let environment = Self.environment(["SCHEDULE": "0 * * * *", "CRAWL_DELAY_SECONDS": "0"])
            // First sight of the schedule: a starting point, no run.
            let first = try CLIRun.run(["worker", "--drain"], environment: environment, directory: directory)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try jobs(directory).isEmpty)
            // Pretend the last slot claimed was three hours ago: two slots were missed meanwhile.
            let context = try await openDatabase(directory)
            try await context.sql.raw("UPDATE schedule_slots SET slot_ms = slot_ms - 3 * 3600000").run()
            await context.shutdown()

            let workers = try (0..<2).map { _ in try startWorker(["--drain"], directory: directory, environment: environment) }
            for worker in workers { worker.waitUntilExit() }
            let done = try jobs(directory)
            #expect(done.count == sources, "one pipeline job per source, not one per missed slot or per scheduler: \(done.count)")
            #expect(done.allSatisfy { $0["status"] as? String == "succeeded" && $0["trigger"] as? String == "scheduler" })
            let check = try await openDatabase(directory)
            #expect(try await count("SELECT COUNT(*) AS n FROM schedule_slots WHERE fired = \(bind: true)", check) == 1)
            await check.shutdown()
            for site in 1...sources { #expect(server.requests("/s\(site)/events") == 1) }
        }
    }
}
