/// What a person may do. Each role includes the ones below it.
public enum AccessRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads everything (when `PUBLIC_READ` is off, reading needs at least this).
    case viewer
    /// Also decides identity review pairs and corrections.
    case editor
    /// Also manages sources, runs the pipeline (spends money), retries jobs and manages users.
    case admin

    public var rank: Int { AccessRole.allCases.firstIndex(of: self)! }
    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs.rank < rhs.rank }
}
