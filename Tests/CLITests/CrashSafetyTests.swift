import Foundation
import Testing
import TestSupport

/// Restores and migrations killed with SIGKILL at their worst moments (the
/// `SPEAKERDB_FAILPOINT` crash points): the database is afterwards either the old one or
/// the new one, never missing, empty or half-migrated.
@Suite("Crash safety of restore and migrations")
struct CrashSafetyTests {
    let directory: URL

    init() throws {
        directory = try TemporaryDirectory.make(prefix: "crash")
    }

    func names(_ directory: URL) throws -> [String] {
        let listed = try CLIRun.run(["export", "--format", "json"], directory: directory)
        #expect(listed.status == 0, "\(listed.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        return ((document?["speakers"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted()
    }

    func importSpeaker(_ name: String, into directory: URL) throws {
        let file = directory.appendingPathComponent("\(UUID().uuidString).json")
        try Data(#"{"speakers": [{"name": "\#(name)", "events": []}]}"#.utf8).write(to: file)
        let imported = try CLIRun.run(["import", file.path], directory: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    @Test(arguments: ["restore:copied", "restore:kept-aside", "restore:decided", "restore:old-wal-removed", "restore:renamed"])
    func aRestoreKilledAtAnyPointLeavesTheOldOrTheRestoredDatabase(point: String) throws {
        let home = directory.appendingPathComponent(point.replacingOccurrences(of: ":", with: "-"))
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try importSpeaker("Amara Okafor", into: home)
        let backup = try CLIRun.run(["backup", "--to", "snaps"], directory: home)
        #expect(backup.status == 0, "\(backup.stderr)")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("snaps").path).first { $0.hasSuffix(".db") })
        try importSpeaker("Later Person", into: home)
        let old = try names(home)
        #expect(old == ["Amara Okafor", "Later Person"])

        let killed = try CLIRun.run(["restore", "snaps/" + file], environment: ["SPEAKERDB_FAILPOINT": point], directory: home)
        #expect(killed.status == SIGKILL || killed.status == 128 + SIGKILL || killed.stdout.isEmpty, "the restore was killed at \(point)")
        let after = try names(home)
        // Before the restore was decided the old database stands; after, the restored one.
        let decided = ["restore:decided", "restore:old-wal-removed", "restore:renamed"].contains(point)
        #expect(after == (decided ? ["Amara Okafor"] : old), "after a kill at \(point): \(after)")
        // And a restore run again completes normally.
        let again = try CLIRun.run(["restore", "snaps/" + file], directory: home)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try names(home) == ["Amara Okafor"])
    }

    /// Each migration and its record are one transaction: killed inside it, the next start
    /// applies it again from scratch instead of failing on half a schema.
    @Test func aMigrationKilledHalfwayIsAppliedWholeNextTime() throws {
        let killed = try CLIRun.run(["migrate"], environment: ["SPEAKERDB_FAILPOINT": "migration:025_CreateLoginFailures"], directory: directory)
        #expect(killed.status != 0, "the migration process was killed")
        let again = try CLIRun.run(["migrate"], directory: directory)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("025_CreateLoginFailures"), "the killed migration was applied again: \(again.stdout)")
        let status = try CLIRun.run(["migrate"], directory: directory)
        #expect(status.status == 0 && status.stdout.contains("up to date"), "\(status.stdout)")
        try importSpeaker("Ada Lovelace", into: directory)
        #expect(try names(directory) == ["Ada Lovelace"])
    }
}
