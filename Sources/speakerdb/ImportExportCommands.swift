import ArgumentParser
import Foundation
import SpeakerCore
import Storage

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import speakers from an export JSON file (idempotent, all-or-nothing).",
        discussion: "Reads the shape written by `speakerdb export --format json`. A bad record names its path and field, and nothing is stored.")

    @ArgumentParser.Argument(help: "The JSON file to import, or - for standard input.")
    var file: String

    @ArgumentParser.Flag(help: "Validate the file and report, without storing anything.")
    var dryRun = false

    func run() async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            CommandSupport.fail("cannot read \(file): \(error.localizedDescription)")
        }
        let document: ExportDocument
        do {
            document = try SpeakerImporter.parse(data)
        } catch {
            CommandSupport.fail("import failed, nothing was stored: \(error)")
        }
        if dryRun {
            print("\(file): \(document.speakers.count) speakers, \(document.speakers.reduce(0) { $0 + $1.events.count }) appearances; valid.")
            return
        }
        try await CommandSupport.withStorage { context, _ in
            let report = try await SpeakerImporter().run(document, on: context.database)
            print("imported \(file): \(report.speakersCreated) speakers created, \(report.speakersUpdated) updated, \(report.speakersUnchanged) unchanged; \(report.eventsCreated) events and \(report.appearancesCreated) appearances created")
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every speaker with their events.",
        discussion: """
            json: {"speakers": [{"id", "name", "title", "affiliation", "bio", "events": [{"url", "title", "date", "role"}]}]}
            ndjson: one speaker object per line. csv: one row per speaker and event.
            """)

    @ArgumentParser.Option(help: "json, ndjson or csv.")
    var format: String = "json"

    @ArgumentParser.Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let format = ExportFormat(rawValue: format)!
        try await CommandSupport.withStorage { context, _ in
            let handle: FileHandle
            let temporary: String?
            if let output {
                // Write beside the target and rename, so a failed export never leaves half a file.
                let path = output + ".partial"
                guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
                    CommandSupport.fail("cannot write \(output)")
                }
                handle = file
                temporary = path
            } else {
                handle = FileHandle.standardOutput
                temporary = nil
            }
            try await SpeakerExporter(context.database).export(format: format) { chunk in
                try handle.write(contentsOf: Data(chunk.utf8))
            }
            if let temporary, let output {
                try handle.close()
                _ = try? FileManager.default.removeItem(atPath: output)
                try FileManager.default.moveItem(atPath: temporary, toPath: output)
            }
        }
    }
}
