import ArgumentParser
import FluentKit
import Foundation
import Logging
import SQLKit
import Storage

/// Seeds speakers with planted duplicates, then times `speakerdb resolve --all` in its own
/// process and reads that process's peak memory.
struct ResolveBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "A full identity-resolution pass over N speakers: time, pairs compared, merges, peak memory.",
        discussion: """
            Names are drawn from the US Census 1990 lists shipped with speakerdb (5,163 given and 30,000 family names) \
            with a skew (the commonest family name about 0.6 % of people, the commonest given name 1.4 %), so common \
            names repeat as they do in life; \
            organisations from 20,000 distinct synthetic names. On top, --duplicates speakers get a second record under \
            a variant of their name ("A. Okafor", "Okafor Amara") at the same organisation, which resolution should merge.
            """)

    @ArgumentParser.Option(help: "Speakers to seed (before duplicates).") var speakers = 100_000
    @ArgumentParser.Option(help: "Planted duplicate records.") var duplicates = 5_000
    @ArgumentParser.Option(help: "Events to seed.") var events = 50_000
    @ArgumentParser.Option(help: "Appearances to seed.") var appearances = 250_000
    @ArgumentParser.Option(help: "The speakerdb binary (default: next to this one).") var binary: String?
    @ArgumentParser.Option(help: "Keep the database in this (new) folder to inspect the merges.") var keep: String?

    func run() async throws {
        let directory = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("speakerdb-bench-resolve-\(UUID().uuidString)").path
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let dbPath = (directory as NSString).appendingPathComponent("speakers.db")
        let context = try await StorageContext.open(.sqlite(path: dbPath), logger: Logger(label: "bench"))
        try await context.migrate()
        try await SyntheticData(speakers: speakers, events: events, appearances: appearances).insert(into: context.database)
        try await realisticNamesAndOrganisations(context.database)
        try await plantDuplicates(context.database)
        await context.shutdown()
        print("seeded \(speakers) speakers + \(duplicates) planted duplicates, \(events) events, \(appearances) appearances")

        let executable = binary ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("speakerdb").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["resolve", "--all", "--json"]
        process.environment = ProcessInfo.processInfo.environment.merging(["DATA_DIR": directory, "LOG_LEVEL": "warning"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - started
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        guard process.terminationStatus == 0 else { throw ValidationError("speakerdb resolve failed with status \(process.terminationStatus)") }
        let report = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        print("resolve --all: \(elapsed) wall (process start to exit), resolution itself \(report["seconds"] ?? "?") s")
        print("  loading \(report["seconds_loading"] ?? "?") s, comparing \(report["seconds_comparing"] ?? "?") s, writing merges and review pairs \(report["seconds_writing"] ?? "?") s")
        print("  speakers \(report["speakers"] ?? "?"), blocks \(report["blocks"] ?? "?"), pairs compared \(report["pairs_compared"] ?? "?"), merged \(report["merged"] ?? "?"), sent to review \(report["queued_for_review"] ?? "?")")
        print(String(format: "  peak memory (max RSS of the resolve process): %.0f MiB", Double(usage.ru_maxrss) / 1024))
    }

    /// Gives the speakers census names with a realistic skew and organisations with
    /// distinct names (the shared synthetic set is built for search: 1,054 names and
    /// look-alike organisations would make every same-name pair look like colleagues).
    func realisticNamesAndOrganisations(_ db: any Database) async throws {
        let speakerCount = speakers
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            let syllables = ["var", "nel", "tor", "mia", "sun", "dra", "kel", "bo", "ri", "zan", "lu", "pe", "gor", "fa", "xi", "mon", "tel", "qua", "shi", "ver"]
            let kinds = ["Institute", "University", "Foundation", "Council", "Partners", "Lab", "Centre", "Forum", "Bank", "Ministry"]
            var random = SyntheticData.Random(state: 7)
            var organisations: [String] = []
            var seen = Set<String>()
            while organisations.count < 20_000 {
                let word = (0..<3).map { _ in random.pick(syllables) }.joined().capitalized
                let name = "\(word) \(random.pick(kinds))"
                if seen.insert(name).inserted { organisations.append(name) }
            }
            func list(_ name: String) -> [String] {
                // The lists in the source tree (the benchmark runs from a checkout).
                let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Names/Resources/\(name).txt")
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
                return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { $0.capitalized }
            }
            let given = list("census-first-names"), family = list("census-last-names")
            guard !given.isEmpty, !family.isEmpty else { throw ValidationError("the census name lists are missing from the bundle") }
            // Rank r with density about r^(-1/2): the commonest family name is about 0.6 % of
            // people (Smith is 0.9 % in the US), the commonest given name about 1.4 %.
            func skewed(_ items: [String]) -> String {
                let u = Double(random.next() % 1_000_000) / 1_000_000
                return items[min(items.count - 1, Int(Double(items.count) * u * u))]
            }
            for start in stride(from: 1, through: speakerCount, by: 1000) {
                var rows: [SQLQueryString] = []
                for id in start..<min(speakerCount + 1, start + 1000) {
                    let name = "\(skewed(given)) \(skewed(family))"
                    rows.append("(\(bind: id), \(bind: random.pick(organisations)), \(bind: name), \(bind: name.lowercased()))")
                }
                try await sql.raw("""
                    WITH v(id, org, name, name_key) AS (VALUES \(rows.joined(separator: ", ")))
                    UPDATE speakers SET affiliation = (SELECT org FROM v WHERE v.id = speakers.id), name = (SELECT name FROM v WHERE v.id = speakers.id),
                        name_key = (SELECT name_key FROM v WHERE v.id = speakers.id)
                    WHERE id IN (SELECT id FROM v)
                    """).run()
            }
        }
    }

    /// A second record for `duplicates` random speakers, under a variant of the name, with
    /// the same organisation and an appearance at another event.
    func plantDuplicates(_ db: any Database) async throws {
        let count = duplicates, speakerCount = speakers, eventCount = events
        try await db.writeTransaction { tx in
            let sql = try tx.sqlDatabase()
            var random = SyntheticData.Random(state: 99)
            let firstID = speakerCount + 1
            var nextAppearance = (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM appearances").first()?.decode(column: "n", as: Int.self) ?? 0) + 1
            for start in stride(from: 0, to: count, by: 500) {
                var speakerRows: [SQLQueryString] = [], appearanceRows: [SQLQueryString] = []
                for offset in start..<min(count, start + 500) {
                    let original = 1 + random.int(0..<speakerCount)
                    guard let row = try await sql.raw("SELECT name, title, affiliation FROM speakers WHERE id = \(bind: original)").first() else { continue }
                    let name = try row.decode(column: "name", as: String.self)
                    let parts = name.split(separator: " ").map(String.init)
                    let variant = offset % 2 == 0 ? "\(parts[0].prefix(1)). \(parts[1])" : "\(parts[1]) \(parts[0])"
                    let id = firstID + offset
                    speakerRows.append("(\(bind: id), \(bind: variant), \(bind: variant.lowercased()), \(bind: try row.decode(column: "title", as: String?.self)), \(bind: try row.decode(column: "affiliation", as: String?.self)))")
                    appearanceRows.append("(\(bind: nextAppearance), \(bind: id), \(bind: 1 + random.int(0..<eventCount)), 'speaker', 'synthetic', 1.0)")
                    nextAppearance += 1
                }
                try await sql.raw("INSERT INTO speakers (id, name, name_key, title, affiliation) VALUES \(speakerRows.joined(separator: ", "))").run()
                try await sql.raw("INSERT INTO appearances (id, speaker_id, event_id, role, extractor, confidence) VALUES \(appearanceRows.joined(separator: ", "))").run()
            }
            try await IdentitySequences.resync(on: tx)
        }
    }
}
