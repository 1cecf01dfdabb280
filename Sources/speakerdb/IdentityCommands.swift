import ArgumentParser
import FluentKit
import Foundation
import Identity
import Logging
import Storage

/// `speakerdb resolve`: finds speakers who are one person and merges or queues them.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Find speakers who are the same person: merge sure pairs, queue unsure ones for review.",
        discussion: """
            The pipeline resolves the speakers each run touched; `resolve --all` compares every speaker again \
            (after changing aliases, or importing). Pairs someone rejected or split are never merged automatically. \
            See docs/IDENTITY.md for the rules.
            """)

    @ArgumentParser.Flag(help: "Resolve every speaker.") var all = false
    @ArgumentParser.Option(help: "Resolve only these speakers (ids) against everyone.") var speaker: [Int] = []
    @ArgumentParser.Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard all != !speaker.isEmpty else { throw ValidationError("give either --all or --speaker ID") }
    }

    func run() async throws {
        try await CommandSupport.withStorage { context, _ in
            let resolver = SpeakerResolver(storage: context, logger: Logger(label: "speakerdb.resolve"))
            let report = try await resolver.resolve(speakerIDs: all ? nil : speaker)
            if json { return try CommandSupport.printJSON(report) }
            print(String(format: "resolved %d speakers in %.2fs: %d candidate pairs from %d blocks, %d merged, %d sent to review",
                         report.speakers, report.seconds, report.pairsCompared, report.blocks, report.merged, report.queuedForReview))
            if report.queuedForReview > 0 { print("review them with: speakerdb speakers review") }
        }
    }
}

extension SpeakersCommand {
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge speaker B into speaker A (one person).",
            discussion: "Every appearance and provenance row moves to A in one transaction; the merge is audited and `speakers split A` undoes it exactly.")

        @ArgumentParser.Argument(help: "The speaker to keep.") var keep: Int
        @ArgumentParser.Argument(help: "The speaker merged into it (its id goes away until a split).") var absorb: Int

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let resolver = SpeakerResolver(storage: context, logger: Logger(label: "speakerdb.identity"))
                let mergeID = try await resolver.merge(keep: keep, absorb: absorb)
                print("merged speaker \(absorb) into \(keep) (merge \(mergeID); undo with: speakerdb speakers split \(keep) --merge \(mergeID))")
            }
        }
    }

    struct Split: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a merge into speaker ID: the merged speaker comes back with its id, appearances and fields.",
            discussion: "Without --merge, undoes the latest merge into the speaker. The pair is then remembered as two people.")

        @ArgumentParser.Argument(help: "The speaker that kept the merge.") var id: Int
        @ArgumentParser.Option(help: "Which merge to undo (see `speakers merges`).") var merge: Int?

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let query = SpeakerMerge.query(on: context.database).filter(\.$kept.$id == id).filter(\.$undoneAt == nil)
                if let merge { query.filter(\.$id == merge) }
                guard let found = try await query.sort(\.$id, .descending).first() else {
                    CommandSupport.fail(merge.map { "merge \($0) is not an active merge into speaker \(id)" } ?? "speaker \(id) has no merge to undo")
                }
                let resolver = SpeakerResolver(storage: context, logger: Logger(label: "speakerdb.identity"))
                try await resolver.split(mergeID: try found.requireID())
                print("split merge \(try found.requireID()): speaker \(found.mergedSpeakerID) is back, separate from \(id)")
            }
        }
    }

    struct Merges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List merges (automatic, reviewed and by hand) with their evidence.")

        @ArgumentParser.Option(help: "Only merges into this speaker.") var speaker: Int?
        @ArgumentParser.Option(help: "How many to show.") var limit = 50
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var id: Int
            var kept: Int?
            var merged: Int
            var mergedName: String
            var keptName: String
            var decidedBy: String
            var probability: Double?
            var reasons: [String]
            var undone: Bool
        }

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let query = SpeakerMerge.query(on: context.database).sort(\.$id, .descending).limit(limit)
                if let speaker { query.filter(\.$kept.$id == speaker) }
                let rows = try await query.all().map { merge in
                    let snapshot = try? MergeSnapshot.decode(merge.snapshot)
                    return Row(id: try merge.requireID(), kept: merge.$kept.id, merged: merge.mergedSpeakerID, mergedName: snapshot?.merged.name ?? "?",
                               keptName: snapshot?.keptBefore.name ?? "?", decidedBy: merge.decidedBy, probability: merge.probability,
                               reasons: merge.reasonList, undone: merge.undoneAt != nil)
                }
                if json { return try CommandSupport.printJSON(rows) }
                print(CommandSupport.table(["MERGE", "KEPT", "MERGED", "BY", "P", "REASONS"], rows.map {
                    [String($0.id) + ($0.undone ? " (undone)" : ""), "\($0.kept.map(String.init) ?? "-") \($0.keptName)", "\($0.merged) \($0.mergedName)",
                     $0.decidedBy, $0.probability.map { String(format: "%.3f", $0) } ?? "-", $0.reasons.joined(separator: "; ")]
                }))
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Candidate pairs the resolver was unsure about, with its reasons; accept (merge) or reject (keep apart).")

        @ArgumentParser.Option(help: "Merge this candidate pair.") var accept: [Int] = []
        @ArgumentParser.Option(help: "Keep this candidate pair apart for good.") var reject: [Int] = []
        @ArgumentParser.Option(help: "How many pending pairs to show.") var limit = 50
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var id: Int
            var speakerA: Int
            var nameA: String
            var speakerB: Int
            var nameB: String
            var probability: Double
            var reasons: [String]
        }

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let resolver = SpeakerResolver(storage: context, logger: Logger(label: "speakerdb.identity"))
                for id in accept {
                    let mergeID = try await resolver.accept(candidateID: id)
                    print("accepted pair \(id): merged (merge \(mergeID))")
                }
                for id in reject {
                    try await resolver.reject(candidateID: id)
                    print("rejected pair \(id): kept apart")
                }
                guard accept.isEmpty && reject.isEmpty else { return }
                let pending = try await IdentityCandidate.query(on: context.database).filter(\.$status == IdentityCandidate.Status.pending.rawValue)
                    .with(\.$speakerA).with(\.$speakerB).sort(\.$probability, .descending).limit(limit).all()
                let rows = try pending.map { candidate in
                    Row(id: try candidate.requireID(), speakerA: candidate.$speakerA.id, nameA: candidate.speakerA.name, speakerB: candidate.$speakerB.id,
                        nameB: candidate.speakerB.name, probability: candidate.probability,
                        reasons: candidate.reasonList)
                }
                if json { return try CommandSupport.printJSON(rows) }
                if rows.isEmpty { return print("no pairs waiting for review") }
                for row in rows {
                    print(String(format: "pair %d  p=%.3f  %d %@  ↔  %d %@", row.id, row.probability, row.speakerA, row.nameA as NSString,
                                 row.speakerB, row.nameB as NSString))
                    for reason in row.reasons { print("    \(reason)") }
                }
                print("\naccept with --accept ID, reject with --reject ID")
            }
        }
    }
}
