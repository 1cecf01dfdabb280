import ArgumentParser
import Foundation
import SpeakerCore
import Storage

struct SpeakersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakers",
        abstract: "List, show, search, merge and split speakers; review identity candidates.",
        subcommands: [List.self, Show.self, Search.self, Merge.self, Split.self, Merges.self, Review.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List speakers alphabetically.")

        @ArgumentParser.Option(help: "Only speakers with this affiliation.") var affiliation: String?
        @ArgumentParser.Option(help: "Only speakers who had this role.") var role: String?
        @ArgumentParser.Option(help: "Only speakers who appeared in this year.") var year: Int?
        @ArgumentParser.Option(help: "How many to show.") var limit = 50
        @ArgumentParser.Option(help: "Page number, from 1.") var page = 1
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let roleValue: Role?
            if let role {
                guard let parsed = Role(rawValue: role) else { throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
                roleValue = parsed
            } else { roleValue = nil }
            try await CommandSupport.withStorage { context, _ in
                let result = try await SpeakerQueries(context.database).list(
                    SpeakerFilter(affiliation: affiliation, role: roleValue, year: year), sort: .name,
                    page: PageRequest(page: page, size: limit))
                try printSpeakers(result, json: json)
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Full-text search over names, titles, affiliations, bios and event titles.")

        @ArgumentParser.Argument(help: "Words to search for.") var query: [String]
        @ArgumentParser.Option(help: "How many to show.") var limit = 20
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let result = try await SpeakerQueries(context.database).list(
                    SpeakerFilter(search: query.joined(separator: " ")), sort: .relevance, page: PageRequest(page: 1, size: limit))
                try printSpeakers(result, json: json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one speaker with every appearance.")

        @ArgumentParser.Argument(help: "Speaker id.") var id: Int
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                guard let profile = try await SpeakerQueries(context.database).profile(id: id) else {
                    CommandSupport.fail("there is no speaker \(id)")
                }
                if json { return try CommandSupport.printJSON(profile) }
                print(profile.name)
                for (label, value) in [("Title", profile.title), ("Affiliation", profile.affiliation), ("Location", profile.location)] {
                    if let value { print("\(label): \(value)") }
                }
                if let bio = profile.bio { print("\n\(bio)") }
                let attributes = try await AttributeStore(context.database).attributes(speakerIDs: [id])[id] ?? []
                for (label, kind) in [("Based in", SpeakerAttribute.Kind.country), ("City", .city), ("Languages", .language), ("Expertise", .tag)] {
                    let shown = SpeakerAttribute.shown(attributes, kind: kind)
                    guard !shown.isEmpty else { continue }
                    print("\(label): " + shown.map { "\($0.label) [\($0.origin.rawValue) \(String(format: "%.1f", $0.confidence))]" }.joined(separator: ", "))
                }
                print("\nAppearances (\(profile.appearances.count)):")
                print(CommandSupport.table(["DATE", "ROLE", "EVENT", "ID"], profile.appearances.map {
                    [$0.date ?? "", $0.role, $0.title ?? $0.url, String($0.eventID)]
                }))
            }
        }
    }
}

func printSpeakers(_ result: Page<SpeakerSummary>, json: Bool) throws {
    if json { return try CommandSupport.printJSON(result) }
    print(CommandSupport.table(["ID", "NAME", "TITLE", "AFFILIATION", "EVENTS"], result.items.map {
        [String($0.id), $0.name, $0.title ?? "", $0.affiliation ?? "", String($0.appearanceCount)]
    }))
    print("(\(result.items.count) of \(result.total); page \(result.page) of \(result.pageCount))")
}

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List and show events.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events, latest first.")

        @ArgumentParser.Option(help: "Words that must appear in the title.") var search: String?
        @ArgumentParser.Option(help: "Only events in this year.") var year: Int?
        @ArgumentParser.Option(help: "How many to show.") var limit = 50
        @ArgumentParser.Option(help: "Page number, from 1.") var page = 1
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let result = try await EventQueries(context.database).list(
                    EventFilter(search: search, year: year), sort: .date, page: PageRequest(page: page, size: limit))
                if json { return try CommandSupport.printJSON(result) }
                print(CommandSupport.table(["ID", "DATE", "TITLE", "SPEAKERS"], result.items.map {
                    [String($0.id), $0.date ?? "", $0.title ?? $0.url, String($0.speakerCount)]
                }))
                print("(\(result.items.count) of \(result.total); page \(result.page) of \(result.pageCount))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one event with its speakers.")

        @ArgumentParser.Argument(help: "Event id.") var id: Int
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                guard let event = try await EventQueries(context.database).detail(id: id) else {
                    CommandSupport.fail("there is no event \(id)")
                }
                if json { return try CommandSupport.printJSON(event) }
                print(event.title ?? event.url)
                print(event.url)
                for (label, value) in [("Date", event.startsOn), ("As written", event.dateText), ("Venue", event.venue), ("Location", event.location)] {
                    if let value { print("\(label): \(value)") }
                }
                print("\nSpeakers (\(event.speakers.count)):")
                print(CommandSupport.table(["ID", "NAME", "ROLE", "AFFILIATION"], event.speakers.map {
                    [String($0.speakerID), $0.name, $0.role, $0.affiliation ?? ""]
                }))
            }
        }
    }
}

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print what the database holds.")

    @ArgumentParser.Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CommandSupport.withStorage { context, settings in
            var stats = try await StatsQueries(context.database).stats()
            stats.affiliations = Array(stats.affiliations.prefix(10))
            if json { return try CommandSupport.printJSON(stats) }
            print("database: \(settings.database.engineName) (\(settings.database.redacted))")
            print("speakers: \(stats.counts.speakers)\nevents: \(stats.counts.events)\nappearances: \(stats.counts.appearances)\nsources: \(stats.counts.sources)")
            if !stats.affiliations.isEmpty {
                print("\ntop affiliations (as written; /stats counts spellings of one organisation together):")
                for facet in stats.affiliations { print("  \(facet.count)  \(facet.value)") }
            }
        }
    }
}

/// `speakerdb searches`: what people searched for on the web app and JSON API.
struct SearchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "searches",
        abstract: "Search analytics: how many searches, their latency, top queries and queries that found nobody.")

    @ArgumentParser.Option(help: "Days to look back.") var days = 30
    @ArgumentParser.Flag(help: "Print JSON.") var json = false

    func run() async throws {
        guard days > 0 else { CommandSupport.fail("--days must be at least 1") }
        try await CommandSupport.withStorage { context, _ in
            let summary = try await SearchLog(context.database).summary(since: Date().addingTimeInterval(-Double(days) * 86_400))
            if json { return try CommandSupport.printJSON(summary) }
            print("searches in the last \(days) days: \(summary.searches), \(summary.zeroResults) found nobody")
            if let p50 = summary.p50Milliseconds, let p95 = summary.p95Milliseconds {
                print(String(format: "server time: p50 %.1f ms, p95 %.1f ms", p50, p95))
            }
            if !summary.topQueries.isEmpty {
                print("\ntop queries:")
                for query in summary.topQueries { print("  \(query.count)  \(query.value)") }
            }
            if !summary.topZeroResultQueries.isEmpty {
                print("\nqueries that found nobody:")
                for query in summary.topZeroResultQueries { print("  \(query.count)  \(query.value)") }
            }
        }
    }
}
