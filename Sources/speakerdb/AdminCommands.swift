import ArgumentParser
import FluentKit
import Foundation
import SQLKit
import LLM
import SpeakerCore
import Storage

/// `speakerdb aliases`: the editable table of organisation aliases used by identity
/// resolution ("Wexmoor Inst." = "Wexmoor Institute"), on top of the built-in acronyms.
struct AliasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aliases",
        abstract: "Organisation aliases for identity resolution (acronyms, old names, spellings).",
        discussion: "After a change, `speakerdb resolve --all` compares everyone again with the new aliases.",
        subcommands: [List.self, Add.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List aliases.")
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        struct Row: Encodable { var alias: String; var canonical: String }

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let rows = try await AffiliationAlias.query(on: context.database).sort(\.$aliasKey).all().map { Row(alias: $0.alias, canonical: $0.canonical) }
                if json { return try CommandSupport.printJSON(rows) }
                print(CommandSupport.table(["ALIAS", "CANONICAL"], rows.map { [$0.alias, $0.canonical] }))
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or change an alias: ALIAS means CANONICAL.")
        @ArgumentParser.Argument(help: "The other name, e.g. \"CFR\".") var alias: String
        @ArgumentParser.Argument(help: "The organisation's canonical name.") var canonical: String

        func run() async throws {
            let key = TextNormalization.matchKey(alias)
            guard !key.isEmpty, !TextNormalization.matchKey(canonical).isEmpty else { throw ValidationError("alias and canonical name must both have letters") }
            try await CommandSupport.withStorage { context, _ in
                try await context.database.writeTransaction { tx in
                    if let existing = try await AffiliationAlias.query(on: tx).filter(\.$aliasKey == key).first() {
                        existing.alias = alias
                        existing.canonical = canonical
                        try await existing.save(on: tx)
                    } else {
                        try await AffiliationAlias(alias: alias, aliasKey: key, canonical: canonical).create(on: tx)
                    }
                }
                print("\(alias) = \(canonical)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an alias.")
        @ArgumentParser.Argument(help: "The alias to remove.") var alias: String

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let key = TextNormalization.matchKey(alias)
                let removed = try await context.database.writeTransaction { tx -> Bool in
                    guard let existing = try await AffiliationAlias.query(on: tx).filter(\.$aliasKey == key).first() else { return false }
                    try await existing.delete(on: tx)
                    return true
                }
                guard removed else { CommandSupport.fail("there is no alias \(alias)") }
                print("removed \(alias)")
            }
        }
    }
}

/// `speakerdb runs`: what each pipeline run did, stage by stage.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Pipeline runs: when, what triggered them, their outcome and per-stage figures.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, latest first.")
        @ArgumentParser.Option(help: "How many to show.") var limit = 20

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let runs = try await PipelineRun.query(on: context.database).sort(\.$id, .descending).limit(limit).all()
                let spent = try await StatsQueries(context.database).spentMicros(runIDs: runs.compactMap(\.id))
                let format = ISO8601DateFormatter()
                print(CommandSupport.table(["RUN", "KIND", "TRIGGER", "STATUS", "STARTED (UTC)", "SECONDS", "SPENT"], runs.map { run in
                    let seconds = run.finishedAt.map { String(format: "%.1f", $0.timeIntervalSince(run.startedAt)) } ?? "-"
                    return [String(run.id ?? 0), run.kind, run.trigger, run.status, format.string(from: run.startedAt), seconds,
                            PriceTable.dollars(spent[run.id ?? 0] ?? 0)]
                }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run with its per-stage figures (JSON).")
        @ArgumentParser.Argument(help: "Run id.") var id: Int

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                guard let run = try await PipelineRun.find(id, on: context.database) else { CommandSupport.fail("there is no run \(id)") }
                print("run \(id): \(run.kind), triggered by \(run.trigger), \(run.status)")
                if let error = run.error { print("error: \(error)") }
                if let stats = run.stats, let object = try? JSONSerialization.jsonObject(with: Data(stats.utf8)),
                   let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
                    print(String(decoding: pretty, as: UTF8.self))
                }
            }
        }
    }
}
