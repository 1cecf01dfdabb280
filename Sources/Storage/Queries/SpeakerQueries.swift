import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// Filters of the speakers list; every one is optional and they combine with AND.
public struct SpeakerFilter: Sendable, Equatable, Hashable {
    public var search: String?
    public var affiliation: String?
    public var location: String?
    public var role: Role?
    public var year: Int?
    /// An expertise tag's value (`speaker_attributes`, kind `tag`), as the profile links it.
    public var tag: String?

    public init(search: String? = nil, affiliation: String? = nil, location: String? = nil,
                role: Role? = nil, year: Int? = nil, tag: String? = nil) {
        self.tag = tag
        self.search = search
        self.affiliation = affiliation
        self.location = location
        self.role = role
        self.year = year
    }

    public var isEmpty: Bool { self == SpeakerFilter() }
}

public enum SpeakerSort: String, Sendable, CaseIterable, Codable {
    /// Best full-text match first (the default when searching).
    case relevance
    /// Alphabetical by folded name (the default otherwise).
    case name
    /// Most recently added first.
    case newest
    /// Most appearances first (then by name).
    case appearances
}

/// A speaker as shown in lists.
public struct SpeakerSummary: Sendable, Codable, Equatable {
    public var id: Int
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var location: String?
    public var appearanceCount: Int

    enum CodingKeys: String, CodingKey {
        case id, name, title, affiliation, location
        case appearanceCount = "appearance_count"
    }
}

public struct SpeakerFacets: Sendable, Codable, Equatable {
    public var affiliation: [FacetValue]
    public var location: [FacetValue]
    public var role: [FacetValue]
    public var year: [FacetValue]
    /// Set when the counts cover only the top results of a broad search (how many).
    public var sampled: Int?
}

/// A speaker's appearance as shown on their profile.
public struct SpeakerAppearance: Sendable, Codable, Equatable {
    public var eventID: Int
    public var url: String
    public var title: String?
    public var date: String?
    public var location: String?
    public var role: String

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case url, title, date, location, role
    }
}

public struct SpeakerProfile: Sendable, Codable, Equatable {
    public var id: Int
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var bio: String?
    public var photoURL: String?
    public var location: String?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var appearances: [SpeakerAppearance]
    /// The person's own links found on event pages, by kind: website, linkedin, x,
    /// github, orcid (http and https only).
    public var links: [String: String] = [:]

    /// The kinds of link a profile shows, in order.
    public static let linkKinds = ["website", "linkedin", "x", "github", "orcid"]

    enum CodingKeys: String, CodingKey {
        case id, name, title, affiliation, bio, location, appearances, links
        case photoURL = "photo_url"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Read queries behind the speakers pages, the JSON API and the CLI.
public struct SpeakerQueries: Sendable {
    let sql: any SQLDatabase
    let engine: Engine

    public init(_ db: any Database) throws {
        self.sql = try db.sqlDatabase()
        self.engine = try sql.engine()
    }

    /// Matches up to this many are ordered by full relevance (bm25 costs per matching
    /// row); broader queries rank name, title and affiliation matches first.
    public var fullRankingLimit = 3_000
    /// Facets count every match up to this many; beyond, the top `facetSample` results.
    public var exactFacetLimit = 2_000
    public var facetSample = 300

    /// FROM and conditions of the filtered speaker set; `s` is the speakers alias, `hits`
    /// the full-text matches (of one tier) when searching.
    func source(_ filter: SpeakerFilter, tier: SpeakerSearchIndex.Tier = .all, ranked: Bool = true) -> (from: SQLQueryString, conditions: [SQLQueryString], searching: Bool) {
        var from: SQLQueryString = "speakers s"
        var searching = false
        var conditions: [SQLQueryString] = []
        if let search = filter.search {
            if let hits = SpeakerSearchIndex.hits(search, engine: engine, tier: tier, ranked: ranked) {
                from = "\(hits) AS hits JOIN speakers s ON s.id = hits.speaker_id"
                searching = true
            } else {
                // A query with no searchable words (only punctuation) matches nothing.
                conditions.append("1 = 0")
            }
        }
        if let affiliation = filter.affiliation {
            conditions.append("s.affiliation = \(bind: affiliation)")
        }
        if let location = filter.location {
            conditions.append("s.location = \(bind: location)")
        }
        if let role = filter.role {
            conditions.append("EXISTS (SELECT 1 FROM appearances ar WHERE ar.speaker_id = s.id AND ar.role = \(bind: role.rawValue))")
        }
        if let tag = filter.tag {
            conditions.append("EXISTS (SELECT 1 FROM speaker_attributes st WHERE st.speaker_id = s.id AND st.kind = 'tag' AND st.value = \(bind: tag))")
        }
        if let year = filter.year {
            let start = String(format: "%04d-01-01", year), end = String(format: "%04d-01-01", year + 1)
            conditions.append("""
                EXISTS (SELECT 1 FROM appearances ay JOIN events ey ON ey.id = ay.event_id
                        WHERE ay.speaker_id = s.id AND ey.starts_on >= \(bind: start) AND ey.starts_on < \(bind: end))
                """)
        }
        return (from, conditions, searching)
    }

    static let summaryColumns: SQLQueryString = """
        s.id, s.name, s.title, s.affiliation, s.location,
        (SELECT COUNT(*) FROM appearances a WHERE a.speaker_id = s.id) AS appearance_count
        """

    /// What one search matches, worked out once per request (and cached by the web app) and
    /// handed to `list` and `facets`, which would otherwise each scan the full-text index
    /// again. Nil when the filter has no search.
    ///
    /// - `all`: how many speakers match.
    /// - `strong`: how many match in name, title or affiliation; counted only for broad
    ///   searches (more than `fullRankingLimit` matches), which are ordered by tier.
    /// - `ranked`: every match in relevance order, when there are at most
    ///   `exactFacetLimit` and no other filter: pages and facets then come from this list
    ///   without touching the index again.
    /// - `sample`: the first `facetSample` results of a broad search, for its facets and
    ///   for the pages they cover.
    public struct MatchCounts: Sendable, Hashable {
        public var all: Int
        public var strong: Int?
        public var ranked: [Int]?
        public var sample: [Int]?
    }

    public func matchCounts(_ filter: SpeakerFilter) async throws -> MatchCounts? {
        guard filter.search != nil else { return nil }
        var counts = MatchCounts(all: try await count(filter))
        if counts.all > fullRankingLimit {
            counts.strong = try await count(filter, tier: .strong)
        }
        if searchOnly(filter), let search = filter.search {
            if counts.all <= exactFacetLimit, let hits = SpeakerSearchIndex.hits(search, engine: engine) {
                // One ranked pass over a narrow search's matches; ties by name, like `list`.
                counts.ranked = try await sql.raw("""
                    SELECT hits.speaker_id FROM \(hits) AS hits JOIN speakers s ON s.id = hits.speaker_id
                    ORDER BY hits.rank, s.name_key, s.id
                    """).all().map { try $0.decode(column: "speaker_id", as: Int.self) }
            } else if counts.all > exactFacetLimit {
                counts.sample = try await tieredIDs(filter, limit: facetSample, offset: 0, strongCount: counts.strong)
            }
        }
        return counts
    }

    public func list(_ filter: SpeakerFilter, sort: SpeakerSort? = nil, page: PageRequest, counts: MatchCounts? = nil) async throws -> Page<SpeakerSummary> {
        let total: Int
        if let counts { total = counts.all } else { total = try await count(filter) }
        let searching = filter.search != nil
        let effectiveSort = sort ?? (searching ? .relevance : .name)
        if searching && effectiveSort == .relevance, let counts {
            // The page is a slice of what `matchCounts` already read, when it covers it.
            if let ranked = counts.ranked {
                let ids = Array(ranked.dropFirst(page.offset).prefix(page.size))
                return Page(items: try await summaries(ids: ids), total: total, page: page.page, size: page.size)
            }
            if let sample = counts.sample, page.offset + page.size <= sample.count {
                let ids = Array(sample[page.offset..<(page.offset + page.size)])
                return Page(items: try await summaries(ids: ids), total: total, page: page.page, size: page.size)
            }
        }
        if searching && effectiveSort == .relevance && total > fullRankingLimit {
            let ids = try await tieredIDs(filter, limit: page.size, offset: page.offset, strongCount: counts?.strong)
            return Page(items: try await summaries(ids: ids), total: total, page: page.page, size: page.size)
        }
        let (from, conditions, matched) = source(filter, ranked: searching && effectiveSort == .relevance)
        let order = Self.order(effectiveSort, matched: matched)
        let rows = try await sql.raw("""
            SELECT \(Self.summaryColumns) FROM \(from) \(sqlWhere(conditions))
            ORDER BY \(order)
            LIMIT \(literal: page.size) OFFSET \(literal: page.offset)
            """).all(decoding: SpeakerSummary.self)
        return Page(items: rows, total: total, page: page.page, size: page.size)
    }

    /// Ids of a broad query's results: matches in name, title or affiliation first (by
    /// relevance when there are few enough, else newest first), then the other matches,
    /// newest first. Each tier is paged by the index itself, so the cost stays small.
    func tieredIDs(_ filter: SpeakerFilter, limit: Int, offset: Int, strongCount known: Int? = nil) async throws -> [Int] {
        var ids: [Int] = []
        let strongCount: Int
        if let known { strongCount = known } else { strongCount = try await count(filter, tier: .strong) }
        if searchOnly(filter), let search = filter.search {
            // Straight from the index: it pages by rowid itself.
            if offset < strongCount, let strong = SpeakerSearchIndex.hits(search, engine: engine, tier: .strong, ranked: strongCount <= fullRankingLimit) {
                let order: SQLQueryString = strongCount <= fullRankingLimit ? "rank, speaker_id" : "speaker_id DESC"
                ids += try await sql.raw("SELECT speaker_id FROM \(strong) AS hits ORDER BY \(order) LIMIT \(literal: limit) OFFSET \(literal: offset)")
                    .all().map { try $0.decode(column: "speaker_id", as: Int.self) }
            }
            if ids.count < limit, let weak = SpeakerSearchIndex.hits(search, engine: engine, tier: .weak, ranked: false) {
                ids += try await sql.raw("""
                    SELECT speaker_id FROM \(weak) AS hits ORDER BY speaker_id DESC
                    LIMIT \(literal: limit - ids.count) OFFSET \(literal: max(0, offset - strongCount))
                    """).all().map { try $0.decode(column: "speaker_id", as: Int.self) }
            }
            return ids
        }
        if offset < strongCount {
            let rankStrong = strongCount <= fullRankingLimit
            let (from, conditions, _) = source(filter, tier: .strong, ranked: rankStrong)
            let order: SQLQueryString = rankStrong ? "hits.rank, s.id" : "s.id DESC"
            ids += try await sql.raw("SELECT s.id FROM \(from) \(sqlWhere(conditions)) ORDER BY \(order) LIMIT \(literal: limit) OFFSET \(literal: offset)")
                .all().map { try $0.decode(column: "id", as: Int.self) }
        }
        if ids.count < limit {
            let (from, conditions, _) = source(filter, tier: .weak, ranked: false)
            ids += try await sql.raw("""
                SELECT s.id FROM \(from) \(sqlWhere(conditions)) ORDER BY s.id DESC
                LIMIT \(literal: limit - ids.count) OFFSET \(literal: max(0, offset - strongCount))
                """).all().map { try $0.decode(column: "id", as: Int.self) }
        }
        return ids
    }

    /// Ids of the best `limit` matches of a search, in `list`'s relevance order (ids only,
    /// no rows): by bm25 when there are at most `fullRankingLimit` matches, else matches in
    /// name, title or affiliation first (by bm25 when few enough, else newest first), then
    /// the others newest first. `wholeWords` as in `SpeakerSearchIndex.hits`.
    ///
    /// Three full-text passes at most, each stopping early where it can: a count capped
    /// at `fullRankingLimit + 1` (past it, only "more" matters), the ranked read, and for
    /// a broad search whose name/title/affiliation matches are fewer than `limit`, the
    /// newest matches with those left out.
    public func relevanceIDs(search: String, limit: Int, wholeWords: Bool = false) async throws -> [Int] {
        guard limit > 0, let all = SpeakerSearchIndex.hits(search, engine: engine, ranked: false, wholeWords: wholeWords) else { return [] }
        let total = try await cappedCount(all)
        guard total > 0 else { return [] }
        if total <= fullRankingLimit, let ranked = SpeakerSearchIndex.hits(search, engine: engine, wholeWords: wholeWords) {
            return try await ids("SELECT hits.speaker_id FROM \(ranked) AS hits ORDER BY hits.rank, hits.speaker_id LIMIT \(literal: limit)")
        }
        guard let strong = SpeakerSearchIndex.hits(search, engine: engine, tier: .strong, ranked: false, wholeWords: wholeWords) else { return [] }
        let strongCount = try await cappedCount(strong)
        var result: [Int] = []
        if strongCount > 0 {
            let rank = strongCount <= fullRankingLimit
            if let tier = SpeakerSearchIndex.hits(search, engine: engine, tier: .strong, ranked: rank, wholeWords: wholeWords) {
                let order: SQLQueryString = rank ? "hits.rank, hits.speaker_id" : "hits.speaker_id DESC"
                result = try await ids("SELECT hits.speaker_id FROM \(tier) AS hits ORDER BY \(order) LIMIT \(literal: limit)")
            }
        }
        if result.count < limit {
            // Fewer strong matches than asked for: all of them are in `result`.
            let strongIDs = Set(result)
            let newest = try await ids("SELECT hits.speaker_id FROM \(all) AS hits ORDER BY hits.speaker_id DESC LIMIT \(literal: limit + strongIDs.count)")
            result += newest.lazy.filter { !strongIDs.contains($0) }.prefix(limit - result.count)
        }
        return result
    }

    /// Ids of the speakers matching any non-filler word of `query`, best first: the
    /// keyword ranking of a natural-language request, where requiring every word would
    /// find nobody ("climate finance experts who speak Mandarin"). Ranked by bm25 when
    /// there are at most `fullRankingLimit` matches (bm25 costs per matching row); a broad
    /// request takes the matches in name, title or affiliation, by bm25 when few enough,
    /// else newest first — the same policy as `list`.
    public func anyWordRanking(_ query: String, limit: Int, wholeWords: Bool = false) async throws -> [Int] {
        guard let all = SpeakerSearchIndex.hits(query, engine: engine, ranked: false, anyWord: true, wholeWords: wholeWords) else { return [] }
        let hits: SQLQueryString?
        var order: SQLQueryString = "hits.rank, hits.speaker_id"
        if try await cappedCount(all) <= fullRankingLimit {
            hits = SpeakerSearchIndex.hits(query, engine: engine, anyWord: true, wholeWords: wholeWords)
        } else {
            var strongCount = 0
            if let strong = SpeakerSearchIndex.hits(query, engine: engine, tier: .strong, ranked: false, anyWord: true, wholeWords: wholeWords) {
                strongCount = try await cappedCount(strong)
            }
            let rank = strongCount <= fullRankingLimit
            hits = SpeakerSearchIndex.hits(query, engine: engine, tier: .strong, ranked: rank, anyWord: true, wholeWords: wholeWords)
            if !rank { order = "hits.speaker_id DESC" }
        }
        guard let hits else { return [] }
        return try await ids("SELECT hits.speaker_id FROM \(hits) AS hits ORDER BY \(order) LIMIT \(literal: limit)")
    }

    /// How many rows a derived table of matches has, counted up to `fullRankingLimit + 1`.
    func cappedCount(_ hits: SQLQueryString) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT hits.speaker_id FROM \(hits) AS hits LIMIT \(literal: fullRankingLimit + 1)) AS capped
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func ids(_ query: SQLQueryString) async throws -> [Int] {
        try await sql.raw(query).all().map { try $0.decode(column: "speaker_id", as: Int.self) }
    }

    /// List rows for ids, in the order given.
    /// The list's order. `matched` is false for a search with no searchable words (only
    /// punctuation or symbols): there is no `hits` table to order by, and nothing matches.
    static func order(_ sort: SpeakerSort, matched: Bool) -> SQLQueryString {
        switch sort {
        case .relevance where matched: "hits.rank, s.name_key, s.id"
        case .relevance, .name: "s.name_key, s.id"
        case .newest: "s.created_at DESC, s.id DESC"
        // The stored count (migration 030): read in index order, not counted per page.
        case .appearances: "s.appearance_count DESC, s.name_key, s.id"
        }
    }

    /// Every matching speaker's id in the list's order, read in one pass: what an export
    /// streams in batches (`summaries(ids:)`), instead of paging with a growing OFFSET and
    /// counting again per page, which costs O(n²).
    public func orderedIDs(_ filter: SpeakerFilter, sort: SpeakerSort? = nil) async throws -> [Int] {
        let searching = filter.search != nil
        let effectiveSort = sort ?? (searching ? .relevance : .name)
        let (from, conditions, matched) = source(filter, ranked: searching && effectiveSort == .relevance)
        return try await sql.raw("SELECT s.id FROM \(from) \(sqlWhere(conditions)) ORDER BY \(Self.order(effectiveSort, matched: matched))").all()
            .map { try $0.decode(column: "id", as: Int.self) }
    }

    public func summaries(ids: [Int]) async throws -> [SpeakerSummary] {
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.raw("SELECT \(Self.summaryColumns) FROM speakers s WHERE s.id IN (\(binds: ids))").all(decoding: SpeakerSummary.self)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }

    /// A search with no other filter is answered by the full-text index alone.
    func searchOnly(_ filter: SpeakerFilter) -> Bool {
        engine == .sqlite && filter.search != nil && filter.affiliation == nil && filter.location == nil && filter.role == nil && filter.year == nil && filter.tag == nil
    }

    public func count(_ filter: SpeakerFilter, tier: SpeakerSearchIndex.Tier = .all) async throws -> Int {
        if searchOnly(filter), let search = filter.search, let hits = SpeakerSearchIndex.hits(search, engine: engine, tier: tier, ranked: false) {
            return try await sql.raw("SELECT COUNT(*) AS n FROM \(hits) AS hits").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let (from, conditions, _) = source(filter, tier: tier, ranked: false)
        return try await sql.raw("SELECT COUNT(*) AS n FROM \(from) \(sqlWhere(conditions))").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func facets(_ filter: SpeakerFilter, limit: Int = 12, counts: MatchCounts? = nil) async throws -> SpeakerFacets {
        // Broad searches: facets of the top results, said so in `sampled`.
        var total = counts?.all
        if total == nil, filter.search != nil { total = try await count(filter) }
        if let ranked = counts?.ranked {
            return try await facets(ofSpeakers: ranked, limit: limit)
        }
        if let total, total > exactFacetLimit {
            let ids: [Int]
            if let sample = counts?.sample { ids = sample } else {
                ids = try await tieredIDs(filter, limit: facetSample, offset: 0, strongCount: counts?.strong)
            }
            var facets = try await facets(ofSpeakers: ids, limit: limit)
            facets.sampled = ids.count
            return facets
        }
        let (from, conditions, _) = source(filter, ranked: false)
        if filter.search != nil {
            // A narrower search: read its matches once and count every one of them,
            // rather than run the full-text query again inside each facet's SQL.
            let ids = try await sql.raw("SELECT s.id FROM \(from) \(sqlWhere(conditions))").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            return try await facets(ofSpeakers: ids, limit: limit)
        }
        return try await facets(from: from, conditions: conditions, filtered: !filter.isEmpty, limit: limit)
    }

    /// Facets of the given speakers (a search's matches, or the top results of a broad
    /// one), counted by the database from their stored facet values (one row per speaker
    /// and distinct value, `SpeakerSearchIndex.refreshFacets`) in one grouped statement per
    /// chunk of ids; chunks hold different speakers, so their counts add up.
    func facets(ofSpeakers ids: [Int], limit: Int) async throws -> SpeakerFacets {
        var affiliations: [String: Int] = [:], locations: [String: Int] = [:], roles: [String: Int] = [:], years: [String: Int] = [:]
        for chunk in ids.chunked(into: 2_000) {
            for row in try await sql.raw("""
                SELECT facet, value, COUNT(*) AS n FROM speaker_facet_values
                WHERE speaker_id IN (\(binds: chunk)) GROUP BY facet, value
                """).all() {
                let value = try row.decode(column: "value", as: String.self), n = try row.decode(column: "n", as: Int.self)
                switch try row.decode(column: "facet", as: String.self) {
                case "affiliation": affiliations[value, default: 0] += n
                case "location": locations[value, default: 0] += n
                case "role": roles[value, default: 0] += n
                default: years[value, default: 0] += n
                }
            }
        }
        func byCount(_ counts: [String: Int]) -> [FacetValue] {
            counts.map { FacetValue(value: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.value) > ($1.count, $0.value) }
        }
        return SpeakerFacets(
            affiliation: Array(byCount(affiliations).prefix(limit)),
            location: Array(byCount(locations).prefix(limit)),
            role: byCount(roles),
            year: Array(years.map { FacetValue(value: $0.key, count: $0.value) }.sorted { $0.value > $1.value }.prefix(limit)),
            sampled: nil)
    }

    func facets(from: SQLQueryString, conditions: [SQLQueryString], filtered: Bool, limit: Int) async throws -> SpeakerFacets {
        let whereClause = sqlWhere(conditions)
        let and: SQLQueryString = conditions.isEmpty ? "WHERE" : "\(whereClause) AND"
        async let affiliation = sql.raw("""
            SELECT s.affiliation AS value, COUNT(*) AS count FROM \(from) \(and) s.affiliation IS NOT NULL
            GROUP BY s.affiliation ORDER BY count DESC, value LIMIT \(literal: limit)
            """).all(decoding: FacetValue.self)
        async let location = sql.raw("""
            SELECT s.location AS value, COUNT(*) AS count FROM \(from) \(and) s.location IS NOT NULL
            GROUP BY s.location ORDER BY count DESC, value LIMIT \(literal: limit)
            """).all(decoding: FacetValue.self)
        // Role and year come through appearances; restrict them to the filtered speakers.
        let restrict: SQLQueryString
        if filtered {
            restrict = "AND a.speaker_id IN (SELECT s.id FROM \(from) \(whereClause))"
        } else {
            restrict = ""
        }
        async let role = sql.raw("""
            SELECT a.role AS value, COUNT(DISTINCT a.speaker_id) AS count
            FROM appearances a WHERE 1 = 1 \(restrict)
            GROUP BY a.role ORDER BY count DESC, value
            """).all(decoding: FacetValue.self)
        async let year = sql.raw("""
            SELECT substr(e.starts_on, 1, 4) AS value, COUNT(DISTINCT a.speaker_id) AS count
            FROM appearances a JOIN events e ON e.id = a.event_id
            WHERE e.starts_on IS NOT NULL \(restrict)
            GROUP BY substr(e.starts_on, 1, 4) ORDER BY value DESC LIMIT \(literal: limit)
            """).all(decoding: FacetValue.self)
        return try await SpeakerFacets(affiliation: affiliation, location: location, role: role, year: year, sampled: nil)
    }

    public func profile(id: Int) async throws -> SpeakerProfile? {
        guard let speaker = try await sql.raw("""
            SELECT id, name, title, affiliation, bio, photo_url, location, created_at, updated_at, links
            FROM speakers WHERE id = \(bind: id)
            """).first() else { return nil }
        let appearances = try await sql.raw("""
            SELECT e.id AS event_id, e.url, e.title, e.starts_on AS date, e.location, a.role
            FROM appearances a JOIN events e ON e.id = a.event_id
            WHERE a.speaker_id = \(bind: id)
            ORDER BY e.starts_on DESC, e.id DESC
            """).all(decoding: SpeakerAppearance.self)
        return SpeakerProfile(
            id: try speaker.decode(column: "id", as: Int.self),
            name: try speaker.decode(column: "name", as: String.self),
            title: try speaker.decode(column: "title", as: String?.self),
            affiliation: try speaker.decode(column: "affiliation", as: String?.self),
            bio: try speaker.decode(column: "bio", as: String?.self),
            photoURL: try speaker.decode(column: "photo_url", as: String?.self),
            location: try speaker.decode(column: "location", as: String?.self),
            createdAt: try speaker.decode(column: "created_at", as: Date?.self),
            updatedAt: try speaker.decode(column: "updated_at", as: Date?.self),
            appearances: appearances,
            links: Self.links(try speaker.decode(column: "links", as: String?.self)))
    }

    /// The stored links JSON, kept only where the kind is known and the link is http(s).
    static func links(_ json: String?) -> [String: String] {
        guard let data = json?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var links: [String: String] = [:]
        for kind in SpeakerProfile.linkKinds {
            if let text = object[kind] as? String, let link = URLNormalizer.webLink(text) { links[kind] = link }
        }
        return links
    }
}

/// `WHERE a AND b`, or nothing when there are no conditions.
func sqlWhere(_ conditions: [SQLQueryString]) -> SQLQueryString {
    conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
}
