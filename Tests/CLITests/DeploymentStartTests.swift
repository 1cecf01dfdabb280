import Crawling
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import Yams

/// Every process a deployment file starts — web, worker, release — is started here with
/// the built binary and the environment that file sets, on loopback: a web process must
/// answer `/healthz`, a worker must keep running until SIGTERM and then exit cleanly, a
/// one-shot command must exit 0. Paths the files give for the data (`/data`) become a
/// temporary folder, the address becomes 127.0.0.1 and the port a free one; nothing else
/// of the file's environment is changed.
extension ProcessTests {
    @Suite("Deployment files start")
    struct DeploymentStartTests {
        struct Launch: CustomStringConvertible {
            var file: String
            var name: String
            var command: [String]
            var environment: [String: String]
            var description: String { "\(file) \(name): \(command.joined(separator: " "))" }
        }

        static let root = PackageRoot.url

        static func read(_ file: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        }

        /// `speakerdb serve --scheduler` → ["serve", "--scheduler"]; nil when the line does not run speakerdb.
        static func arguments(_ line: String) -> [String]? {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let index = words.firstIndex(where: { $0 == "speakerdb" || $0.hasSuffix("/speakerdb") }) else { return nil }
            words = Array(words[(index + 1)...])
            return words.isEmpty ? ["serve"] : words
        }

        /// `${NAME:-default}` and `${NAME-default}` as Compose would with nothing set.
        static func composeDefault(_ value: String) -> String {
            guard let regex = try? Regex(#"\$\{[A-Z_]+:?-([^}]*)\}"#) else { return value }
            return value.replacing(regex) { String($0.output[1].substring ?? "") }
        }

        static func launches() throws -> [Launch] {
            var launches: [Launch] = []
            // Dockerfile: ENV and CMD; every platform file that builds the image starts from these.
            let dockerfile = try read("Dockerfile")
            var imageEnvironment: [String: String] = [:]
            let joined = dockerfile.replacingOccurrences(of: "\\\n", with: " ")
            for line in joined.split(separator: "\n") where line.hasPrefix("ENV ") {
                for pair in line.dropFirst(4).split(separator: " ") where pair.contains("=") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts[0] != "PATH" { imageEnvironment[parts[0]] = parts.count > 1 ? parts[1] : "" }
                }
            }
            if let cmd = joined.split(separator: "\n").last(where: { $0.hasPrefix("CMD ") }),
               let data = cmd.dropFirst(4).data(using: .utf8), let words = try JSONSerialization.jsonObject(with: data) as? [String],
               let arguments = arguments(words.joined(separator: " ")) {
                launches.append(Launch(file: "Dockerfile", name: "CMD", command: arguments, environment: imageEnvironment))
            }
            // docker-compose.yml: each service's command and environment.
            if let compose = try Yams.load(yaml: read("docker-compose.yml")) as? [String: Any],
               let services = compose["services"] as? [String: Any] {
                for (name, value) in services.sorted(by: { $0.key < $1.key }) {
                    guard let service = value as? [String: Any] else { continue }
                    let command = (service["command"] as? [String])?.joined(separator: " ") ?? (service["command"] as? String) ?? "speakerdb serve"
                    guard let arguments = arguments(command) else { continue }
                    var environment = imageEnvironment
                    var entries = service["environment"] as? [String: Any] ?? [:]
                    if let merged = entries.removeValue(forKey: "<<") as? [String: Any] {
                        entries = merged.merging(entries) { $1 }
                    }
                    for (key, raw) in entries {
                        environment[key] = composeDefault("\(raw)")
                    }
                    launches.append(Launch(file: "docker-compose.yml", name: name, command: arguments, environment: environment))
                }
            }
            // render.yaml: each service's dockerCommand/startCommand and envVars with values.
            if let render = try Yams.load(yaml: read("render.yaml")) as? [String: Any] {
                for case let service as [String: Any] in render["services"] as? [Any] ?? [] {
                    let command = service["dockerCommand"] as? String ?? service["startCommand"] as? String ?? "speakerdb serve"
                    guard let arguments = arguments(command) else { continue }
                    var environment = imageEnvironment
                    for case let variable as [String: Any] in service["envVars"] as? [Any] ?? [] {
                        if let key = variable["key"] as? String, let value = variable["value"] { environment[key] = "\(value)" }
                    }
                    launches.append(Launch(file: "render.yaml", name: service["name"] as? String ?? "service", command: arguments, environment: environment))
                }
            }
            // fly.toml: [env] and [processes], and the release command.
            var section = "", flyEnvironment = imageEnvironment, flyCommands: [(String, String)] = []
            for raw in try read("fly.toml").split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("[") { section = line; continue }
                guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                guard value.hasPrefix("\"") else { continue }
                value = String(value.dropFirst().prefix { $0 != "\"" })
                switch section {
                case "[env]": flyEnvironment[key] = value
                case "[processes]": flyCommands.append((key, value))
                case "[deploy]" where key == "release_command": flyCommands.append(("release", value))
                default: break
                }
            }
            for (name, command) in flyCommands {
                if let arguments = arguments(command) { launches.append(Launch(file: "fly.toml", name: name, command: arguments, environment: flyEnvironment)) }
            }
            // railway.json: the start command.
            if let railway = try JSONSerialization.jsonObject(with: Data(read("railway.json").utf8)) as? [String: Any],
               let command = (railway["deploy"] as? [String: Any])?["startCommand"] as? String, let arguments = arguments(command) {
                launches.append(Launch(file: "railway.json", name: "start", command: arguments, environment: imageEnvironment))
            }
            // Heroku: app.json's env values with the Procfile's and heroku.yml's processes.
            // (DATABASE_URL comes from the PostgreSQL add-on; here they run on SQLite.)
            var herokuEnvironment = imageEnvironment
            if let app = try JSONSerialization.jsonObject(with: Data(read("app.json").utf8)) as? [String: Any] {
                for (key, value) in app["env"] as? [String: Any] ?? [:] {
                    if let value = (value as? [String: Any])?["value"] as? String { herokuEnvironment[key] = value }
                }
            }
            for line in try read("Procfile").split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, let arguments = arguments(parts[1]) {
                    launches.append(Launch(file: "Procfile", name: parts[0], command: arguments, environment: herokuEnvironment))
                }
            }
            if let heroku = try Yams.load(yaml: read("heroku.yml")) as? [String: Any] {
                func command(_ value: Any?) -> String? { (value as? String) ?? ((value as? [String: Any])?["command"] as? [String])?.first }
                for (name, value) in (heroku["run"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if let line = command(value), let arguments = arguments(line) {
                        launches.append(Launch(file: "heroku.yml", name: name, command: arguments, environment: herokuEnvironment))
                    }
                }
                if let line = command(heroku["release"]), let arguments = arguments(line) {
                    launches.append(Launch(file: "heroku.yml", name: "release", command: arguments, environment: herokuEnvironment))
                }
            }
            // systemd units: ExecStart and Environment lines.
            let units = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("deploy/systemd").path).filter { $0.hasSuffix(".service") }.sorted()
            for unit in units {
                var environment: [String: String] = [:], commands: [[String]] = []
                for line in try read("deploy/systemd/\(unit)").split(separator: "\n") {
                    if line.hasPrefix("Environment=") {
                        let pair = line.dropFirst("Environment=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                        if parts.count == 2 { environment[parts[0]] = parts[1] }
                    } else if line.hasPrefix("ExecStart="), let arguments = arguments(String(line.dropFirst("ExecStart=".count))) {
                        commands.append(arguments)
                    }
                }
                for command in commands { launches.append(Launch(file: "deploy/systemd/\(unit)", name: "ExecStart", command: command, environment: environment)) }
            }
            return launches
        }

        @Test func everyProcessADeploymentFileStartsComesUp() async throws {
            let launches = try Self.launches()
            let files = Set(launches.map(\.file))
            #expect(files == ["Dockerfile", "docker-compose.yml", "render.yaml", "fly.toml", "railway.json", "Procfile", "heroku.yml",
                              "deploy/systemd/speakerdb.service", "deploy/systemd/speakerdb-worker.service",
                              "deploy/systemd/speakerdb-pipeline.service"], "files read: \(files.sorted())")
            #expect(launches.contains { $0.command.first == "worker" } && launches.contains { $0.command.first == "migrate" })
            var started = 0
            for launch in launches {
                // Processes on PostgreSQL (the Compose postgres profile; Heroku, whose add-on
                // sets DATABASE_URL) run in the test command's PostgreSQL pass, each on a
                // fresh database; the others in the SQLite pass.
                let onPostgres = launch.environment["DATABASE_URL"]?.hasPrefix("postgres") == true || launch.file == "Procfile" || launch.file == "heroku.yml"
                guard onPostgres == (TestDatabase.postgresServer != nil) else { continue }
                started += 1
                let directory = try TemporaryDirectory.make(prefix: "deploy-start")
                defer { try? FileManager.default.removeItem(at: directory) }
                let port = try LoopbackPort.free()
                var environment = launch.environment
                var database: TestDatabase?
                if onPostgres {
                    let fresh = try await TestDatabase.make(migrate: false)
                    guard case .postgres(let url) = fresh.location else { continue }
                    environment["DATABASE_URL"] = url
                    database = fresh
                }
                for (key, value) in environment where value.hasPrefix("/data") {
                    environment[key] = directory.appendingPathComponent(String(value.dropFirst(1))).path
                }
                environment["DATA_DIR"] = directory.appendingPathComponent("data").path
                environment["HOST"] = "127.0.0.1"
                environment["PORT"] = String(port)
                environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
                // Info, so a failure below shows how far start-up got; written to a file,
                // which (unlike a pipe nobody drains) can never make the process block.
                environment["LOG_LEVEL"] = "info"
                let process = Process()
                process.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb")
                process.arguments = launch.command
                process.environment = environment
                process.currentDirectoryURL = directory
                let logURL = directory.appendingPathComponent("process.log")
                FileManager.default.createFile(atPath: logURL.path, contents: nil)
                let log = try FileHandle(forWritingTo: logURL)
                defer { try? log.close() }
                process.standardOutput = log
                process.standardError = log
                func output() -> String {
                    String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self)
                }
                try process.run()
                switch launch.command.first {
                case "serve":
                    // Generous: the PostgreSQL pass starts this while every other suite
                    // is busy on two cores. Start-up itself takes under a second when idle.
                    let started = ContinuousClock.now
                    var healthy = false
                    while !healthy && process.isRunning && ContinuousClock.now - started < .seconds(120) {
                        try await Task.sleep(for: .milliseconds(200))
                        healthy = (try? await healthz(port: port)) == true
                    }
                    #expect(healthy, "\(launch) did not answer /healthz within \(ContinuousClock.now - started): \(output().suffix(1500))")
                    process.terminate()
                case "worker":
                    try await Task.sleep(for: .seconds(2))
                    #expect(process.isRunning, "\(launch) stopped by itself")
                    process.terminate()
                default:
                    break
                }
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "\(launch) exited with \(process.terminationStatus): \(output().suffix(1500))")
                await database?.close()
            }
            #expect(started >= 5, "only \(started) processes were started in this pass")
        }

        func healthz(port: Int) async throws -> Bool {
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!)
            return (response as? HTTPURLResponse)?.statusCode == 200
        }
    }
}
