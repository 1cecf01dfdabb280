import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// Where a speaker's shared link leads once the speaker is no longer there: organisations
/// share `/speakers/<id>` links and people's records merge, so a merged speaker's link
/// follows the merges (`speaker_merges`, undone ones skipped) to the speaker kept, and a
/// removed speaker's link says it is gone (`speaker_tombstones`).
public struct SpeakerLinks: Sendable {
    public enum Whereabouts: Sendable, Equatable {
        /// Merged (perhaps more than once) into this speaker, who exists.
        case mergedInto(Int)
        /// Removed, with why.
        case gone(String)
        /// No speaker ever had this id, as far as the database knows.
        case unknown
    }

    /// Merges followed at most; a longer chain is treated as unknown.
    static let maximumHops = 32

    let sql: any SQLDatabase

    public init(_ db: any Database) throws {
        sql = try db.sqlDatabase()
    }

    /// Where the missing speaker `id` went. Call it only for an id with no speaker row.
    public func whereabouts(of id: Int) async throws -> Whereabouts {
        var current = id
        for hop in 0..<Self.maximumHops {
            if hop > 0, try await sql.raw("SELECT 1 AS ok FROM speakers WHERE id = \(bind: current)").first() != nil {
                return .mergedInto(current)
            }
            if var merge = try await latestMerge(of: current) {
                // The speaker kept by that merge was itself merged away later (its row's
                // kept id was then cleared): the later merge lists this one in its snapshot.
                while merge.kept == nil {
                    guard let forward = try await mergeAbsorbingKeeper(of: merge.id) else {
                        return .gone("It was merged into a speaker who has since been removed.")
                    }
                    merge = forward
                }
                current = merge.kept!
                continue
            }
            if let tombstone = try await sql.raw("SELECT reason FROM speaker_tombstones WHERE speaker_id = \(bind: current)").first() {
                return .gone(try tombstone.decode(column: "reason", as: String.self))
            }
            return hop == 0 ? .unknown : .gone("It was merged into a speaker who has since been removed.")
        }
        return .unknown
    }

    /// The latest merge (not undone) that absorbed `speaker`.
    func latestMerge(of speaker: Int) async throws -> (id: Int, kept: Int?)? {
        guard let row = try await sql.raw("""
            SELECT id, kept_speaker_id FROM speaker_merges WHERE merged_speaker_id = \(bind: speaker) AND undone_at IS NULL
            ORDER BY id DESC LIMIT 1
            """).first() else { return nil }
        return (try row.decode(column: "id", as: Int.self), try row.decode(column: "kept_speaker_id", as: Int?.self))
    }

    /// The later merge (not undone) that absorbed the speaker merge `id` had kept: its
    /// snapshot lists `id` among the merges the absorbed speaker had kept.
    func mergeAbsorbingKeeper(of id: Int) async throws -> (id: Int, kept: Int?)? {
        let rows = try await sql.raw("""
            SELECT id, kept_speaker_id, snapshot FROM speaker_merges WHERE id > \(bind: id) AND undone_at IS NULL ORDER BY id
            """).all()
        for row in rows {
            let snapshot = try MergeSnapshot.decode(try row.decode(column: "snapshot", as: String.self))
            if snapshot.mergesKeptByMerged.contains(id) {
                return (try row.decode(column: "id", as: Int.self), try row.decode(column: "kept_speaker_id", as: Int?.self))
            }
        }
        return nil
    }

    /// Records speakers about to be deleted, so their links answer 410 Gone. Runs inside
    /// the deleting transaction.
    public static func recordRemoved(_ ids: [Int], reason: String, on sql: any SQLDatabase) async throws {
        let now = Int(Date().epochMilliseconds)
        for chunk in ids.chunked(into: 300) {
            let rows = chunk.map { id -> SQLQueryString in "(\(bind: id), \(bind: reason), \(bind: now))" }
            try await sql.raw("""
                INSERT INTO speaker_tombstones (speaker_id, reason, removed_ms) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (speaker_id) DO UPDATE SET reason = excluded.reason, removed_ms = excluded.removed_ms
                """).run()
        }
    }
}
