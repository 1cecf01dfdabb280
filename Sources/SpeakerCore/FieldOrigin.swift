/// Where a value of a speaker's field came from. When values disagree, the lower `rank`
/// wins (then the most recent event, then confidence): what a person typed beats what a
/// page said, which beats what an extractor guessed from prose, a model, and enrichment.
public enum FieldOrigin: String, Codable, Sendable, CaseIterable {
    case user
    case page
    case structured
    case `import`
    case extractor
    case llm
    case enrichment

    /// The one precedence table: 0 is strongest. A page, its structured data and an import
    /// of someone's export rank alike.
    public var rank: Int {
        switch self {
        case .user: 0
        case .page, .structured, .import: 1
        case .extractor: 2
        case .llm: 3
        case .enrichment: 4
        }
    }

    /// The rank of a stored origin string; unknown origins rank below every known one.
    public static func rank(of raw: String) -> Int {
        FieldOrigin(rawValue: raw)?.rank ?? 5
    }
}
