import FluentKit
import Foundation
import SQLKit
import SpeakerCore
import Storage
import Testing
import TestSupport

/// Each speaker's stored `appearance_count` (migration 030), kept by triggers on
/// `appearances`, equals the number of its appearances after every kind of write.
@Suite("Stored appearance counts")
struct AppearanceCountTests {
    /// Speakers whose stored count differs from their appearances.
    static func wrongCounts(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM speakers s WHERE s.appearance_count <> (SELECT COUNT(*) FROM appearances a WHERE a.speaker_id = s.id)
            """).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    static func count(_ sql: any SQLDatabase, _ id: Int) async throws -> Int {
        try await sql.raw("SELECT appearance_count FROM speakers WHERE id = \(bind: id)").first()?.decode(column: "appearance_count", as: Int.self) ?? -1
    }

    @Test func theCountFollowsInsertsMovesAndDeletes() async throws {
        try await TestDatabase.with { database in
            let sql = database.context.sql
            let ada = Speaker(name: "Ada Quill"), ben = Speaker(name: "Ben Ostrow")
            try await ada.create(on: database.db)
            try await ben.create(on: database.db)
            var events: [Int] = []
            for n in 1...3 {
                let event = Event(url: "https://events.example.org/\(n)")
                try await event.create(on: database.db)
                events.append(event.id!)
            }
            let now = Date()
            for event in events {
                try await sql.raw("INSERT INTO appearances (speaker_id, event_id, role, created_at) VALUES (\(bind: ada.id!), \(bind: event), 'speaker', \(bind: now))").run()
            }
            try await sql.raw("INSERT INTO appearances (speaker_id, event_id, role, created_at) VALUES (\(bind: ben.id!), \(bind: events[0]), 'speaker', \(bind: now))").run()
            #expect(try await Self.count(sql, ada.id!) == 3)
            #expect(try await Self.count(sql, ben.id!) == 1)
            // A merge moves appearances from one speaker to another.
            try await sql.raw("UPDATE appearances SET speaker_id = \(bind: ben.id!) WHERE speaker_id = \(bind: ada.id!) AND event_id = \(bind: events[2])").run()
            #expect(try await Self.count(sql, ada.id!) == 2)
            #expect(try await Self.count(sql, ben.id!) == 2)
            // Updating another column moves nothing.
            try await sql.raw("UPDATE appearances SET role = 'moderator' WHERE speaker_id = \(bind: ada.id!)").run()
            #expect(try await Self.count(sql, ada.id!) == 2)
            // Re-extraction deletes an event's appearances.
            try await sql.raw("DELETE FROM appearances WHERE event_id = \(bind: events[0])").run()
            #expect(try await Self.count(sql, ada.id!) == 1)
            #expect(try await Self.count(sql, ben.id!) == 1)
            #expect(try await Self.wrongCounts(sql) == 0)
            // The list sorted by appearances reads the stored count.
            try await sql.raw("INSERT INTO appearances (speaker_id, event_id, role, created_at) VALUES (\(bind: ben.id!), \(bind: events[1]), 'speaker', \(bind: now))").run()
            let sorted = try await SpeakerQueries(database.db).list(SpeakerFilter(), sort: .appearances, page: PageRequest())
            #expect(sorted.items.map(\.name) == ["Ben Ostrow", "Ada Quill"])
        }
    }
}
