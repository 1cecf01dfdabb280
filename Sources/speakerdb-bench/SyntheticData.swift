import FluentKit
import Foundation
import SQLKit
import Storage

/// Deterministic synthetic speakers, events and appearances for benchmarks, inserted in
/// bulk with bound parameters (never string-built SQL).
struct SyntheticData {
    var speakers: Int
    var events: Int
    var appearances: Int
    var seed: UInt64 = 42

    static let firstNames = ["Amara", "José", "Hanako", "David", "Ingrid", "Rahul", "Wei", "Fatima", "Sophie", "Kwame", "Elena",
                             "Lucía", "Tomás", "Aisha", "Oliver", "Mei", "Lars", "Priya", "Mateo", "Chloé", "Yusuf", "Ana", "Jonas",
                             "Nadia", "Kenji", "Grace", "Omar", "Isabel", "Viktor", "Leila", "Samuel", "Ayumi", "Henrik", "Zanele"]
    static let lastNames = ["Okafor", "Núñez", "Yamada", "Miller", "Solberg", "Mehta", "Chen", "Benali", "Laurent", "Mensah",
                            "Petrova", "Fernández", "Ferreira", "Khan", "Smith", "Lin", "Eriksen", "Sharma", "García", "Dubois",
                            "Demir", "Silva", "Becker", "Haddad", "Sato", "Osei", "Rahman", "Costa", "Novak", "Farouk", "Ndlovu"]
    static let titles = ["Senior Fellow", "Professor", "Director", "Chief Economist", "Research Fellow", "CEO", "Minister",
                         "Journalist", "Head of Policy", "Associate Professor", "Founder", "Programme Manager", "Ambassador"]
    static let topics = ["climate", "finance", "trade", "energy", "health", "security", "migration", "technology", "education",
                         "housing", "water", "oceans", "democracy", "media", "China", "Europe", "Africa", "India", "cities",
                         "artificial intelligence", "biodiversity", "taxation", "inequality", "food", "transport", "labour"]
    static let cities = ["London", "Berlin", "Paris", "Madrid", "Tokyo", "New York", "Nairobi", "Singapore", "Lagos", "São Paulo",
                         "Mumbai", "Sydney", "Toronto", "Geneva", "Brussels", "Washington", "Cape Town", "Seoul", "Mexico City", "Oslo"]
    static let roles = ["speaker", "speaker", "speaker", "panelist", "panelist", "moderator", "keynote", "host"]

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
    }

    func insert(into db: any Database) async throws {
        let sql = try db.sqlDatabase()
        let seed = self.seed, events = self.events, speakers = self.speakers, appearances = self.appearances
        let now = Date().timeIntervalSince1970
        let organisations = (0..<2000).map { index -> String in
            let kind = ["Institute", "University", "Foundation", "Council", "Partners", "Lab", "Centre", "Forum"][index % 8]
            return "\(Self.lastNames[index % Self.lastNames.count]) \(Self.topics[index % Self.topics.count].capitalized) \(kind) \(index / 200)"
        }
        try await db.writeTransaction { tx in
            var random = Random(state: seed)
            let sql = try tx.sqlDatabase()
            for start in stride(from: 0, to: events, by: 1000) {
                var rows: [SQLQueryString] = []
                for index in start..<min(events, start + 1000) {
                    let year = 2012 + index % 14, month = 1 + random.int(0..<12), day = 1 + random.int(0..<28)
                    let title = "\(random.pick(Self.topics).capitalized) and \(random.pick(Self.topics)): \(random.pick(["a conversation", "panel", "lecture", "summit", "workshop"]))"
                    let date = String(format: "%04d-%02d-%02d", year, month, day)
                    rows.append("(\(bind: index + 1), \(bind: "https://bench.example.org/events/\(index + 1)"), \(bind: title), \(bind: date), \(bind: random.pick(Self.cities)), 'fetched', 'done', \(bind: now), \(bind: now))")
                }
                try await sql.raw("INSERT INTO events (id, url, title, starts_on, location, fetch_state, extract_state, created_at, updated_at) VALUES \(rows.joined(separator: ", "))").run()
            }
            for start in stride(from: 0, to: speakers, by: 1000) {
                var rows: [SQLQueryString] = []
                for index in start..<min(speakers, start + 1000) {
                    let name = "\(random.pick(Self.firstNames)) \(random.pick(Self.lastNames))"
                    let bio = "Works on \(random.pick(Self.topics)), \(random.pick(Self.topics)) and \(random.pick(Self.topics)) policy; previously advised on \(random.pick(Self.topics))."
                    let created = now - Double(random.int(0..<(3 * 365 * 86_400)))
                    rows.append("(\(bind: index + 1), \(bind: name), \(bind: name.lowercased().folding(options: .diacriticInsensitive, locale: nil)), \(bind: random.pick(Self.titles)), \(bind: random.pick(organisations)), \(bind: bio), \(bind: random.int(0..<3) == 0 ? random.pick(Self.cities) : nil as String?), \(bind: created), \(bind: created))")
                }
                try await sql.raw("INSERT INTO speakers (id, name, name_key, title, affiliation, bio, location, created_at, updated_at) VALUES \(rows.joined(separator: ", "))").run()
            }
            var seen = Set<Int>()
            var pending: [SQLQueryString] = []
            var id = 0
            while id < appearances {
                let speaker = 1 + random.int(0..<speakers), event = 1 + random.int(0..<events)
                guard seen.insert(speaker &* 1_000_003 &+ event).inserted else { continue }
                id += 1
                pending.append("(\(bind: id), \(bind: speaker), \(bind: event), \(bind: random.pick(Self.roles)), 'synthetic', 1.0, \(bind: now))")
                if pending.count == 1000 || id == appearances {
                    try await sql.raw("INSERT INTO appearances (id, speaker_id, event_id, role, extractor, confidence, created_at) VALUES \(pending.joined(separator: ", "))").run()
                    pending.removeAll(keepingCapacity: true)
                }
            }
            try await SpeakerSearchIndex.refresh(speakerIDs: nil, on: tx)
            try await IdentitySequences.resync(on: tx)
        }
        if try sql.engine() == .sqlite {
            try await sql.raw("ANALYZE").run()
        }
    }
}
