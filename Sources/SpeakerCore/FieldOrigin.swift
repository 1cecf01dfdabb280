/// Where a value of a speaker's field came from. When values disagree, the lower `rank`
/// wins (then the most recent event, then confidence, then the value most records agree on): what a person typed beats what a
/// page's data said, then what an extractor read from the page's structure, then what it
/// read out of a sentence, then a model, then enrichment.
public enum FieldOrigin: String, Codable, Sendable, CaseIterable {
    case user
    case page
    case structured
    case `import`
    case extractor
    /// Read out of prose only (a sentence, a name heading's bio): weaker than the page's
    /// structure on any page, so "Jane Doe, who joined Acme…" never replaces the
    /// organisation a speaker card gave.
    case prose
    case llm
    case enrichment

    /// The one precedence table: 0 is strongest. A page, its structured data and an import
    /// of someone's export rank alike.
    public var rank: Int {
        switch self {
        case .user: 0
        case .page, .structured, .import: 1
        case .extractor: 2
        case .prose: 3
        case .llm: 4
        case .enrichment: 5
        }
    }

    /// Whether a person gave the value (a correction or an import): of two such values
    /// the later one is their latest word. Extracted values are ordered by what the pages
    /// say, never by when they were stored.
    public static func isGiven(_ raw: String) -> Bool {
        raw == FieldOrigin.user.rawValue || raw == FieldOrigin.import.rawValue
    }

    /// The rank of a stored origin string; unknown origins rank below every known one.
    public static func rank(of raw: String) -> Int {
        FieldOrigin(rawValue: raw)?.rank ?? 6
    }
}
