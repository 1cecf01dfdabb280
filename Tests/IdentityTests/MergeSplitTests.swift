import Extraction
import FluentKit
import Foundation
@testable import Identity
import Logging
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport

/// Everything in the tables a merge touches, row by row, as text: two dumps are equal only
/// when the databases hold exactly the same rows.
func dump(_ db: any Database) async throws -> [String: [String]] {
    let sql = try db.sqlDatabase()
    var result: [String: [String]] = [:]
    let sqlite = TestDatabase.engine == .sqlite
    for table in ["speakers", "appearances", "field_provenance", "identity_candidates", "events", sqlite ? "speaker_fts" : "speaker_search",
                  "speaker_facet_values", "corrections", "speaker_attributes"] {
        let columns = try await sql.raw(sqlite ? "SELECT name FROM pragma_table_info(\(bind: table))"
                                               : "SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table) ORDER BY ordinal_position")
            .all().map { try $0.decode(column: "name", as: String.self) }
        let expression = columns.map { sqlite ? "quote(\($0))" : "quote_nullable(\($0)::text)" }.joined(separator: " || '|' || ")
        let order = table == "speaker_fts" ? "rowid" : table == "speaker_search" ? "speaker_id"
            : table == "speaker_facet_values" ? "speaker_id, facet, value" : "id"
        result[table] = try await sql.raw("SELECT \(unsafeRaw: expression) AS r FROM \(unsafeRaw: table) ORDER BY \(unsafeRaw: order)").all()
            .map { try $0.decode(column: "r", as: String.self) }
    }
    return result
}

/// Rows whose parent is missing, by SQLite's own check plus an explicit one.
func orphans(_ db: any Database) async throws -> [String] {
    let sql = try db.sqlDatabase()
    // PostgreSQL checks foreign keys on every statement; SQLite is asked.
    var found: [String] = []
    if TestDatabase.engine == .sqlite {
        found = try await sql.raw("PRAGMA foreign_key_check").all().map { "\(try $0.decode(column: "table", as: String.self))" }
    }
    let index: SQLQueryString = TestDatabase.engine == .sqlite
        ? "SELECT 'index ' || rowid FROM speaker_fts WHERE rowid NOT IN (SELECT id FROM speakers)"
        : "SELECT 'index ' || speaker_id FROM speaker_search WHERE speaker_id NOT IN (SELECT id FROM speakers)"
    let loose = try await sql.raw("""
        SELECT 'appearance ' || id AS r FROM appearances WHERE speaker_id NOT IN (SELECT id FROM speakers)
        UNION ALL SELECT 'provenance ' || id FROM field_provenance WHERE speaker_id NOT IN (SELECT id FROM speakers)
        UNION ALL SELECT 'candidate ' || id FROM identity_candidates WHERE speaker_a NOT IN (SELECT id FROM speakers) OR speaker_b NOT IN (SELECT id FROM speakers)
        UNION ALL \(index)
        """).all().map { try $0.decode(column: "r", as: String.self) }
    found += loose
    return found
}

/// Fills a database with speakers (many sharing names), events, appearances (some at
/// the same event, so merges must drop a duplicate appearance), provenance rows and
/// review candidates.
func populate(_ db: any Database, rng: inout SeededGenerator) async throws -> [Int] {
    let names = ["Jane Doe", "J. Doe", "Amara Okafor", "Li Wei", "Bill Turner", "William Turner", "Sofía García", "Sofia Garcia"]
    let organisations = ["Acme Institute", "Northbridge University", nil, "Council on Foreign Relations"]
    let speakerCount = 12, eventCount = 8
    var choices: [(String, String?, String?, [Int])] = []
    for index in 0..<speakerCount {
        let events = (0..<eventCount).filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
        choices.append((names[index % names.count], organisations.randomElement(using: &rng)!, Bool.random(using: &rng) ? "Bio \(index)" : nil, events))
    }
    let people = choices
    return try await db.writeTransaction { tx in
        var eventIDs: [Int] = []
        for index in 0..<eventCount {
            let event = Event(url: "https://events.example.org/e/\(index)", title: "Event \(index)")
            try await event.create(on: tx)
            eventIDs.append(try event.requireID())
        }
        var speakerIDs: [Int] = []
        for (name, affiliation, bio, events) in people {
            let speaker = Speaker(name: name, title: "Fellow", affiliation: affiliation, bio: bio)
            try await speaker.create(on: tx)
            let id = try speaker.requireID()
            speakerIDs.append(id)
            for event in events {
                try await Appearance(speakerID: id, eventID: eventIDs[event], role: "speaker", raw: "{\"name\":\"\(name)\"}").create(on: tx)
                try await FieldProvenance(speakerID: id, field: "affiliation", value: affiliation, origin: .page, eventID: eventIDs[event],
                                          extractor: "card", confidence: 0.8).create(on: tx)
            }
            try await FieldProvenance(speakerID: id, field: "title", value: "Fellow", origin: .page, confidence: 0.7).create(on: tx)
        }
        // People's work on the records: suggested corrections, and user-set tags (some
        // shared, so a merge meets a value both speakers carry).
        let sql = try tx.sqlDatabase()
        for (index, id) in speakerIDs.enumerated() {
            if index % 2 == 0 {
                try await sql.raw("""
                    INSERT INTO corrections (speaker_id, field, value, status, created_ms) VALUES (\(bind: id), 'title', \(bind: "Director \(index)"), 'pending', \(bind: 1_700_000_000_000 + index))
                    """).run()
            }
            for (value, label) in [("climate", "Climate"), ("topic-\(index)", "Topic \(index)")] where value == "climate" ? index % 3 == 0 : index % 4 == 1 {
                try await sql.raw("""
                    INSERT INTO speaker_attributes (speaker_id, kind, value, label, origin, confidence, created_at)
                    VALUES (\(bind: id), 'tag', \(bind: value), \(bind: label), 'user', 1.0, \(bind: 1_700_000_000_000 + index))
                    """).run()
            }
        }
        for index in stride(from: 0, to: speakerIDs.count - 1, by: 3) {
            try await IdentityCandidate(speakerA: speakerIDs[index], speakerB: speakerIDs[index + 1], probability: 0.7, reasons: "[\"test\"]").create(on: tx)
        }
        try await SpeakerSearchIndex.refresh(speakerIDs: nil, on: tx)
        return speakerIDs
    }
}

@Suite("Merge and split")
struct MergeSplitTests {
    static let refresh: @Sendable (any Database, [Int]) async throws -> Void = { db, ids in try await SpeakerFieldResolver(db).refresh(speakerIDs: ids) }

    @Test("merges then splits in reverse order restore the database exactly; no orphan rows at any step", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func mergeThenSplitRestores(seed: UInt64) async throws {
        try await TestDatabase.with { database in
            var rng = SeededGenerator(seed: seed)
            var live = try await populate(database.db, rng: &rng)
            let before = try await dump(database.db)
            #expect(try await orphans(database.db).isEmpty)
            let merger = SpeakerMerger(database.db)
            var merges: [Int] = []
            for _ in 0..<Int.random(in: 3...8, using: &rng) {
                live.shuffle(using: &rng)
                let keep = live[0], absorb = live[1]
                merges.append(try await merger.merge(keep: keep, absorb: absorb, decidedBy: "test", refreshFields: Self.refresh))
                live.remove(at: 1)
                #expect(try await orphans(database.db).isEmpty, "orphans after merging \(absorb) into \(keep) (seed \(seed))")
            }
            let speakers = try await Speaker.query(on: database.db).count()
            #expect(speakers == live.count)
            for merge in merges.reversed() {
                try await merger.split(mergeID: merge, refreshFields: Self.refresh)
                #expect(try await orphans(database.db).isEmpty, "orphans after splitting merge \(merge) (seed \(seed))")
            }
            let after = try await dump(database.db)
            for table in before.keys.sorted() {
                let was = before[table] ?? [], now = after[table] ?? []
                let lost = was.filter { !now.contains($0) }, gained = now.filter { !was.contains($0) }
                #expect(lost.isEmpty && gained.isEmpty && was.count == now.count, "table \(table) differs after merge and split (seed \(seed)): lost \(lost), gained \(gained)")
            }
        }
    }

    @Test func mergeMovesEveryChildRowAndAudits() async throws {
        try await TestDatabase.with { database in
            var rng = SeededGenerator(seed: 42)
            let ids = try await populate(database.db, rng: &rng)
            let keep = ids[0], absorb = ids[1]
            let sql = try database.db.sqlDatabase()
            func count(_ query: String, _ id: Int) async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: query) = \(bind: id)").first()!.decode(column: "n", as: Int.self)
            }
            let events = try await sql.raw("SELECT COUNT(DISTINCT event_id) AS n FROM appearances WHERE speaker_id IN (\(bind: keep), \(bind: absorb))").first()!
                .decode(column: "n", as: Int.self)
            let provenance = try await count("field_provenance WHERE speaker_id", keep) + (try await count("field_provenance WHERE speaker_id", absorb))
            let id = try await SpeakerMerger(database.db).merge(keep: keep, absorb: absorb, decidedBy: "test", refreshFields: Self.refresh)
            #expect(try await count("appearances WHERE speaker_id", absorb) == 0)
            #expect(try await count("appearances WHERE speaker_id", keep) == events)
            #expect(try await count("field_provenance WHERE speaker_id", keep) == provenance)
            #expect(try await Speaker.find(absorb, on: database.db) == nil)
            let audit = try #require(try await SpeakerMerge.find(id, on: database.db))
            #expect(audit.$kept.id == keep && audit.mergedSpeakerID == absorb && audit.decidedBy == "test")
            // The merged speaker is no longer searchable under its own id.
            let indexed = try await sql.raw(TestDatabase.engine == .sqlite ? "SELECT COUNT(*) AS n FROM speaker_fts WHERE rowid = \(bind: absorb)"
                                                                           : "SELECT COUNT(*) AS n FROM speaker_search WHERE speaker_id = \(bind: absorb)")
                .first()!.decode(column: "n", as: Int.self)
            #expect(indexed == 0)
        }
    }

    @Test func splitsMustUndoLaterMergesFirst() async throws {
        try await TestDatabase.with { database in
            var rng = SeededGenerator(seed: 9)
            let ids = try await populate(database.db, rng: &rng)
            let merger = SpeakerMerger(database.db)
            let first = try await merger.merge(keep: ids[0], absorb: ids[1], decidedBy: "test", refreshFields: Self.refresh)
            _ = try await merger.merge(keep: ids[2], absorb: ids[0], decidedBy: "test", refreshFields: Self.refresh)
            await #expect(throws: MergeError.keptSpeakerGone(mergeID: first)) {
                try await merger.split(mergeID: first, refreshFields: Self.refresh)
            }
            await #expect(throws: MergeError.sameSpeaker) {
                try await merger.merge(keep: ids[3], absorb: ids[3], decidedBy: "test", refreshFields: Self.refresh)
            }
            await #expect(throws: MergeError.missingSpeaker(ids[1])) {
                try await merger.merge(keep: ids[3], absorb: ids[1], decidedBy: "test", refreshFields: Self.refresh)
            }
            #expect(try await orphans(database.db).isEmpty)
        }
    }
}

@Suite("Resolution on a database")
struct ResolverTests {
    /// Writes speakers with their events; speakers at one event are co-speakers.
    func seed(_ db: any Database, _ people: [(name: String, title: String?, affiliation: String?, events: [Int])],
              urls: [Int: String] = [:]) async throws -> [Int] {
        try await db.writeTransaction { tx in
            var eventIDs: [Int: Int] = [:]
            var ids: [Int] = []
            for person in people {
                let speaker = Speaker(name: person.name, title: person.title, affiliation: person.affiliation)
                try await speaker.create(on: tx)
                let id = try speaker.requireID()
                ids.append(id)
                for event in person.events {
                    if eventIDs[event] == nil {
                        let row = Event(url: urls[event] ?? "https://forum.example.org/events/\(event)", title: "Event \(event)")
                        try await row.create(on: tx)
                        eventIDs[event] = try row.requireID()
                    }
                    try await Appearance(speakerID: id, eventID: eventIDs[event]!, role: "speaker").create(on: tx)
                }
            }
            try await SpeakerSearchIndex.refresh(speakerIDs: nil, on: tx)
            return ids
        }
    }

    @Test func mergesTheSamePersonKeepsHomonymsApartAndHonoursRejections() async throws {
        try await TestDatabase.with { database in
            let ids = try await seed(database.db, [
                ("Dr. Jane Doe", "Senior Fellow", "Council on Foreign Relations", [1, 2]),
                ("Jane Doe", "Senior Fellow", "CFR", [3]),
                ("Jane Doe", "Pastry Chef", "Boulangerie Martin", [9]),
                ("Omar Haddad", "Economist", "Northbridge University", [1, 3]),
                ("Priya Raman", "Director", "Acme Institute", [2, 3]),
            ])
            let resolver = SpeakerResolver(storage: database.context, logger: Logger(label: "test"))
            let report = try await resolver.resolve()
            #expect(report.merged == 1)
            #expect(try await Speaker.find(ids[1], on: database.db) == nil, "the CFR fellow is the same person")
            #expect(try await Speaker.find(ids[2], on: database.db) != nil, "the pastry chef is someone else")
            let kept = try #require(try await Speaker.find(ids[0], on: database.db))
            #expect(try await kept.$appearances.query(on: database.db).count() == 3)
            // Undo it: the pair is remembered as two people and not merged again.
            let merge = try #require(try await SpeakerMerge.query(on: database.db).first())
            try await resolver.split(mergeID: try merge.requireID())
            #expect(try await Speaker.find(ids[1], on: database.db) != nil)
            let again = try await resolver.resolve()
            #expect(again.merged == 0)
            #expect(try await Speaker.find(ids[1], on: database.db) != nil)
        }
    }

    /// A bilingual site shows each session in two languages, with the organisation
    /// translated: one name at a page and its translation is one person; at two different
    /// sessions, different organisations still keep two people apart.
    @Test func aPageAndItsTranslationAreOneEventForTheSameName() async throws {
        #expect(SpeakerResolver.twinKey(URL(string: "https://dataweek.example.org/en/2024-04-15/Room259.html")!)
                == SpeakerResolver.twinKey(URL(string: "https://dataweek.example.org/2024-04-15/Room259.html")!))
        #expect(SpeakerResolver.twinKey(URL(string: "https://x.example.org/pt-br/talks/a/index.html")!)
                == SpeakerResolver.twinKey(URL(string: "https://x.example.org/talks/a/")!))
        #expect(SpeakerResolver.twinKey(URL(string: "https://x.example.org/event?id=3")!) != SpeakerResolver.twinKey(URL(string: "https://x.example.org/event?id=4")!))
        #expect(SpeakerResolver.twinKey(URL(string: "https://x.example.org/enterprise/a")!) != SpeakerResolver.twinKey(URL(string: "https://x.example.org/a")!))
        try await TestDatabase.with { database in
            let site = "https://dataweek.example.org"
            let ids = try await seed(database.db, [
                ("Jan Forbes", nil, "Institut für Angewandte Informatik", [1]),
                ("Jan Forbes", nil, "Institute for Applied Informatics", [2]),
                ("Amara Okafor", "Chief Economist", "Marlow Foundation", [3]),
                ("Amara Okafor", "Chief Economist", "Northbridge Institute", [4]),
            ], urls: [1: site + "/2024-04-15/Room259.html", 2: site + "/en/2024-04-15/Room259.html",
                      3: site + "/2024-04-15/Festsaal.html", 4: site + "/en/2024-04-16/Festsaal.html"])
            let report = try await SpeakerResolver(storage: database.context, logger: Logger(label: "test")).resolve()
            #expect(report.merged == 1)
            #expect(try await Speaker.find(ids[1], on: database.db) == nil, "the translated page's record joined the other")
            #expect(try await Speaker.find(ids[3], on: database.db) != nil, "different sessions, different organisations: two people")
        }
    }

    @Test func aLinkManyPeopleShareIsNotEvidence() async throws {
        try await TestDatabase.with { database in
            // The event site's own speaker page, linked from every card (as on a real site).
            let ids = try await seed(database.db, [
                ("Rumesh Hapuarachchi", "Engineer", nil, [1]), ("Zhao Qiang", "Engineer", nil, [2]),
                ("Yuen Hoe Lim", "Engineer", nil, [3]), ("sva", nil, nil, [4]),
            ])
            try await database.db.writeTransaction { tx in
                for id in ids {
                    let speaker = try await Speaker.find(id, on: tx)!
                    speaker.links = #"{"website":"https://forum.example.org/speakers.html","github":"https://github.com/organizations/forum"}"#
                    try await speaker.save(on: tx)
                }
            }
            let report = try await SpeakerResolver(storage: database.context, logger: Logger(label: "test")).resolve()
            #expect(report.merged == 0)
            #expect(try await Speaker.query(on: database.db).count() == 4)
        }
    }

    @Test func theAliasTableJoinsRenamedOrganisations() async throws {
        try await TestDatabase.with { database in
            let ids = try await seed(database.db, [
                ("Amara Okafor", "Chief Economist", "Marlow Foundation", [1]),
                ("Amara Okafor", "Chief Economist", "Northbridge Institute", [2]),
            ])
            let resolver = SpeakerResolver(storage: database.context, logger: Logger(label: "test"))
            #expect(try await resolver.resolve().merged == 0, "different organisations: two people")
            try await database.db.writeTransaction { tx in
                try await AffiliationAlias(alias: "Marlow Foundation", aliasKey: TextNormalization.matchKey("Marlow Foundation"),
                                           canonical: "Northbridge Institute").create(on: tx)
            }
            #expect(try await resolver.resolve().merged == 1, "the alias says it is one organisation")
            #expect(try await Speaker.find(ids[1], on: database.db) == nil)
        }
    }

    @Test func coSpeakersCountByRecordNotByName() async throws {
        try await TestDatabase.with { database in
            // Two David Millers, each on a panel with a John Smith and a Jane Roe — but not
            // the same John Smith or Jane Roe (different organisations, separate records).
            _ = try await seed(database.db, [
                ("David Miller", "Marine Biologist", "Halvorsen Climate Lab", [1]),
                ("John Smith", "Economist", "Acme Institute", [1]),
                ("Jane Roe", "Editor", "Daily Ledger", [1]),
                ("David Miller", "Tax Partner", "Brightwater Partners", [2]),
                ("John Smith", "Surgeon", "St. Aldric's Hospital", [2]),
                ("Jane Roe", "Architect", "Roe Studio", [2]),
            ])
            let report = try await SpeakerResolver(storage: database.context, logger: Logger(label: "test")).resolve()
            #expect(report.merged == 0)
            #expect(report.queuedForReview == 0, "shared co-speaker names are no evidence")
        }
    }

    @Test func reviewPairsCanBeAcceptedOrRejected() async throws {
        try await TestDatabase.with { database in
            // Same name, nothing else known: unsure, so both pairs go to review.
            let ids = try await seed(database.db, [
                ("Ewan McCrae", nil, nil, [1]), ("Ewan McCrae", nil, nil, [2]),
                ("Meera Kulkarni", nil, nil, [3]), ("Meera Kulkarni", nil, nil, [4]),
            ])
            let resolver = SpeakerResolver(storage: database.context, logger: Logger(label: "test"))
            let first = try await resolver.resolve()
            #expect(first.merged == 0 && first.queuedForReview == 2)
            let pending = try await IdentityCandidate.query(on: database.db).sort(\.$speakerA.$id).all()
            try #require(pending.count == 2)
            let mergeID = try await resolver.accept(candidateID: try pending[0].requireID())
            #expect(try await Speaker.find(ids[1], on: database.db) == nil)
            #expect(try await SpeakerMerge.find(mergeID, on: database.db)?.decidedBy == "review")
            try await resolver.reject(candidateID: try pending[1].requireID())
            let again = try await resolver.resolve()
            #expect(again.merged == 0 && again.queuedForReview == 0, "decided pairs are not proposed again")
            #expect(try await Speaker.find(ids[3], on: database.db) != nil)
            await #expect(throws: MergeError.missingCandidate(999)) { try await resolver.reject(candidateID: 999) }
        }
    }

    @Test func aMergeNeverBlanksAFieldNoProvenanceSpeaksFor() async throws {
        try await TestDatabase.with { database in
            let ids = try await seed(database.db, [("Amara Okafor", nil, "Northbridge Institute", [1]), ("Amara Okafor", "Chief Economist", nil, [2])])
            try await database.db.writeTransaction { tx in
                let absorbed = try await Speaker.find(ids[1], on: tx)!
                absorbed.bio = "Works on trade finance."
                try await absorbed.save(on: tx)
            }
            _ = try await SpeakerResolver(storage: database.context, logger: Logger(label: "test")).merge(keep: ids[0], absorb: ids[1])
            let kept = try #require(try await Speaker.find(ids[0], on: database.db))
            #expect(kept.affiliation == "Northbridge Institute")
            #expect(kept.title == "Chief Economist")
            #expect(kept.bio == "Works on trade finance.")
        }
    }

    @Test func incrementalResolutionComparesOnlyTheNewSpeakers() async throws {
        try await TestDatabase.with { database in
            let ids = try await seed(database.db, [
                ("Amara Okafor", "Fellow", "Acme Institute", [1]),
                ("Amara Okafor", "Fellow", "Acme Institute", [2]),
                ("Kenji Watanabe", "Professor", "Northbridge University", [3]),
                ("Watanabe Kenji", "Professor", "Northbridge University", [4]),
            ])
            let resolver = SpeakerResolver(storage: database.context, logger: Logger(label: "test"))
            let report = try await resolver.resolve(speakerIDs: [ids[3]])
            #expect(report.merged == 1)
            #expect(try await Speaker.find(ids[3], on: database.db) == nil)
            #expect(try await Speaker.find(ids[1], on: database.db) != nil, "not in focus, not compared")
        }
    }
}
