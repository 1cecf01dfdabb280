import Foundation
import Testing
import TestSupport

/// Runs the built `speakerdb` binary as a user would.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL, input: Data? = nil) throws -> CLIRun {
        let process = Process()
        process.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // The fixture sites are on loopback: the explicit opt-in a user would give.
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path, "ALLOW_PRIVATE_ADDRESSES": "true"]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite("Command line")
struct CLITests {
    let directory: URL

    init() throws {
        directory = try TemporaryDirectory.make(prefix: "cli")
    }

    @Test func helpListsEveryCommand() throws {
        let help = try CLIRun.run(["--help"], directory: directory)
        #expect(help.status == 0)
        for command in ["serve", "demo", "pipeline", "crawl", "extract", "resolve", "aliases", "runs", "eval", "sources", "migrate", "config",
                        "import", "export", "speakers", "events", "stats", "worker", "jobs", "backup", "restore", "users", "snapshot"] {
            #expect(help.stdout.contains(command), "--help does not list \(command)")
            let sub = try CLIRun.run([command, "--help"], directory: directory)
            #expect(sub.status == 0, "\(command) --help failed")
            #expect(sub.stdout.contains("USAGE"))
        }
        for sub in [["speakers", "list"], ["speakers", "show"], ["speakers", "search"], ["events", "list"], ["events", "show"],
                    ["sources", "add"], ["sources", "list"], ["sources", "remove"], ["sources", "sync"],
                    ["speakers", "merge"], ["speakers", "split"], ["speakers", "merges"], ["speakers", "review"],
                    ["aliases", "add"], ["aliases", "list"], ["aliases", "remove"], ["runs", "list"], ["runs", "show"],
                    ["jobs", "list"], ["jobs", "show"], ["jobs", "enqueue"], ["jobs", "retry"], ["jobs", "schedule"],
                    ["users", "add"], ["users", "list"], ["users", "remove"], ["users", "set-password"],
                    ["snapshot", "push"], ["snapshot", "pull"], ["snapshot", "list"]] {
            #expect(try CLIRun.run(sub + ["--help"], directory: directory).status == 0)
        }
    }

    /// `users` and `backup`/`restore` as an operator runs them.
    @Test func usersBackupAndRestoreCommands() throws {
        let added = try CLIRun.run(["users", "add", "Ada", "--role", "admin"], directory: directory, input: Data("correct horse battery\n".utf8))
        #expect(added.status == 0 && added.stdout.contains("added ada (admin)"), "\(added.stderr)")
        let generated = try CLIRun.run(["users", "add", "reader", "--generate"], directory: directory)
        #expect(generated.status == 0 && generated.stdout.contains("password: "))
        #expect(try CLIRun.run(["users", "add", "bob"], directory: directory, input: Data("short\n".utf8)).stderr.contains("at least 10 characters"))
        let listed = try CLIRun.run(["users", "list", "--json"], directory: directory)
        let accounts = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(accounts.compactMap { $0["username"] as? String } == ["ada", "reader"])
        #expect(!listed.stdout.contains("$2"), "no password hash is printed")
        #expect(try CLIRun.run(["users", "set-password", "ada"], directory: directory, input: Data("another good password\n".utf8)).status == 0)
        #expect(try CLIRun.run(["users", "remove", "ada"], directory: directory).stderr.contains("last admin"))
        #expect(try CLIRun.run(["users", "remove", "reader"], directory: directory).status == 0)

        let backup = try CLIRun.run(["backup", "--to", "snaps", "--keep", "1"], directory: directory)
        #expect(backup.status == 0, "\(backup.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("snaps").path).filter { $0.hasSuffix(".db") }
        #expect(files.count == 1)
        #expect(try CLIRun.run(["users", "add", "later", "--generate"], directory: directory).status == 0)
        let restored = try CLIRun.run(["restore", "snaps/" + (files.first ?? "")], directory: directory)
        #expect(restored.status == 0 && restored.stdout.contains("kept as"), "\(restored.stderr)")
        let after = try CLIRun.run(["users", "list", "--json"], directory: directory)
        #expect(!after.stdout.contains("later"), "the backup, taken before, is what is in place now")
        #expect(try CLIRun.run(["restore", "missing.db"], directory: directory).status != 0)
    }

    @Test func importExportAndReadCommandsWork() throws {
        let file = directory.appendingPathComponent("in.json")
        try JSONEncoder().encode(Fixtures.speakers).write(to: file)
        #expect(try CLIRun.run(["migrate"], directory: directory).stdout.contains("applied 001_CreateSources"))
        let imported = try CLIRun.run(["import", file.path], directory: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("4 speakers created"))
        #expect(try CLIRun.run(["import", file.path], directory: directory).stdout.contains("4 unchanged"))
        let exported = try CLIRun.run(["export", "--format", "json"], directory: directory)
        let object = try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any]
        #expect((object?["speakers"] as? [Any])?.count == 4)
        #expect(try CLIRun.run(["export", "--format", "csv", "-o", "out.csv"], directory: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.csv").path))
        #expect(try CLIRun.run(["speakers", "search", "nunez"], directory: directory).stdout.contains("José Núñez"))
        #expect(try CLIRun.run(["speakers", "show", "1"], directory: directory).stdout.contains("Trade Futures"))
        // Enrichment: every imported speaker once, then nothing until something changes.
        let enriched = try CLIRun.run(["enrich", "--offline"], directory: directory)
        #expect(enriched.status == 0 && enriched.stdout.contains("enriched 4 speakers"), "\(enriched.stdout)\(enriched.stderr)")
        #expect(try CLIRun.run(["enrich", "--offline"], directory: directory).stdout.contains("enriched 0 speakers"))
        #expect(try CLIRun.run(["enrich", "--max-age-days", "-1"], directory: directory).status != 0)
        let shown = try CLIRun.run(["speakers", "show", "1"], directory: directory).stdout
        #expect(shown.contains("Expertise: ") && shown.contains("[bio 0.8]"), "\(shown)")
        #expect(try CLIRun.run(["events", "list"], directory: directory).stdout.contains("Ocean Finance Summit"))
        #expect(try CLIRun.run(["stats"], directory: directory).stdout.contains("speakers: 4"))
        let missing = try CLIRun.run(["speakers", "show", "999"], directory: directory)
        #expect(missing.status != 0 && missing.stderr.contains("no speaker 999"))
    }

    @Test func identityCommandsMergeSplitAndKeepAliases() throws {
        let file = directory.appendingPathComponent("in.json")
        try JSONEncoder().encode(Fixtures.speakers).write(to: file)
        #expect(try CLIRun.run(["import", file.path], directory: directory).status == 0)
        let merged = try CLIRun.run(["speakers", "merge", "3", "2"], directory: directory)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("merged speaker 2 into 3"))
        #expect(try CLIRun.run(["speakers", "show", "2"], directory: directory).status != 0)
        #expect(try CLIRun.run(["speakers", "show", "3"], directory: directory).stdout.contains("Trade Futures"), "2's appearance moved to 3")
        let merges = try CLIRun.run(["speakers", "merges"], directory: directory)
        #expect(merges.stdout.contains("José Núñez") && merges.stdout.contains("user"))
        let split = try CLIRun.run(["speakers", "split", "3"], directory: directory)
        #expect(split.status == 0, "\(split.stderr)")
        #expect(try CLIRun.run(["speakers", "show", "2"], directory: directory).stdout.contains("Trade Futures"))
        #expect(!(try CLIRun.run(["speakers", "show", "3"], directory: directory).stdout.contains("Trade Futures")))
        #expect(try CLIRun.run(["speakers", "split", "3"], directory: directory).stderr.contains("no merge to undo"))
        #expect(try CLIRun.run(["speakers", "merge", "2", "2"], directory: directory).stderr.contains("cannot be merged with itself"))
        #expect(try CLIRun.run(["speakers", "review", "--accept", "99"], directory: directory).stderr.contains("no review pair 99"))
        #expect(try CLIRun.run(["speakers", "review"], directory: directory).stdout.contains("no pairs waiting"))

        #expect(try CLIRun.run(["aliases", "add", "NBI", "Northbridge Institute"], directory: directory).status == 0)
        #expect(try CLIRun.run(["aliases", "list"], directory: directory).stdout.contains("Northbridge Institute"))
        #expect(try CLIRun.run(["aliases", "remove", "nbi"], directory: directory).stdout.contains("removed"))
        #expect(try CLIRun.run(["aliases", "remove", "nbi"], directory: directory).status != 0)

        let resolved = try CLIRun.run(["resolve", "--all"], directory: directory)
        #expect(resolved.stdout.contains("resolved 4 speakers") && resolved.stdout.contains("0 merged"), "\(resolved.stdout)\(resolved.stderr)")
        #expect(try CLIRun.run(["resolve"], directory: directory).status != 0, "either --all or --speaker")
    }

    @Test func runsListAndShowWhatAPipelineRunDid() throws {
        // A source on a closed loopback port: the run is recorded with its failure.
        let run = try CLIRun.run(["pipeline", "--source", "http://127.0.0.1:9/events/", "--no-delay", "--stats"], directory: directory)
        #expect(run.stdout.contains("(run 1;"), "\(run.stdout)\(run.stderr)")
        let list = try CLIRun.run(["runs", "list"], directory: directory)
        #expect(list.stdout.contains("pipeline") && list.stdout.contains("cli"))
        let show = try CLIRun.run(["runs", "show", "1"], directory: directory)
        #expect(show.stdout.contains("\"stages\"") && show.stdout.contains("\"resolve\""), "\(show.stdout)")
        #expect(try CLIRun.run(["runs", "show", "7"], directory: directory).stderr.contains("no run 7"))
    }

    @Test func aMalformedImportNamesTheFieldAndStoresNothing() throws {
        let file = directory.appendingPathComponent("bad.json")
        try #"{"speakers": [{"name": "Fine Person", "events": []}, {"name": "Bad Date", "events": [{"url": "https://x.org/e", "date": "soon"}]}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRun.run(["import", file.path], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("speakers[1].events[0].date"))
        #expect(try CLIRun.run(["stats"], directory: directory).stdout.contains("speakers: 0"))
    }

    @Test func configMasksSecrets() throws {
        let result = try CLIRun.run(["config"], environment: ["OPENAI_API_KEY": "sk-proj-supersecretvalue123", "PORT": "6001"], directory: directory)
        #expect(result.status == 0)
        #expect(result.stdout.contains("PORT=6001  # set"))
        #expect(!result.stdout.contains("supersecretvalue123"))
        #expect(result.stdout.contains("OPENAI_API_KEY=sk-****"))
    }

    @Test func badSettingsUnreachableDatabasesAndUnwritableFoldersStopWithOneLine() throws {
        let badPort = try CLIRun.run(["serve"], environment: ["PORT": "http"], directory: directory)
        #expect(badPort.status != 0)
        #expect(badPort.stderr.contains("PORT"))
        let unreachable = try CLIRun.run(["serve"], environment: ["DATABASE_URL": "postgres://u:pw-not-shown@127.0.0.1:9/db?sslmode=disable"], directory: directory)
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("cannot reach the database"))
        #expect(!unreachable.stderr.contains("pw-not-shown"))
        #expect(unreachable.stderr.split(separator: "\n").filter { $0.contains("error") }.count == 1)
        try "x".write(to: directory.appendingPathComponent("blocked"), atomically: true, encoding: .utf8)
        let unwritable = try CLIRun.run(["serve"], environment: ["DATA_DIR": directory.appendingPathComponent("blocked").path], directory: directory)
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.contains("cannot write to the data directory"))
    }
}
