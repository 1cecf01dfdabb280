import FluentKit
import Foundation
import SQLKit
import SpeakerCore

public enum ExportFormat: String, Sendable, CaseIterable {
    case json
    case ndjson
    case csv
}

/// Streams every speaker with their events in the stable export shape, in id order,
/// a batch at a time, so exporting 100,000 speakers needs little memory.
public struct SpeakerExporter: Sendable {
    let sql: any SQLDatabase
    public var batchSize = 1_000

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
    }

    static let csvHeader = ["speaker_id", "name", "title", "affiliation", "bio", "event_url", "event_title", "event_date", "role"]

    /// Calls `body` with each batch of speakers.
    public func forEachBatch(_ body: ([ExportSpeaker]) async throws -> Void) async throws {
        var lastID = 0
        while true {
            let speakers = try await sql.raw("""
                SELECT id, name, title, affiliation, bio FROM speakers WHERE id > \(bind: lastID)
                ORDER BY id LIMIT \(literal: batchSize)
                """).all(decoding: SpeakerRow.self)
            guard let last = speakers.last else { return }
            lastID = last.id
            let ids = speakers.map(\.id)
            let appearances = try await sql.raw("""
                SELECT a.speaker_id, e.url, e.title, e.starts_on, a.role
                FROM appearances a JOIN events e ON e.id = a.event_id
                WHERE a.speaker_id IN (\(binds: ids))
                ORDER BY a.speaker_id, e.starts_on, e.url
                """).all(decoding: AppearanceRow.self)
            let bySpeaker = Dictionary(grouping: appearances, by: \.speaker_id)
            try await body(speakers.map { row in
                ExportSpeaker(id: row.id, name: row.name, title: row.title, affiliation: row.affiliation, bio: row.bio,
                              events: (bySpeaker[row.id] ?? []).map {
                                  ExportAppearance(url: $0.url, title: $0.title, date: $0.starts_on, role: $0.role)
                              })
            })
        }
    }

    /// Writes the whole export in `format`, handing chunks of UTF-8 text to `write`.
    public func export(format: ExportFormat, write: (String) async throws -> Void) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch format {
        case .json:
            try await write("{\"speakers\": [")
            var first = true
            try await forEachBatch { batch in
                var chunk = ""
                for speaker in batch {
                    chunk += (first ? "\n" : ",\n") + String(decoding: try encoder.encode(speaker), as: UTF8.self)
                    first = false
                }
                try await write(chunk)
            }
            try await write("\n]}\n")
        case .ndjson:
            try await forEachBatch { batch in
                var chunk = ""
                for speaker in batch {
                    chunk += String(decoding: try encoder.encode(speaker), as: UTF8.self) + "\n"
                }
                try await write(chunk)
            }
        case .csv:
            try await write(CSVWriter.row(Self.csvHeader))
            try await forEachBatch { batch in
                var chunk = ""
                for speaker in batch {
                    let base = [String(speaker.id ?? 0), speaker.name, speaker.title, speaker.affiliation, speaker.bio]
                    if speaker.events.isEmpty {
                        chunk += CSVWriter.row(base + [nil, nil, nil, nil])
                    }
                    for event in speaker.events {
                        chunk += CSVWriter.row(base + [event.url, event.title, event.date, event.role])
                    }
                }
                try await write(chunk)
            }
        }
    }

    struct SpeakerRow: Decodable {
        var id: Int
        var name: String
        var title: String?
        var affiliation: String?
        var bio: String?
    }

    struct AppearanceRow: Decodable {
        var speaker_id: Int
        var url: String
        var title: String?
        var starts_on: String?
        var role: String
    }
}
