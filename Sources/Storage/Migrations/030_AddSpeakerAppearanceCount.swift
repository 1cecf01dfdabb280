import FluentKit
import SQLKit

/// Each speaker's number of appearances, stored, so that `/speakers?_sort=appearances`
/// reads one index in order instead of counting every speaker's appearances and sorting
/// them all on every page. Triggers on `appearances` keep the count, so every writer
/// (extraction, merges, splits, imports, corrections, removals) keeps it without knowing;
/// `recount` repairs it after a bulk copy (`DatabaseCopier`).
struct AddSpeakerAppearanceCount: AsyncMigration {
    var name: String { "030_AddSpeakerAppearanceCount" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        try await sql.raw("ALTER TABLE speakers ADD COLUMN appearance_count INTEGER NOT NULL DEFAULT 0").run()
        try await Self.recount(on: sql)
        try await sql.raw("CREATE INDEX speakers_appearance_order ON speakers (appearance_count DESC, name_key, id)").run()
        switch try sql.engine() {
        case .sqlite:
            try await sql.raw("""
                CREATE TRIGGER appearances_count_insert AFTER INSERT ON appearances BEGIN
                  UPDATE speakers SET appearance_count = appearance_count + 1 WHERE id = NEW.speaker_id;
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER appearances_count_delete AFTER DELETE ON appearances BEGIN
                  UPDATE speakers SET appearance_count = appearance_count - 1 WHERE id = OLD.speaker_id;
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER appearances_count_move AFTER UPDATE OF speaker_id ON appearances
                WHEN OLD.speaker_id IS NOT NEW.speaker_id BEGIN
                  UPDATE speakers SET appearance_count = appearance_count - 1 WHERE id = OLD.speaker_id;
                  UPDATE speakers SET appearance_count = appearance_count + 1 WHERE id = NEW.speaker_id;
                END
                """).run()
        case .postgres:
            try await sql.raw("""
                CREATE FUNCTION speakers_count_appearances() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    UPDATE speakers SET appearance_count = appearance_count - 1 WHERE id = OLD.speaker_id;
                  END IF;
                  IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    UPDATE speakers SET appearance_count = appearance_count + 1 WHERE id = NEW.speaker_id;
                  END IF;
                  RETURN NULL;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER appearances_count AFTER INSERT OR DELETE OR UPDATE OF speaker_id ON appearances
                FOR EACH ROW EXECUTE FUNCTION speakers_count_appearances()
                """).run()
        }
    }

    /// Sets every speaker's count from the appearances table.
    static func recount(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE speakers SET appearance_count = (SELECT COUNT(*) FROM appearances a WHERE a.speaker_id = speakers.id)
            """).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase()
        switch try sql.engine() {
        case .sqlite:
            for name in ["appearances_count_insert", "appearances_count_delete", "appearances_count_move"] {
                try await sql.raw("DROP TRIGGER \(unsafeRaw: name)").run()
            }
        case .postgres:
            try await sql.raw("DROP TRIGGER appearances_count ON appearances").run()
            try await sql.raw("DROP FUNCTION speakers_count_appearances()").run()
        }
        try await sql.raw("DROP INDEX speakers_appearance_order").run()
        try await sql.raw("ALTER TABLE speakers DROP COLUMN appearance_count").run()
    }
}

/// The stored appearance counts (migration 030), for code outside the migrations.
public enum SpeakerAppearanceCounts {
    /// Sets every speaker's count from the appearances table (after a bulk copy).
    public static func recount(on sql: any SQLDatabase) async throws {
        try await AddSpeakerAppearanceCount.recount(on: sql)
    }
}
