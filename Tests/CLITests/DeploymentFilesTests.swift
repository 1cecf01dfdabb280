import Foundation
import SpeakerCore
import Testing
import TestSupport

/// The system speakerdb replaces shipped deployment files that named scripts which no
/// longer existed. Every `speakerdb …` command written in a deployment file, in the
/// README or in docs/deploy (code blocks and inline code) must be a command the binary
/// has, with options it accepts.
@Suite("Deployment files name real commands")
struct DeploymentFilesTests {
    /// Files whose every non-comment line is configuration or script.
    static let configurationFiles = ["Dockerfile", "docker-compose.yml", "deploy/systemd/speakerdb.service",
                                     "deploy/systemd/speakerdb-worker.service", "deploy/systemd/speakerdb-pipeline.service",
                                     "deploy/systemd/speakerdb-pipeline.timer", "deploy/vps/install.sh",
                                     "render.yaml", "fly.toml", "heroku.yml", "Procfile", "app.json", "railway.json"]

    @Test func everyCommandInDeploymentFilesAndDocsExists() throws {
        let root = PackageRoot.url
        var texts: [(file: String, text: String)] = []
        for file in Self.configurationFiles {
            var lines = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n").map(String.init).filter { !$0.trimmed().hasPrefix("#") }
            if file.hasSuffix(".sh") {
                // Messages (`die "speakerdb is not running"`) are prose: drop them.
                let message = try Regex(#"\b(die|info|warn|echo|printf|log)\s+"[^"]*""#)
                lines = lines.map { $0.replacing(message, with: "") }
            }
            texts.append((file, lines.joined(separator: "\n")))
        }
        let docs = ["README.md"] + (try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs/deploy").path))
            .filter { $0.hasSuffix(".md") }.map { "docs/deploy/\($0)" }
        for file in docs {
            texts.append((file, Self.code(in: try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8))))
        }
        let directory = try TemporaryDirectory.make(prefix: "deploy-check")
        let top = try Self.subcommands(of: [], in: directory)
        #expect(top.contains("pipeline") && top.contains("serve"), "could not read the command list")
        var nested: [String: Set<String>] = [:]
        var options: [String: String] = [:]
        var checked = 0
        for (file, text) in texts {
            for invocation in Self.invocations(in: text) {
                guard let command = invocation.first else { continue }
                #expect(top.contains(command), "\(file): `speakerdb \(invocation.joined(separator: " "))` names no command `\(command)`")
                guard top.contains(command) else { continue }
                checked += 1
                if nested[command] == nil { nested[command] = try Self.subcommands(of: [command], in: directory) }
                var path = [command]
                if let second = invocation.dropFirst().first, !second.hasPrefix("-"), nested[command]?.contains(second) == true {
                    path.append(second)
                }
                let key = path.joined(separator: " ")
                if options[key] == nil { options[key] = try CLIRun.run(["help"] + path, directory: directory).stdout }
                for flag in invocation where flag.hasPrefix("--") {
                    let name = String(flag.split(separator: "=").first ?? "")
                    #expect(options[key]?.contains(name) == true, "\(file): `speakerdb \(key)` has no option \(name)")
                }
            }
        }
        #expect(checked >= 10, "found only \(checked) commands to check")
    }

    /// The README's command list names every command the binary has, so a new command
    /// cannot go undocumented.
    @Test func theReadmeListsEveryCommand() throws {
        let directory = try TemporaryDirectory.make(prefix: "readme-commands")
        // (The help's last line, "See 'speakerdb help <subcommand>'", is not a command.)
        let commands = try Self.subcommands(of: [], in: directory).filter { $0.first?.isLowercase == true }
        #expect(commands.count >= 20, "could not read the command list: \(commands.sorted())")
        let readme = Self.code(in: try String(contentsOf: PackageRoot.url.appendingPathComponent("README.md"), encoding: .utf8))
        let listed = Set(Self.invocations(in: readme).compactMap(\.first))
        #expect(commands.subtracting(listed).isEmpty, "README.md does not list: \(commands.subtracting(listed).sorted())")
    }

    /// The VPS queues the pipeline from a systemd timer. The timer must start a service of
    /// deploy/systemd at a calendar time and catch up after downtime; install.sh must
    /// install every unit file there, enable each one with an [Install] section, and leave
    /// the services that a timer starts to that timer.
    @Test func installScriptSetsUpEveryUnitAndTheTimerStartsOne() throws {
        let root = PackageRoot.url
        let unitFiles = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("deploy/systemd").path)
            .filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }.sorted()
        var units: [String: [String: [String]]] = [:]
        for file in unitFiles {
            units[file] = Self.unitSettings(try String(contentsOf: root.appendingPathComponent("deploy/systemd/\(file)"), encoding: .utf8))
        }
        let timers = unitFiles.filter { $0.hasSuffix(".timer") }
        #expect(!timers.isEmpty, "no timer in deploy/systemd")
        var startedByTimers: Set<String> = []
        for timer in timers {
            let settings = units[timer] ?? [:]
            let target = settings["Timer.Unit"]?.last
            #expect(target != nil, "\(timer) names no Unit=")
            if let target {
                #expect(unitFiles.contains(target), "\(timer) starts \(target), which is not in deploy/systemd")
                startedByTimers.insert(target)
            }
            #expect(settings["Timer.OnCalendar"]?.contains { !$0.isEmpty } == true, "\(timer) has no OnCalendar=")
            #expect(settings["Timer.Persistent"]?.last == "true", "\(timer) is not Persistent=true")
            #expect(settings["Install.WantedBy"]?.contains { $0.split(separator: " ").contains("timers.target") } == true,
                    "\(timer) is not WantedBy=timers.target")
        }

        let script = try String(contentsOf: root.appendingPathComponent("deploy/vps/install.sh"), encoding: .utf8)
        let lines = script.split(separator: "\n").map { $0.trimmed() }.filter { !$0.hasPrefix("#") }
        // Shell arrays: name=(a b c), as first defined (a later, conditional narrowing, such
        // as leaving out a timer the admin disabled, does not count).
        var arrays: [String: [String]] = [:]
        for line in lines {
            guard let open = line.firstIndex(of: "("), line.hasSuffix(")"), line[..<open].hasSuffix("=") else { continue }
            let name = String(line[..<open].dropLast())
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), arrays[name] == nil else { continue }
            arrays[name] = line[line.index(after: open)..<line.index(before: line.endIndex)]
                .split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        }
        let installed = arrays["units"] ?? []
        #expect(Set(installed) == Set(unitFiles), "install.sh units=(\(installed.joined(separator: " "))); deploy/systemd has \(unitFiles)")
        #expect(script.contains(#"for unit in "${units[@]}"; do"#) && script.contains(#"install -m 0644 "$units_dir/$unit" "/etc/systemd/system/$unit""#),
                "install.sh does not copy every unit of units=(...) into /etc/systemd/system")
        // Units named by `systemctl enable` commands, with "${array[@]}" expanded.
        var enabled: Set<String> = []
        for line in lines where line.hasPrefix("systemctl enable") {
            for word in line.split(separator: " ").map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }) {
                if word.hasPrefix("${"), let name = word.dropFirst(2).split(separator: "[").first {
                    enabled.formUnion(arrays[String(name)] ?? [])
                } else {
                    enabled.insert(word)
                }
            }
        }
        for file in unitFiles {
            if units[file]?.keys.contains(where: { $0.hasPrefix("Install.") }) == true {
                #expect(enabled.contains(file), "install.sh does not enable \(file)")
            } else {
                #expect(startedByTimers.contains(file), "\(file) has no [Install] section and no timer starts it")
                #expect(!enabled.contains(file), "install.sh enables \(file), which its timer starts")
            }
        }
    }

    /// A systemd unit file's settings as "Section.Key" → values in order (comments skipped).
    static func unitSettings(_ text: String) -> [String: [String]] {
        var settings: [String: [String]] = [:]
        var section = ""
        for raw in text.split(separator: "\n") {
            let line = raw.trimmed()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") { section = String(line.dropFirst().dropLast()); continue }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmed(), value = line[line.index(after: equals)...].trimmed()
            settings["\(section).\(key)", default: []].append(value)
        }
        return settings
    }

    /// Fenced code blocks and inline code spans of a Markdown text.
    static func code(in markdown: String) -> String {
        var out: [String] = []
        var fenced = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmed().hasPrefix("```") { fenced.toggle(); continue }
            if fenced { out.append(String(line)); continue }
            let spans = line.split(separator: "`", omittingEmptySubsequences: false)
            out += spans.enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        return out.joined(separator: "\n")
    }

    /// The words after each `speakerdb` that starts a command line (shell, systemd, or a
    /// JSON exec array), up to the end of the command.
    static func invocations(in text: String) -> [[String]] {
        var result: [[String]] = []
        for line in text.split(separator: "\n") {
            let normalized = line.replacingOccurrences(of: "\",", with: " ").replacingOccurrences(of: "\"", with: " ")
                .replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")
            let words = normalized.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            for (index, word) in words.enumerated() where word == "speakerdb" || word.hasSuffix("/speakerdb") {
                let rest = words[(index + 1)...].prefix { !["&&", "||", "|", ";", "&", ">", "2>&1", "\\"].contains($0) && !$0.hasPrefix("$(") }
                // "speakerdb speakerdb pipeline": an image name, then the command.
                guard let first = rest.first, first != "speakerdb", first.first?.isLetter == true,
                      first.allSatisfy({ $0.isLowercase || $0 == "-" }) else { continue }
                result.append(Array(rest))
            }
        }
        return result
    }

    /// Subcommand names listed by `speakerdb help [path]`.
    /// Runs hadolint (installed by `scripts/bootstrap.sh test`, pinned) with the project's
    /// `.hadolint.yaml` on a Dockerfile; returns its JSON findings and exit status.
    static func hadolint(_ dockerfile: String) throws -> (findings: [[String: Any]], status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["hadolint", "--config", ".hadolint.yaml", "--format", "json", dockerfile]
        process.currentDirectoryURL = PackageRoot.url
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "HADOLINT_NOFAIL")
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let findings = (try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? [["unparsed": String(decoding: data, as: UTF8.self)]]
        return (findings, process.terminationStatus, stderr)
    }

    /// The Dockerfile passes hadolint at its strictest threshold; the only exceptions are
    /// inline `# hadolint ignore=` comments that give their reason.
    @Test func theDockerfilePassesHadolint() throws {
        let result = try Self.hadolint("Dockerfile")
        #expect(result.status == 0 && result.findings.isEmpty,
                "hadolint: \(result.findings.map { "line \($0["line"] ?? "?"): \($0["code"] ?? "") \($0["message"] ?? "")" }) \(result.stderr)")
        // The lint really runs: a careless Dockerfile is caught.
        let directory = try TemporaryDirectory.make(prefix: "hadolint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let careless = directory.appendingPathComponent("Dockerfile")
        try "FROM debian\nRUN apt-get update && apt-get install -y chromium\nCMD speakerdb serve\n".write(to: careless, atomically: true, encoding: .utf8)
        let caught = try Self.hadolint(careless.path)
        let codes = Set(caught.findings.compactMap { $0["code"] as? String })
        #expect(caught.status != 0 && codes.isSuperset(of: ["DL3006", "DL3015", "DL3025"]), "\(codes)")
        // Every exception says why, on the line above it.
        let lines = try String(contentsOf: PackageRoot.url.appendingPathComponent("Dockerfile"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line.contains("hadolint ignore=") {
            #expect(index > 0 && lines[index - 1].hasPrefix("#") && !lines[index - 1].contains("hadolint"), "line \(index + 1): say why above the ignore")
        }
    }

    static func subcommands(of path: [String], in directory: URL) throws -> Set<String> {
        let help = try CLIRun.run(["help"] + path, directory: directory).stdout
        guard let start = help.range(of: "SUBCOMMANDS:") else { return [] }
        return Set(help[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("    "), let name = line.split(separator: " ").first else { return nil }
            return String(name)
        })
    }
}
