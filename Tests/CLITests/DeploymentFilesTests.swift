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
                                     "deploy/systemd/speakerdb-worker.service", "deploy/vps/install.sh",
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
    static func subcommands(of path: [String], in directory: URL) throws -> Set<String> {
        let help = try CLIRun.run(["help"] + path, directory: directory).stdout
        guard let start = help.range(of: "SUBCOMMANDS:") else { return [] }
        return Set(help[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("    "), let name = line.split(separator: " ").first else { return nil }
            return String(name)
        })
    }
}
