import FluentKit
import SQLKit
import SpeakerCore

/// The one place that knows how speakers are full-text indexed and searched, on both
/// engines: SQLite FTS5 with bm25 field weights, PostgreSQL tsvector with weights A–D
/// (documents built from `unaccent()`ed text, migration 016, as FTS5's `remove_diacritics`).
public enum SpeakerSearchIndex {
    /// Relative weights of the indexed fields for SQLite's bm25 (name counts most).
    static let bm25Weights = "10.0, 4.0, 5.0, 1.0, 3.0, 2.0"

    /// Rebuilds the index entries of the given speakers (or of all speakers when nil).
    /// Callers pass the speakers whose content changed (extraction, merges, imports), so
    /// those are also marked for re-enrichment (`enriched_at` cleared) unless
    /// `contentChanged` is false — enrichment itself re-indexes the tags it wrote.
    /// `withTags: false` is for migrations that run before the attributes table (and the
    /// facet values table) exist: it leaves out tags and facet values.
    public static func refresh(speakerIDs: [Int]?, on db: any Database, contentChanged: Bool = true, withTags: Bool = true) async throws {
        let sql = try db.sqlDatabase()
        if let ids = speakerIDs {
            guard !ids.isEmpty else { return }
            for chunk in ids.chunked(into: 500) {
                try await refresh(filter: "WHERE s.id IN (\(binds: chunk))", deleteFilter: chunk, withTags: withTags, sql: sql)
                if withTags { try await refreshFacets(speakerIDs: chunk, sql: sql) }
                if contentChanged && withTags {
                    try await sql.raw("UPDATE speakers SET enriched_at = NULL WHERE id IN (\(binds: chunk)) AND enriched_at IS NOT NULL").run()
                }
            }
        } else {
            try await refresh(filter: "", deleteFilter: nil, withTags: withTags, sql: sql)
            if withTags { try await refreshFacets(speakerIDs: nil, sql: sql) }
        }
    }

    /// Rebuilds the facet values (migration 023) of the given speakers, or of all: the
    /// affiliation and location shown, and each distinct role and event year. Called with
    /// the index entries, so both follow every change that reaches the index; a deleted
    /// speaker's rows go by cascade.
    static func refreshFacets(speakerIDs ids: [Int]?, sql: any SQLDatabase) async throws {
        let speakers: SQLQueryString, appearances: SQLQueryString
        if let ids {
            try await sql.raw("DELETE FROM speaker_facet_values WHERE speaker_id IN (\(binds: ids))").run()
            speakers = "AND s.id IN (\(binds: ids))"
            appearances = "AND a.speaker_id IN (\(binds: ids))"
        } else {
            try await sql.raw("DELETE FROM speaker_facet_values").run()
            speakers = ""
            appearances = ""
        }
        try await sql.raw("""
            INSERT INTO speaker_facet_values (speaker_id, facet, value)
            SELECT s.id, 'affiliation', s.affiliation FROM speakers s WHERE s.affiliation IS NOT NULL \(speakers)
            UNION SELECT s.id, 'location', s.location FROM speakers s WHERE s.location IS NOT NULL \(speakers)
            UNION SELECT a.speaker_id, 'role', a.role FROM appearances a WHERE 1 = 1 \(appearances)
            UNION SELECT a.speaker_id, 'year', substr(e.starts_on, 1, 4) FROM appearances a JOIN events e ON e.id = a.event_id
                  WHERE e.starts_on IS NOT NULL \(appearances)
            """).run()
    }

    /// The speaker's expertise tags as indexed text: each label once; when a user set the
    /// tags (an approved correction), only theirs.
    static func tagsColumn(_ engine: Engine) -> SQLQueryString {
        let shown = """
            t.speaker_id = s.id AND t.kind = 'tag' AND (t.origin = 'user' OR NOT EXISTS (SELECT 1 FROM speaker_attributes u
                WHERE u.speaker_id = s.id AND u.kind = 'tag' AND u.origin = 'user'))
            """
        switch engine {
        case .sqlite:
            return "coalesce((SELECT group_concat(label, ' | ') FROM (SELECT DISTINCT t.label FROM speaker_attributes t WHERE \(unsafeRaw: shown))), '')"
        case .postgres:
            return "coalesce((SELECT string_agg(DISTINCT t.label, ' | ') FROM speaker_attributes t WHERE \(unsafeRaw: shown)), '')"
        }
    }

    private static func refresh(filter: SQLQueryString, deleteFilter ids: [Int]?, withTags: Bool, sql: any SQLDatabase) async throws {
        let tags: SQLQueryString = withTags ? tagsColumn(try sql.engine()) : "''"
        switch try sql.engine() {
        case .sqlite:
            if let ids {
                try await sql.raw("DELETE FROM speaker_fts WHERE rowid IN (\(binds: ids))").run()
            } else {
                try await sql.raw("DELETE FROM speaker_fts").run()
            }
            try await sql.raw("""
                INSERT INTO speaker_fts (rowid, name, title, affiliation, bio, tags, event_titles)
                SELECT s.id, s.name, coalesce(s.title, ''), coalesce(s.affiliation, ''), coalesce(s.bio, ''), \(tags),
                       coalesce((SELECT group_concat(e.title, ' | ') FROM appearances a JOIN events e ON e.id = a.event_id
                                 WHERE a.speaker_id = s.id), '')
                FROM speakers s \(filter)
                """).run()
        case .postgres:
            if ids == nil {
                try await sql.raw("DELETE FROM speaker_search").run()
            }
            try await sql.raw("""
                INSERT INTO speaker_search (speaker_id, document)
                SELECT s.id,
                       setweight(to_tsvector('simple', unaccent(s.name)), 'A') ||
                       setweight(to_tsvector('simple', unaccent(coalesce(s.affiliation, '') || ' ' || coalesce(s.title, ''))), 'B') ||
                       setweight(to_tsvector('simple', unaccent(coalesce((SELECT string_agg(e.title, ' | ') FROM appearances a
                                 JOIN events e ON e.id = a.event_id WHERE a.speaker_id = s.id), '') || ' ' || \(tags))), 'C') ||
                       setweight(to_tsvector('simple', unaccent(coalesce(s.bio, ''))), 'D')
                FROM speakers s \(filter)
                ON CONFLICT (speaker_id) DO UPDATE SET document = excluded.document
                """).run()
        }
    }

    /// Removes index entries of deleted speakers (PostgreSQL cascades on its own).
    public static func remove(speakerIDs: [Int], on db: any Database) async throws {
        let sql = try db.sqlDatabase()
        guard try sql.engine() == .sqlite, !speakerIDs.isEmpty else { return }
        for chunk in speakerIDs.chunked(into: 500) {
            try await sql.raw("DELETE FROM speaker_fts WHERE rowid IN (\(binds: chunk))").run()
        }
    }

    /// Words of a user's query, safe to place into an FTS expression: letters and digits only.
    public static func queryTerms(_ query: String) -> [String] {
        TextNormalization.matchKey(query)
            .split(separator: " ")
            .map(String.init)
            .filter { !$0.isEmpty }
            .prefix(12)
            .map { $0 }
    }

    /// PostgreSQL's documents are not stemmed ('simple', so names stay whole) while SQLite's
    /// FTS5 uses the Porter stemmer; so that "disasters" finds "disaster" on both, a
    /// PostgreSQL prefix term drops an English plural ending ("cities" → "cit", "taxes" →
    /// "tax", "economists" → "economist").
    static func pluralStem(_ term: String) -> String {
        guard term.count > 3, term.unicodeScalars.allSatisfy(\.isASCII) else { return term }
        if term.hasSuffix("ies") && term.count > 4 { return String(term.dropLast(3)) }
        if term.hasSuffix("es"), ["s", "x", "z", "ch", "sh"].contains(where: term.dropLast(2).hasSuffix) { return String(term.dropLast(2)) }
        if term.hasSuffix("s") && !term.hasSuffix("ss") && !term.hasSuffix("us") && !term.hasSuffix("is") { return String(term.dropLast()) }
        return term
    }

    /// The FTS5 expression for a user's query: every word quoted (users cannot inject FTS
    /// syntax) and prefix-matched, or matched as a whole (stemmed) word with `wholeWords`;
    /// all words must match. Nil when there are no words.
    public static func ftsExpression(_ query: String, wholeWords: Bool = false) -> String? {
        let terms = queryTerms(query)
        guard !terms.isEmpty else { return nil }
        return terms.map { quoted($0, prefix: !wholeWords) }.joined(separator: " ")
    }

    static func quoted(_ term: String, prefix: Bool) -> String {
        "\"\(term.replacingOccurrences(of: "\"", with: "\"\""))\"" + (prefix ? "*" : "")
    }

    /// Words that carry no topic in a request for speakers ("experts on X who can talk
    /// about Y"): left out of the any-word ranking that hybrid search fuses.
    /// The query without its filler words (the whole query if nothing else is left).
    public static func topicalQuery(_ query: String) -> String {
        let words = queryTerms(query).filter { $0.count > 1 && !fillerWords.contains($0) }
        return words.isEmpty ? query : words.joined(separator: " ")
    }

    public static let fillerWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "with", "about", "from", "by", "as", "is", "are",
        "who", "whom", "which", "that", "can", "could", "would", "should", "will", "do", "does", "me", "my", "we", "our", "i",
        "find", "need", "want", "looking", "look", "someone", "somebody", "people", "person", "speaker", "speakers",
        "expert", "experts", "talk", "talks", "speak", "speaks", "give", "some", "any", "ideally", "prefer", "preferably",
        "must", "should", "please", "like", "based", "working", "work", "works",
    ]

    /// The columns that say most about who a person is.
    static let strongColumns = "{name affiliation title}"

    /// Which part of the matches a derived table covers (see `hits`).
    public enum Tier: Sendable {
        /// Every match.
        case all
        /// Matches in the name, affiliation or title.
        case strong
        /// Matches only in the bio, tags or event titles.
        case weak
    }

    /// A derived table `(speaker_id, rank)` of the speakers whose document contains every
    /// term of `query` as a prefix; smaller rank is better. Nil when the query has no words.
    /// `ranked: false` leaves out the relevance score (0 for all rows), which costs per
    /// matching row and is not needed to count or to order by anything else.
    /// Join it: `FROM \(hits) AS hits JOIN speakers s ON s.id = hits.speaker_id`.
    /// `anyWord: true` matches documents with at least one of the query's words that is not
    /// a filler word (more matching words rank higher): for ranking natural-language requests.
    /// Its tiers are `.all` and `.strong`.
    /// `wholeWords: true` matches each word as a whole (after stemming) instead of as a
    /// prefix: for sentences, where every word is complete (a request's keyword ranking).
    /// A prefix term makes FTS5 merge the lists of every word it begins before matching,
    /// which for a word in a third of all documents costs milliseconds per query. On
    /// PostgreSQL, whose documents are not stemmed, words stay prefixes (`pluralStem`).
    public static func hits(_ query: String, engine: Engine, tier: Tier = .all, ranked: Bool = true, anyWord: Bool = false,
                            wholeWords: Bool = false) -> SQLQueryString? {
        if anyWord {
            // Single letters ("China's" → "china", "s") would match nearly everyone.
            let words = queryTerms(query).filter { $0.count > 1 && !fillerWords.contains($0) }
            guard !words.isEmpty else { return nil }
            switch engine {
            case .sqlite:
                var expression = words.map { quoted($0, prefix: !wholeWords) }.joined(separator: " OR ")
                if tier == .strong { expression = "\(strongColumns) : (\(expression))" }
                let rank: SQLQueryString = ranked ? "bm25(speaker_fts, \(unsafeRaw: bm25Weights))" : "0"
                return "(SELECT rowid AS speaker_id, \(rank) AS rank FROM speaker_fts WHERE speaker_fts MATCH \(bind: expression))"
            case .postgres:
                let expression = words.map { $0.filter { $0.isLetter || $0.isNumber } }.filter { !$0.isEmpty }.map { "\(pluralStem($0)):*" }.joined(separator: " | ")
                guard !expression.isEmpty else { return nil }
                let document: SQLQueryString = tier == .strong ? "ts_filter(document, '{a,b}')" : "document"
                let rank: SQLQueryString = ranked ? "-ts_rank(document, query, 1)" : "0"
                return "(SELECT speaker_id, \(rank) AS rank FROM speaker_search, to_tsquery('simple', \(bind: expression)) AS query WHERE \(document) @@ query)"
            }
        }
        switch engine {
        case .sqlite:
            guard let base = ftsExpression(query, wholeWords: wholeWords) else { return nil }
            let expression: String
            switch tier {
            case .all: expression = base
            case .strong: expression = "\(strongColumns) : (\(base))"
            case .weak: expression = "(\(base)) NOT (\(strongColumns) : (\(base)))"
            }
            let rank: SQLQueryString = ranked ? "bm25(speaker_fts, \(unsafeRaw: bm25Weights))" : "0"
            return "(SELECT rowid AS speaker_id, \(rank) AS rank FROM speaker_fts WHERE speaker_fts MATCH \(bind: expression))"
        case .postgres:
            let expression = queryTerms(query).map { $0.filter { $0.isLetter || $0.isNumber } }.filter { !$0.isEmpty }
                .map { "\(pluralStem($0)):*" }.joined(separator: " & ")
            guard !expression.isEmpty else { return nil }
            switch tier {
            case .all:
                let rank: SQLQueryString = ranked ? "-ts_rank(document, query, 1)" : "0"
                return "(SELECT speaker_id, \(rank) AS rank FROM speaker_search, to_tsquery('simple', \(bind: expression)) AS query WHERE document @@ query)"
            case .strong:
                return "(SELECT speaker_id, -ts_rank(document, query, 1) AS rank FROM speaker_search, to_tsquery('simple', \(bind: expression)) AS query WHERE ts_filter(document, '{a,b}') @@ query)"
            case .weak:
                return "(SELECT speaker_id, -ts_rank(document, query, 1) AS rank FROM speaker_search, to_tsquery('simple', \(bind: expression)) AS query WHERE document @@ query AND NOT ts_filter(document, '{a,b}') @@ query)"
            }
        }
    }
}
