import AsyncHTTPClient
import Embeddings
import Crawling
import Foundation
import Logging
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor

extension ProcessTests {
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
            ["LOG_LEVEL": "error", "JOB_LEASE_SECONDS": "2", "ALLOW_PRIVATE_ADDRESSES": "true"].merging(extra) { $1 }
        }

        /// One installation for a test: a working folder, and the database the processes
        /// share — SQLite in the folder, or in the test command's PostgreSQL pass a fresh
        /// PostgreSQL database (`DATABASE_URL`), so the same tests cover both engines.
        final class Deployment: Sendable {
            let directory: URL
            let environment: [String: String]
            let database: TestDatabase?

            /// `migrated: false` leaves the database empty, for processes that migrate it themselves.
            init(migrated: Bool = true) async throws {
                directory = try TemporaryDirectory.make(prefix: "workers")
                if TestDatabase.postgresServer != nil {
                    let database = try await TestDatabase.make(migrate: migrated)
                    guard case .postgres(let url) = database.location else { throw CancellationError() }
                    environment = WorkerTests.environment(["DATABASE_URL": url])
                    self.database = database
                } else {
                    environment = WorkerTests.environment()
                    database = nil
                }
            }

            var location: DatabaseLocation {
                database?.location ?? .sqlite(path: directory.appendingPathComponent("data/speakers.db").path)
            }

            func run(_ arguments: [String], _ extra: [String: String] = [:]) throws -> CLIRun {
                try CLIRun.run(arguments, environment: environment.merging(extra) { $1 }, directory: directory)
            }

            func start(_ arguments: [String], _ extra: [String: String] = [:]) throws -> Process {
                let process = Process()
                process.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb")
                process.arguments = arguments
                process.currentDirectoryURL = directory
                process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"].merging(environment.merging(extra) { $1 }) { $1 }
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }

            func jobs() throws -> [[String: Any]] {
                let listed = try run(["jobs", "list", "--json", "--limit", "500"])
                return (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
            }

            func open() async throws -> StorageContext {
                try await StorageContext.open(location, logger: Logger(label: "test"))
            }

            func addSources(_ server: FixtureServer, count: Int) throws {
                for site in 1...count {
                    let added = try run(["sources", "add", server.base + "/s\(site)/events", "--fetcher", "http"])
                    #expect(added.status == 0, "\(added.stderr)")
                }
            }

            func close() async {
                await database?.close()
                try? FileManager.default.removeItem(at: directory)
            }
        }

        /// Runs `body` with a fresh deployment and always removes it.
        func withDeployment(migrated: Bool = true, _ body: (Deployment) async throws -> Void) async throws {
            let deployment = try await Deployment(migrated: migrated)
            do {
                try await body(deployment)
                await deployment.close()
            } catch {
                await deployment.close()
                throw error
            }
        }

        func count(_ sql: SQLQueryString, _ context: StorageContext) async throws -> Int {
            try await context.sql.raw(sql).first()?.decode(column: "n", as: Int.self) ?? -1
        }

        /// SIGKILL a worker in the middle of a job; the next worker takes the job over once
        /// its lease expires, and every job ends done once, with every page and speaker stored once.
        @Test func aKilledWorkersJobIsFinishedByTheNextWithNothingTwice() async throws {
            let sources = 4, pages = 8
            try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(120))) { server in
                try await withDeployment { deployment in
                    try deployment.addSources(server, count: sources)
                    let queued = try deployment.run(["jobs", "enqueue", "pipeline", "--no-delay"])
                    #expect(queued.status == 0 && queued.stdout.contains("queued jobs 1, 2, 3, 4"), "\(queued.stdout)\(queued.stderr)")

                    let worker = try deployment.start(["worker", "--drain", "--no-scheduler"])
                    let deadline = Date().addingTimeInterval(60)
                    // Kill it in the middle of the second source's pages.
                    while server.requests("/s2/events") == 0 || (1...pages).filter({ server.requests("/s2/talks/2024/talk-\($0)") > 0 }).count < 3 {
                        guard Date() < deadline else { break }
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    kill(worker.processIdentifier, SIGKILL)
                    worker.waitUntilExit()
                    let before = try deployment.jobs()
                    #expect(before.contains { $0["status"] as? String == "running" }, "the kill landed while a job was running")

                    let next = try deployment.run(["worker", "--drain", "--no-scheduler"])
                    #expect(next.status == 0, "\(next.stderr)")
                    let after = try deployment.jobs()
                    #expect(after.count == sources)
                    #expect(after.allSatisfy { $0["status"] as? String == "succeeded" }, "\(after)")
                    let attempts = after.compactMap { $0["attempts"] as? Int }.sorted()
                    #expect(attempts == [1, 1, 1, 2], "only the interrupted job ran twice: \(attempts)")

                    let context = try await deployment.open()
                    #expect(try await count("SELECT COUNT(*) AS n FROM events", context) == sources * pages)
                    #expect(try await count("SELECT COUNT(DISTINCT url) AS n FROM events", context) == sources * pages)
                    #expect(try await count("SELECT COUNT(*) AS n FROM appearances", context) == sources * pages, "one appearance per talk, none twice")
                    #expect(try await count("SELECT COUNT(*) AS n FROM speakers", context) == sources * pages)
                    #expect(try await count("SELECT COUNT(*) AS n FROM pipeline_runs WHERE status = 'succeeded'", context) == sources)
                    #expect(try await count("SELECT COUNT(*) AS n FROM pipeline_runs WHERE status = 'running'", context) == 0, "no run is left 'running'")
                    #expect(try await count("SELECT COUNT(*) AS n FROM pipeline_runs WHERE status = 'failed' AND error LIKE '%worker running it stopped%'", context) == 1)
                    await context.shutdown()
                    // Only pages in flight when the worker died (two at a time per host), or
                    // fetched but not yet stored, may have been fetched twice.
                    let twice = server.requestedPaths.filter { $0.key.contains("/talks/") && $0.value > 1 }
                    #expect(twice.count <= 4, "\(twice)")
                }
            }
        }

        /// Two workers started together on one database share the jobs and never run one twice.
        @Test func twoWorkersNeverRunTheSameJob() async throws {
            let sources = 6, pages = 4
            try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(100))) { server in
                try await withDeployment { deployment in
                    try deployment.addSources(server, count: sources)
                    #expect(try deployment.run(["jobs", "enqueue", "pipeline", "--no-delay"]).status == 0)
                    let workers = try (0..<2).map { _ in try deployment.start(["worker", "--drain", "--no-scheduler"]) }
                    for worker in workers { worker.waitUntilExit() }
                    #expect(workers.allSatisfy { $0.terminationStatus == 0 })
                    let done = try deployment.jobs()
                    #expect(done.count == sources && done.allSatisfy { $0["status"] as? String == "succeeded" && $0["attempts"] as? Int == 1 })
                    #expect(Set(done.compactMap { $0["worked_by"] as? String }).count == 2, "both workers took jobs")
                    // Every page of every site was fetched exactly once: no job ran twice.
                    for site in 1...sources {
                        #expect(server.requests("/s\(site)/events") == 1)
                        for page in 1...pages { #expect(server.requests("/s\(site)/talks/2024/talk-\(page)") == 1) }
                    }
                }
            }
        }

        /// Two workers with the same SCHEDULE start at once after a slot came due: the slot
        /// fires once, and each source's pipeline runs once.
        @Test func twoSchedulersFireADueSlotOnce() async throws {
            let sources = 3, pages = 2
            try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(20))) { server in
                try await withDeployment { deployment in
                    try deployment.addSources(server, count: sources)
                    let schedule = ["SCHEDULE": "0 * * * *", "CRAWL_DELAY_SECONDS": "0"]
                    // First sight of the schedule: a starting point, no run.
                    let first = try deployment.run(["worker", "--drain"], schedule)
                    #expect(first.status == 0, "\(first.stderr)")
                    #expect(try deployment.jobs().isEmpty)
                    // Pretend the last slot claimed was three hours ago: two slots were missed meanwhile.
                    let context = try await deployment.open()
                    try await context.sql.raw("UPDATE schedule_slots SET slot_ms = slot_ms - 3 * 3600000").run()
                    await context.shutdown()

                    let workers = try (0..<2).map { _ in try deployment.start(["worker", "--drain"], schedule) }
                    for worker in workers { worker.waitUntilExit() }
                    let done = try deployment.jobs()
                    #expect(done.count == sources, "one pipeline job per source, not one per missed slot or per scheduler: \(done.count)")
                    #expect(done.allSatisfy { $0["status"] as? String == "succeeded" && $0["trigger"] as? String == "scheduler" })
                    let check = try await deployment.open()
                    #expect(try await count("SELECT COUNT(*) AS n FROM schedule_slots WHERE fired = \(bind: true)", check) == 1)
                    await check.shutdown()
                    for site in 1...sources { #expect(server.requests("/s\(site)/events") == 1) }
                }
            }
        }

        /// SIGTERM while a job runs: the worker hands the job back (queued, the attempt not
        /// counted) and exits cleanly; the next worker finishes it.
        @Test func aStoppedWorkerHandsItsJobBack() async throws {
            try await FixtureServer.with(routes: Self.routes(sources: 1, pages: 10, delay: .milliseconds(300))) { server in
                try await withDeployment { deployment in
                    try deployment.addSources(server, count: 1)
                    #expect(try deployment.run(["jobs", "enqueue", "pipeline", "--no-delay"]).status == 0)
                    let worker = try deployment.start(["worker", "--no-scheduler"], ["JOB_LEASE_SECONDS": "60"])
                    let deadline = Date().addingTimeInterval(30)
                    while (1...10).filter({ server.requests("/s1/talks/2024/talk-\($0)") > 0 }).count < 2 && Date() < deadline {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    let fetchedBeforeStop = (1...10).filter { server.requests("/s1/talks/2024/talk-\($0)") > 0 }.count
                    #expect(fetchedBeforeStop >= 2 && fetchedBeforeStop < 10, "the stop landed in the middle of the job (\(fetchedBeforeStop) of 10 pages)")
                    #expect(try deployment.jobs().first?["status"] as? String == "running")
                    let stopped = Date()
                    kill(worker.processIdentifier, SIGTERM)
                    worker.waitUntilExit()
                    // Not a timing test: a stop that waits out every page's retries (it used to) takes 30 s here.
                    #expect(Date().timeIntervalSince(stopped) < 15, "the stop waited for the crawl")
                    #expect(worker.terminationStatus == 0)
                    let handed = try #require(try deployment.jobs().first)
                    #expect(handed["status"] as? String == "queued" && handed["attempts"] as? Int == 0, "\(handed)")
                    let context = try await deployment.open()
                    #expect(try await count("SELECT COUNT(*) AS n FROM events WHERE fetch_state = 'failed' OR fetch_error LIKE '%ancel%'", context) == 0,
                            "pages cut off by the stop are left queued, not recorded as failures")
                    await context.shutdown()
                    // Not waiting for a lease: the next worker takes it at once.
                    let next = try deployment.run(["worker", "--drain", "--no-scheduler"], ["JOB_LEASE_SECONDS": "60"])
                    #expect(next.status == 0)
                    #expect(try deployment.jobs().first?["status"] as? String == "succeeded")
                }
            }
        }

        /// `serve --scheduler` runs queued jobs in the web process and records the schedule.
        @Test func serveWithTheSchedulerRunsJobs() async throws {
            try await withDeployment { deployment in
                guard TestDatabase.engine == .sqlite else { return }  // a backup job needs SQLite
                #expect(try deployment.run(["jobs", "enqueue", "backup"]).status == 0)
                let server = try deployment.start(["serve", "--scheduler", "--port", "5095"], ["SCHEDULE": "0 3 * * *"])
                let deadline = Date().addingTimeInterval(30)
                while try deployment.jobs().first?["status"] as? String != "succeeded" && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(try deployment.jobs().first?["status"] as? String == "succeeded")
                let backups = (try? FileManager.default.contentsOfDirectory(atPath: deployment.directory.appendingPathComponent("data/backups").path)) ?? []
                #expect(backups.filter { $0.hasSuffix(".db") }.count == 1)
                let context = try await deployment.open()
                #expect(try await count("SELECT COUNT(*) AS n FROM schedule_slots WHERE task = 'pipeline'", context) == 1, "the schedule's starting point is recorded")
                await context.shutdown()
                kill(server.processIdentifier, SIGTERM)
                server.waitUntilExit()
                #expect(server.terminationStatus == 0)
            }
        }

        /// Two web processes and two workers started together on one empty database (the
        /// way a platform starts a release): they take turns to migrate it, a session made
        /// on one web process works on the other (no sticky sessions needed), jobs queued
        /// through either web process are run once by one of the workers, and both web
        /// processes answer every request while the workers write.
        @Test func twoWebProcessesAndTwoWorkersShareOneDatabase() async throws {
            let sources = 4, pages = 6
            try await FixtureServer.with(routes: Self.routes(sources: sources, pages: pages, delay: .milliseconds(150))) { server in
                try await withDeployment(migrated: false) { deployment in
                    let first = try LoopbackPort.free()
                    var second = try LoopbackPort.free()
                    while second == first { second = try LoopbackPort.free() }
                    let ports = [first, second]
                    let settings = ["PUBLIC_READ": "true", "CRAWL_DELAY_SECONDS": "0"]
                    var processes = try ports.map { try deployment.start(["serve", "--port", String($0)], settings) }
                    processes += try (0..<2).map { _ in try deployment.start(["worker", "--no-scheduler"], settings) }

                    let http = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
                    do {
                        func get(_ port: Int, _ path: String, cookie: String? = nil) async throws -> (status: UInt, body: String) {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                            if let cookie { request.headers.add(name: "Cookie", value: cookie) }
                            let response = try await http.execute(request, timeout: .seconds(10))
                            return (response.status.code, String(buffer: try await response.body.collect(upTo: 4 << 20)))
                        }
                        func post(_ port: Int, _ path: String, form: String, cookie: String) async throws -> (status: UInt, headers: HTTPHeaders) {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                            request.method = .POST
                            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                            request.headers.add(name: "Cookie", value: cookie)
                            request.body = .bytes(ByteBuffer(string: form))
                            let response = try await http.execute(request, timeout: .seconds(10))
                            return (response.status.code, response.headers)
                        }

                        // Both web processes come up on the database they migrated in turns.
                        for (index, port) in ports.enumerated() {
                            var healthy = false
                            for _ in 0..<150 where !healthy && processes[index].isRunning {
                                try await Task.sleep(for: .milliseconds(200))
                                healthy = (try? await get(port, "/readyz"))?.status == 200
                            }
                            try #require(healthy, "web process on \(port) did not become ready")
                        }
                        try #require(processes.allSatisfy { $0.isRunning }, "every process is still running after the concurrent start")
                        let context = try await deployment.open()
                        #expect(try await context.appliedMigrations().count == AllMigrations.list.count, "each migration applied once")
                        await context.shutdown()

                        try deployment.addSources(server, count: sources)
                        let added = try deployment.run(["users", "add", "ops", "--role", "admin", "--generate"])
                        let password = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("password: ") }).dropFirst("password: ".count)

                        // Sign in on the first web process.
                        let signIn = try await post(ports[0], "/login", form: "username=ops&password=\(String(password).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&_csrf=abc123&next=/admin",
                                                    cookie: "speakerdb_login_csrf=abc123")
                        #expect(signIn.status == 303, "sign-in redirects")
                        let session = try #require(signIn.headers["Set-Cookie"].compactMap { header -> String? in
                            guard header.hasPrefix("speakerdb_session=") else { return nil }
                            return String(header.prefix { $0 != ";" })
                        }.first)
                        // The session works on the second web process too; its admin page carries the CSRF token.
                        let admin = try await get(ports[1], "/admin", cookie: session)
                        #expect(admin.status == 200)
                        let csrf = try #require(admin.body.firstMatch(of: /name="_csrf" value="([^"]+)"/)).output.1

                        // Queue two sources through each web process while both keep answering reads.
                        for site in 1...sources {
                            let queued = try await post(ports[site % 2], "/admin/sources/\(site)/run", form: "_csrf=\(csrf)", cookie: session)
                            #expect(queued.status == 303, "run source \(site) through port \(ports[site % 2])")
                        }
                        // Read both web processes in rounds until the jobs are done; count the
                        // rounds that ran while a job was still queued or running.
                        var roundsDuringWork = 0, failures: [String] = []
                        let deadline = Date().addingTimeInterval(90)
                        while Date() < deadline {
                            let jobs = try deployment.jobs()
                            let finished = jobs.count == sources && jobs.allSatisfy { $0["status"] as? String == "succeeded" }
                            for port in ports {
                                for path in ["/speakers.json?q=director", "/events.json", "/stats.json", "/"] {
                                    let answer = try await get(port, path)
                                    if answer.status != 200 { failures.append("\(port)\(path): \(answer.status) \(answer.body.prefix(200))") }
                                }
                            }
                            if finished { break }
                            roundsDuringWork += 1
                        }
                        #expect(failures.isEmpty, "\(failures.prefix(5))")
                        #expect(roundsDuringWork >= 2, "the web processes were read while the workers wrote (\(roundsDuringWork) rounds)")

                        let done = try deployment.jobs()
                        #expect(done.count == sources && done.allSatisfy { $0["status"] as? String == "succeeded" && $0["attempts"] as? Int == 1 }, "\(done)")
                        #expect(Set(done.compactMap { $0["trigger"] as? String }) == ["admin"])
                        for site in 1...sources {
                            for page in 1...pages { #expect(server.requests("/s\(site)/talks/2024/talk-\(page)") == 1, "no job ran twice") }
                        }
                        // Both web processes see the same, complete data.
                        for port in ports {
                            let speakers = try await get(port, "/speakers.json")
                            let json = try JSONSerialization.jsonObject(with: Data(speakers.body.utf8)) as? [String: Any]
                            #expect(json?["total"] as? Int == sources * pages, "port \(port): \(speakers.body.prefix(200))")
                        }

                        for process in processes { kill(process.processIdentifier, SIGTERM) }
                        for process in processes { process.waitUntilExit() }
                        #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "\(processes.map(\.terminationStatus))")
                        try await http.shutdown()
                    } catch {
                        // Nothing left running when the test fails half-way.
                        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
                        try? await http.shutdown()
                        throw error
                    }
                }
            }
        }

        /// SIGTERM while a request is in flight: the request finishes (here a sign-in whose
        /// session write waits for another process's SQLite write lock), then serve exits 0.
        @Test func serveFinishesInFlightRequestsOnSIGTERM() async throws {
            guard TestDatabase.engine == .sqlite else { return }  // the lock is held with Python's sqlite3
            try await withDeployment { deployment in
                let added = try deployment.run(["users", "add", "ops", "--role", "admin", "--generate"])
                let password = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("password: ") }).dropFirst("password: ".count)
                let port = try LoopbackPort.free()
                let server = try deployment.start(["serve", "--port", String(port)])
                defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
                var ready = false
                for _ in 0..<150 where !ready && server.isRunning {
                    try await Task.sleep(for: .milliseconds(200))
                    ready = ((try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(2)))?.status.code == 200)
                }
                try #require(ready)

                // Another process holds the write lock for 3 s.
                let holder = Process()
                holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                holder.arguments = ["python3", "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(3); c.execute('COMMIT')",
                                    deployment.directory.appendingPathComponent("data/speakers.db").path]
                let locked = Pipe()
                holder.standardOutput = locked
                try holder.run()
                _ = locked.fileHandleForReading.availableData  // "locked"

                let http = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/login")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.headers.add(name: "Cookie", value: "speakerdb_login_csrf=abc123")
                let encoded = String(password).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                request.body = .bytes(ByteBuffer(string: "username=ops&password=\(encoded)&_csrf=abc123&next=/"))
                let started = ContinuousClock.now
                async let response = http.execute(request, timeout: .seconds(30))
                try await Task.sleep(for: .milliseconds(1000))
                kill(server.processIdentifier, SIGTERM)
                let outcome: Result<HTTPClientResponse, any Error>
                do { outcome = .success(try await response) } catch { outcome = .failure(error) }
                try await http.shutdown()
                let answer = try #require(try? outcome.get(), "the in-flight sign-in got no answer: \(outcome)")
                let waited = ContinuousClock.now - started
                #expect(answer.status == .seeOther, "the in-flight sign-in finished: \(answer.status)")
                #expect(answer.headers["Set-Cookie"].contains { $0.hasPrefix("speakerdb_session=") })
                #expect(waited > .seconds(2), "the request waited for the lock (\(waited)), so it was in flight at SIGTERM")
                server.waitUntilExit()
                holder.waitUntilExit()
                #expect(server.terminationStatus == 0)
                let context = try await deployment.open()
                #expect(try await count("SELECT COUNT(*) AS n FROM sessions", context) == 1, "the session was stored")
                await context.shutdown()
            }
        }

        /// The pipeline's embed stage: with the model installed (the test command fetches it)
        /// every new speaker gets a vector; EMBEDDINGS=off and a missing model skip it, and
        /// the run still succeeds.
        @Test func thePipelineEmbedsNewSpeakersWhenTheModelIsInstalled() async throws {
            try await FixtureServer.with(routes: Self.routes(sources: 3, pages: 3, delay: .zero)) { server in
                try await withDeployment { deployment in
                    // The CLI runs with a temporary HOME; point it at the model the test command fetched.
                    let model = ["SPEAKERDB_MODEL_DIR": ModelLocation().directory.path]
                    func pipeline(_ site: Int, _ extra: [String: String] = [:]) throws {
                        let run = try deployment.run(["pipeline", "--source", server.base + "/s\(site)/events", "--no-delay"], model.merging(extra) { $1 })
                        #expect(run.status == 0, "\(run.stderr)")
                    }
                    try pipeline(1)
                    let context = try await deployment.open()
                    #expect(try await count("SELECT COUNT(*) AS n FROM speaker_embeddings", context) == 3)
                    try pipeline(2, ["EMBEDDINGS": "off"])
                    #expect(try await count("SELECT COUNT(*) AS n FROM speaker_embeddings", context) == 3, "EMBEDDINGS=off embeds nothing")
                    try pipeline(3, ["SPEAKERDB_MODEL_DIR": deployment.directory.appendingPathComponent("no-model").path])
                    #expect(try await count("SELECT COUNT(*) AS n FROM speaker_embeddings", context) == 3)
                    let third = try deployment.run(["runs", "show", "3"])
                    #expect(third.stdout.contains("\"model_missing\"") && third.stdout.contains("succeeded"), "\(third.stdout)")
                    // The next run catches up on the speakers the skipped runs left.
                    try pipeline(1)
                    #expect(try await count("SELECT COUNT(*) AS n FROM speaker_embeddings", context) == 9)
                    await context.shutdown()
                    let found = try deployment.run(["search", "Director of Institute 2-1", "--mode", "semantic", "--limit", "1", "--json"], model)
                    let outcome = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
                    #expect(outcome?["mode"] as? String == "semantic", "\(found.stdout)\(found.stderr)")
                    #expect((outcome?["hits"] as? [Any])?.count == 1)
                }
            }
        }
    }
}
