import Extraction
import FluentKit
import Foundation
import Logging
import SQLKit
import SpeakerCore
import Storage

public struct ResolveReport: Sendable, Codable, Equatable {
    public var speakers = 0
    public var blocks = 0
    public var pairsCompared = 0
    public var merged = 0
    public var queuedForReview = 0
    public var seconds = 0.0
    /// Of which: loading records, comparing pairs, writing merges and review pairs.
    public var secondsLoading = 0.0
    public var secondsComparing = 0.0
    public var secondsWriting = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case speakers, blocks, merged, seconds
        case secondsLoading = "seconds_loading", secondsComparing = "seconds_comparing", secondsWriting = "seconds_writing"
        case pairsCompared = "pairs_compared"
        case queuedForReview = "queued_for_review"
    }
}

/// Finds speakers who are one person: candidate pairs by blocking (family name and first
/// initial, reversed order, shared profile links — never all pairs), each scored by
/// `PairScorer`; sure pairs are merged (audited, undoable), unsure ones queued for review,
/// pairs someone rejected are never proposed again.
public final class SpeakerResolver: Sendable {
    let storage: StorageContext
    let scorer: PairScorer
    let logger: Logger
    /// Blocks larger than this are compared only within shared-organisation sub-blocks.
    let maxBlockSize = 200

    public init(storage: StorageContext, scorer: PairScorer = PairScorer(), logger: Logger) {
        self.storage = storage
        self.scorer = scorer
        self.logger = logger
    }

    /// Loads what the scorer needs about every speaker, or only about `only` (with the
    /// appearances of everyone at their events, for shared events and co-speakers).
    func loadRecords(only: [Int]? = nil) async throws -> [Int: IdentityRecord] {
        let sql = storage.sql
        struct Row: Decodable {
            var id: Int
            var name: String
            var title: String?
            var affiliation: String?
            var bio: String?
            var photo_url: String?
            var links: String?
        }
        var records: [Int: IdentityRecord] = [:]
        var lastID = 0
        while true {
            let rows = try await sql.raw("""
                SELECT id, name, title, affiliation, bio, photo_url, links FROM speakers WHERE id > \(bind: lastID) \(speakerFilter(only, column: "id"))
                ORDER BY id LIMIT 20000
                """).all(decoding: Row.self)
            guard let last = rows.last else { break }
            lastID = last.id
            for row in rows {
                var links: [String] = []
                if let json = row.links, let object = try? JSONDecoder().decode(ProfileLinks.self, from: Data(json.utf8)) {
                    links = [object.website, object.linkedin, object.x, object.github, object.orcid].compactMap { $0 }
                }
                records[row.id] = IdentityRecord(id: row.id, name: row.name, title: row.title, affiliation: row.affiliation, bio: row.bio,
                                                 links: links, photoURL: row.photo_url)
            }
        }
        // Events and co-speakers, from the appearances.
        var byEvent: [Int: [Int]] = [:]
        var lastAppearance = 0
        while true {
            let rows = try await sql.raw("""
                SELECT id, speaker_id, event_id FROM appearances WHERE id > \(bind: lastAppearance)
                \(only == nil ? "" : "AND event_id IN (SELECT event_id FROM appearances WHERE 1 = 1 \(speakerFilter(only, column: "speaker_id")))" as SQLQueryString)
                ORDER BY id LIMIT 50000
                """).all()
            guard !rows.isEmpty else { break }
            for row in rows {
                lastAppearance = try row.decode(column: "id", as: Int.self)
                byEvent[try row.decode(column: "event_id", as: Int.self), default: []].append(try row.decode(column: "speaker_id", as: Int.self))
            }
        }
        // An event page and its translation ("/2024-04-15/Room259.html" and
        // "/en/2024-04-15/Room259.html") are one event: each event is also known by its URL
        // without a language segment.
        var twinKeys: [Int: String] = [:]
        let eventIDs = Array(byEvent.keys).sorted()
        for start in stride(from: 0, to: eventIDs.count, by: 5000) {
            let batch = Array(eventIDs[start..<min(start + 5000, eventIDs.count)])
            for row in try await sql.raw("SELECT id, url FROM events WHERE id IN (\(binds: batch))").all() {
                let id = try row.decode(column: "id", as: Int.self)
                if let url = URL(string: try row.decode(column: "url", as: String.self)), let key = Self.twinKey(url) { twinKeys[id] = key }
            }
        }
        // Co-speakers by record id, not by name: two "David Miller"s who both once shared a
        // stage with some "John Smith" are no evidence; the same John Smith record is.
        for (event, speakers) in byEvent where speakers.count <= 60 {
            for speaker in speakers {
                records[speaker]?.events.insert(String(event))
                if let key = twinKeys[event] { records[speaker]?.events.insert(key) }
                for other in speakers where other != speaker { records[speaker]?.coSpeakers.insert("#" + String(other)) }
            }
        }
        return records
    }

    /// Language codes that a site puts first in the path of a page's translations.
    static let languageSegments: Set<String> = ["en", "de", "fr", "es", "pt", "it", "nl", "ca", "eu", "gl", "pl", "cs", "sv", "da", "no", "nb",
                                                "fi", "ja", "zh", "ko", "ru", "uk", "tr", "el", "ar", "he", "hu", "ro", "sk", "sl", "hr", "sr"]

    /// An event's URL without a leading language segment ("/en/", "/pt-br/") or a final
    /// "index.html": the same for a page and its translations, marked "twin:" so it never
    /// equals an event id.
    static func twinKey(_ url: URL) -> String? {
        guard let host = url.host?.lowercased() else { return nil }
        var segments = url.path.split(separator: "/").map(String.init)
        if let first = segments.first?.lowercased(), segments.count >= 2 {
            let language = first.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? first
            if languageSegments.contains(language), first.count == 2 || (first.count == 5 && first.dropFirst(2).first.map { $0 == "-" || $0 == "_" } == true) {
                segments.removeFirst()
            }
        }
        if segments.last == "index.html" { segments.removeLast() }
        return "twin:" + host + "/" + segments.joined(separator: "/") + (url.query.map { "?" + $0 } ?? "") + (url.fragment.map { "#" + $0 } ?? "")
    }

    func speakerFilter(_ ids: [Int]?, column: String) -> SQLQueryString {
        guard let ids else { return "" }
        return "AND \(ident: column) IN (\(binds: ids.isEmpty ? [0] : ids))"
    }

    /// Resolves every speaker (`speakerIDs` nil) or the given ones against everyone.
    public func resolve(speakerIDs: [Int]? = nil) async throws -> ResolveReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = ResolveReport()
        var records = try await loadRecords()
        report.speakers = records.count
        report.secondsLoading = (clock.now - started).inSeconds
        // The editable alias table (`speakerdb aliases`) joins the built-in acronyms.
        let aliases = try await AffiliationAlias.query(on: storage.database).all()
        let scorer = aliases.isEmpty ? self.scorer
            : PairScorer(affiliations: AffiliationMatcher(aliases: Dictionary(aliases.map { ($0.alias, $0.canonical) }, uniquingKeysWith: { a, _ in a })))
        // A link that several differently named speakers share (the event site's own
        // speaker page, an employer's homepage) says nothing about who someone is.
        var namesByLink: [String: Set<String>] = [:]
        for record in records.values {
            for link in record.links { if let key = PairScorer.profileKey(link) { namesByLink[key, default: []].insert(TextNormalization.matchKey(record.name)) } }
        }
        let sharedLinks = Set(namesByLink.filter { $0.value.count >= 3 }.keys)
        if !sharedLinks.isEmpty {
            for (id, record) in records where !record.links.isEmpty {
                records[id]?.links = record.links.filter { PairScorer.profileKey($0).map { !sharedLinks.contains($0) } ?? false }
            }
        }
        let memo = ScoringMemo(scorer)
        var blocks: [String: [Int]] = [:]
        for record in records.values {
            let parts = memo.parts(record.name)
            for key in parts.blockingKeys { blocks[key, default: []].append(record.id) }
            for link in record.links { if let key = PairScorer.profileKey(link) { blocks["link:" + key, default: []].append(record.id) } }
        }
        let focus = speakerIDs.map(Set.init)
        func pairKey(_ a: Int, _ b: Int) -> Int { min(a, b) << 32 | max(a, b) }
        let candidates = try await IdentityCandidate.query(on: storage.database).all()
        let rejected = Set(candidates.filter { $0.status == IdentityCandidate.Status.rejected.rawValue }.map { pairKey($0.$speakerA.id, $0.$speakerB.id) })
        let known = Set(candidates.map { pairKey($0.$speakerA.id, $0.$speakerB.id) })
        // A pair that shares several ordinary blocks is compared once, in the first of them
        // (by key order), so no set of every pair seen is needed; pairs from the sub-blocks
        // of oversized blocks are deduplicated with a (small) set.
        var keysOf: [Int: [String]] = [:]
        for (key, members) in blocks where members.count >= 2 && members.count <= maxBlockSize {
            for id in members { keysOf[id, default: []].append(key) }
        }
        // Compare on every core: ordinary blocks are dealt out to workers, each with its own
        // memo; oversized blocks (deduplicated with a set) all go to the first worker.
        let blockList = blocks.filter { $0.value.count >= 2 }.sorted { $0.key < $1.key }
        report.blocks = blockList.count
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        let frozenRecords = records, frozenKeysOf = keysOf, scorerForWorkers = scorer, limit = maxBlockSize
        let parts = await withTaskGroup(of: ComparisonPart.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    Self.compare(blocks: blockList, worker: worker, workers: workers, records: frozenRecords, keysOf: frozenKeysOf, focus: focus,
                                 rejected: rejected, scorer: scorerForWorkers, maxBlockSize: limit)
                }
            }
            var parts: [ComparisonPart] = []
            for await part in group { parts.append(part) }
            return parts
        }
        var merges: [(Int, Int, PairScore)] = []
        var reviews: [(Int, Int, PairScore)] = []
        for part in parts {
            report.pairsCompared += part.compared
            merges += part.merges
            reviews += part.reviews
        }
        // Merge chains into the oldest speaker of each group — but only when everyone in
        // the two groups could be one person: A~B and B~C must not join A and C when A and C
        // clearly differ.
        var parent: [Int: Int] = [:]
        var members: [Int: [Int]] = [:]
        func find(_ x: Int) -> Int {
            var root = x
            while let next = parent[root], next != root { root = next }
            return root
        }
        func compatible(_ ra: Int, _ rb: Int) -> Bool {
            for x in (members[ra] ?? [ra]).prefix(40) {
                for y in (members[rb] ?? [rb]).prefix(40) {
                    guard let rx = records[x], let ry = records[y] else { continue }
                    if scorer.score(rx, ry, memo: memo).probability < 0.2 { return false }
                }
            }
            return true
        }
        // Plan the merges in memory first, then write them in batches (one transaction per
        // batch; a batch that fails is retried merge by merge, so one bad pair costs only itself).
        var planned: [(keep: Int, absorb: Int, score: PairScore)] = []
        for (a, b, score) in merges.sorted(by: { $0.2.probability != $1.2.probability ? $0.2.probability > $1.2.probability : ($0.0, $0.1) < ($1.0, $1.1) }) {
            let ra = find(a), rb = find(b)
            guard ra != rb else { continue }
            let keep = min(ra, rb), absorb = max(ra, rb)
            guard compatible(ra, rb) else {
                reviews.append((a, b, score))
                continue
            }
            parent[absorb] = keep
            members[keep] = (members[keep] ?? [keep]) + (members[absorb] ?? [absorb])
            members[absorb] = nil
            planned.append((keep, absorb, score))
        }
        let writing = clock.now
        report.secondsComparing = (writing - started).inSeconds - report.secondsLoading
        for batch in planned.chunked(into: 200) {
            do {
                try await storage.database.writeTransaction { tx in
                    for merge in batch {
                        try await SpeakerMerger(tx).merge(keep: merge.keep, absorb: merge.absorb, decidedBy: "auto", probability: merge.score.probability,
                                                          reasons: merge.score.reasons, refreshFields: Self.refresh)
                    }
                }
                report.merged += batch.count
            } catch {
                for merge in batch {
                    do {
                        try await SpeakerMerger(storage.database).merge(keep: merge.keep, absorb: merge.absorb, decidedBy: "auto",
                                                                        probability: merge.score.probability, reasons: merge.score.reasons, refreshFields: Self.refresh)
                        report.merged += 1
                    } catch {
                        logger.warning("merge failed", metadata: ["keep": .stringConvertible(merge.keep), "absorb": .stringConvertible(merge.absorb),
                                                                  "error": .string("\(error)")])
                    }
                }
            }
        }
        var queued = Set<Int>()
        var toQueue: [(Int, Int, PairScore)] = []
        for (a, b, score) in reviews.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            let ra = find(a), rb = find(b)
            guard ra != rb, !known.contains(pairKey(ra, rb)), queued.insert(pairKey(ra, rb)).inserted else { continue }
            toQueue.append((min(ra, rb), max(ra, rb), score))
        }
        for batch in toQueue.chunked(into: 500) {
            report.queuedForReview += try await queue(batch)
        }
        report.seconds = (clock.now - started).inSeconds
        report.secondsWriting = (clock.now - writing).inSeconds
        return report
    }

    struct ComparisonPart: Sendable {
        var compared = 0
        var merges: [(Int, Int, PairScore)] = []
        var reviews: [(Int, Int, PairScore)] = []
    }

    /// One worker's share of the comparisons. A pair that shares several ordinary blocks
    /// is compared only in the first of them by key order.
    static func compare(blocks: [(key: String, value: [Int])], worker: Int, workers: Int, records: [Int: IdentityRecord], keysOf: [Int: [String]],
                        focus: Set<Int>?, rejected: Set<Int>, scorer: PairScorer, maxBlockSize: Int) -> ComparisonPart {
        let memo = ScoringMemo(scorer)
        var part = ComparisonPart()
        var seenInSubBlocks = Set<Int>()
        func pairKey(_ a: Int, _ b: Int) -> Int { min(a, b) << 32 | max(a, b) }
        func firstSharedOrdinaryKey(_ a: Int, _ b: Int) -> String? {
            guard let ka = keysOf[a], let kb = keysOf[b] else { return nil }
            var best: String?
            for key in ka where kb.contains(key) { if best == nil || key < best! { best = key } }
            return best
        }
        for (index, (blockKey, members)) in blocks.enumerated() {
            let oversized = members.count > maxBlockSize
            guard oversized ? worker == 0 : index % workers == worker else { continue }
            for (a, b) in pairs(members.sorted(), records: records, maxBlockSize: maxBlockSize) {
                if let focus, !focus.contains(a) && !focus.contains(b) { continue }
                let key = pairKey(a, b)
                if oversized {
                    guard firstSharedOrdinaryKey(a, b) == nil, seenInSubBlocks.insert(key).inserted else { continue }
                } else {
                    guard firstSharedOrdinaryKey(a, b) == blockKey else { continue }
                }
                guard !rejected.contains(key), let ra = records[a], let rb = records[b] else { continue }
                part.compared += 1
                let score = scorer.score(ra, rb, memo: memo, explainAll: false)
                switch score.decision() {
                case .merge: part.merges.append((min(a, b), max(a, b), score))
                case .review: part.reviews.append((min(a, b), max(a, b), score))
                case .separate: break
                }
            }
        }
        return part
    }

    /// Pairs to compare within a block; oversized blocks only pair records that share a
    /// distinctive organisation word or an event.
    static func pairs(_ ids: [Int], records: [Int: IdentityRecord], maxBlockSize: Int) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        if ids.count <= maxBlockSize {
            for i in 0..<ids.count { for j in (i + 1)..<ids.count { result.append((ids[i], ids[j])) } }
            return result
        }
        let matcher = AffiliationMatcher()
        var sub: [String: [Int]] = [:]
        for id in ids {
            guard let record = records[id] else { continue }
            for word in record.affiliation.map(matcher.distinctive) ?? [] { sub["org:" + word, default: []].append(id) }
            for event in record.events { sub["event:" + event, default: []].append(id) }
        }
        for (_, members) in sub where members.count >= 2 && members.count <= maxBlockSize {
            for i in 0..<members.count { for j in (i + 1)..<members.count { result.append((members[i], members[j])) } }
        }
        return result
    }

    /// Adds pending review pairs (the caller left out pairs already known); a pair another
    /// process queued meanwhile is skipped by the unique key. Returns how many were given.
    func queue(_ pairs: [(Int, Int, PairScore)]) async throws -> Int {
        guard !pairs.isEmpty else { return 0 }
        let now = Date()
        let rows: [[any SQLExpression]] = try pairs.map { a, b, score in
            [SQLBind(a), SQLBind(b), SQLBind(score.probability), SQLBind(String(decoding: try JSONEncoder().encode(score.reasons), as: UTF8.self)),
             SQLBind(IdentityCandidate.Status.pending.rawValue), SQLBind(now)]
        }
        try await storage.database.writeTransaction { tx in
            let insert = try tx.sqlDatabase().insert(into: IdentityCandidate.schema)
                .columns("speaker_a", "speaker_b", "probability", "reasons", "status", "created_at")
            for row in rows { insert.values(row) }
            try await insert.ignoringConflicts(with: ["speaker_a", "speaker_b"]).run()
        }
        return pairs.count
    }

    /// Records a decision that two speakers are different people.
    static func recordRejection(_ a: Int, _ b: Int, probability: Double, reasons: String, on db: any Database) async throws {
        let (first, second) = (min(a, b), max(a, b))
        let candidate = try await IdentityCandidate.query(on: db).filter(\.$speakerA.$id == first).filter(\.$speakerB.$id == second).first()
            ?? IdentityCandidate(speakerA: first, speakerB: second, probability: probability, reasons: reasons)
        candidate.status = IdentityCandidate.Status.rejected.rawValue
        candidate.decidedAt = Date()
        try await candidate.save(on: db)
    }

    /// Accepts a review pair: merges it (audited as a review decision).
    public func accept(candidateID: Int) async throws -> Int {
        guard let candidate = try await IdentityCandidate.find(candidateID, on: storage.database) else { throw MergeError.missingCandidate(candidateID) }
        let reasons = candidate.reasonList
        let a = candidate.$speakerA.id, b = candidate.$speakerB.id, probability = candidate.probability
        // The decision and the merge land together or not at all.
        return try await storage.database.writeTransaction { tx in
            candidate.status = IdentityCandidate.Status.accepted.rawValue
            candidate.decidedAt = Date()
            try await candidate.save(on: tx)
            return try await SpeakerMerger(tx).merge(keep: a, absorb: b, decidedBy: "review", probability: probability, reasons: reasons,
                                                     refreshFields: Self.refresh)
        }
    }

    /// Rejects a review pair: they stay apart and are not proposed again.
    public func reject(candidateID: Int) async throws {
        try await storage.database.writeTransaction { tx in
            guard let candidate = try await IdentityCandidate.find(candidateID, on: tx) else { throw MergeError.missingCandidate(candidateID) }
            try await Self.recordRejection(candidate.$speakerA.id, candidate.$speakerB.id, probability: candidate.probability,
                                           reasons: candidate.reasons, on: tx)
        }
    }
}

extension SpeakerResolver {
    static let refresh: @Sendable (any Database, [Int]) async throws -> Void = { db, ids in try await SpeakerFieldResolver(db).refresh(speakerIDs: ids) }

    /// Merges two speakers by hand (`speakerdb speakers merge A B`): B into A, audited as
    /// decided by `decidedBy`, undoable with `split`. Returns the merge id.
    public func merge(keep: Int, absorb: Int, decidedBy: String = "user") async throws -> Int {
        let records = try await loadRecords(only: [keep, absorb])
        let score = records[keep].flatMap { a in records[absorb].map { b in scorer.score(a, b) } }
        return try await SpeakerMerger(storage.database).merge(keep: keep, absorb: absorb, decidedBy: decidedBy, probability: score?.probability,
                                                               reasons: score?.reasons ?? [], refreshFields: Self.refresh)
    }

    /// Undoes one merge exactly; the pair is then never merged automatically again.
    public func split(mergeID: Int) async throws {
        guard let merge = try await SpeakerMerge.find(mergeID, on: storage.database) else { throw MergeError.missingMerge(mergeID) }
        let kept = merge.$kept.id, merged = merge.mergedSpeakerID
        try await SpeakerMerger(storage.database).split(mergeID: mergeID, refreshFields: Self.refresh)
        guard let kept else { return }
        // A split is a decision: remember it so the next resolution does not merge them again.
        let probability = merge.probability ?? 0, reasons = merge.reasons ?? "[]"
        try await storage.database.writeTransaction { tx in
            try await Self.recordRejection(kept, merged, probability: probability, reasons: reasons, on: tx)
        }
    }
}
