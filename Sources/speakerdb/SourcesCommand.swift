import ArgumentParser
import Foundation
import Storage

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Manage the listing pages speakerdb crawls.",
        subcommands: [Add.self, List.self, Remove.self, Sync.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a source (or update the one with this URL).")

        @ArgumentParser.Argument(help: "The listing page to start from.") var url: String
        @ArgumentParser.Option(help: "A name to show for it.") var name: String?
        @ArgumentParser.Option(help: "Regular expression matched against event page URL paths; without it event links are found automatically.") var eventURLPattern: String?
        @ArgumentParser.Option(help: "http, browser or auto (HTTP first, the browser when needed).") var fetcher: String = "auto"
        @ArgumentParser.Option(help: "Most pages to read per crawl while discovering event pages (default 500).") var maxPages: Int?

        func run() async throws {
            guard let choice = FetcherChoice(rawValue: fetcher) else {
                throw ValidationError("--fetcher must be http, browser or auto")
            }
            try await CommandSupport.withStorage { context, _ in
                let source = try await SourceRepository(context.database).upsert(
                    SourceSpec(url: url, name: name, eventURLPattern: eventURLPattern, fetcher: choice, maxPages: maxPages))
                print("source \(source.id ?? 0): \(source.url)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sources with their event counts.")

        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                var rows: [[String]] = []
                var objects: [[String: String]] = []
                for source in try await SourceRepository(context.database).all() {
                    let counts = try await FrontierRepository(context.database).counts(sourceID: source.id)
                    rows.append([String(source.id ?? 0), source.name ?? "", source.url, source.fetcher, source.paused ? "paused" : "active",
                                 "\(counts.fetched)/\(counts.queued)/\(counts.failed)"])
                    objects.append(["id": String(source.id ?? 0), "name": source.name ?? "", "url": source.url, "fetcher": source.fetcher,
                                    "event_url_pattern": source.eventURLPattern ?? "", "fetched": String(counts.fetched),
                                    "queued": String(counts.queued), "failed": String(counts.failed)])
                }
                if json { return try CommandSupport.printJSON(objects) }
                print(CommandSupport.table(["ID", "NAME", "URL", "FETCHER", "STATE", "FETCHED/QUEUED/FAILED"], rows))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a source (its events stay).")

        @ArgumentParser.Argument(help: "Source id or URL.") var source: String

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let repository = SourceRepository(context.database)
                guard let found = try await repository.find(source) else { CommandSupport.fail("there is no source \(source)") }
                try await repository.remove(found)
                print("removed source \(found.id ?? 0): \(found.url)")
            }
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or update the sources listed in a YAML file (SOURCES_FILE).")

        @ArgumentParser.Argument(help: "The sources file.") var file: String

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let specs = try SourcesFile.load(path: file)
                for spec in specs { try await SourceRepository(context.database).upsert(spec) }
                print("\(specs.count) sources added or updated from \(file)")
            }
        }
    }
}

import Crawling
