/// The part a person plays at an event.
///
/// Stored as its raw value; `other` keeps unknown roles instead of guessing.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case keynote
    case speaker
    case panelist
    case moderator
    case host
    case performer
    case other

    /// Parses a free-text role label ("Moderated by", "Panelists", "Keynote speaker", "Chair").
    public init?(label: String) {
        // Role labels are short; long text is a sentence that merely mentions a role word.
        guard label.count <= 60 else { return nil }
        let lowered = label.lowercased()
        let text = lowered.unicodeScalars.allSatisfy(\.isASCII) ? lowered : lowered.folding(options: [.diacriticInsensitive], locale: nil)
        for (role, words) in Role.foldedLabelWords {
            if words.contains(where: { text.containsBytes($0) }) {
                self = role
                return
            }
        }
        return nil
    }

    /// Roles ordered by how prominently they are usually presented.
    public static func < (lhs: Role, rhs: Role) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// `labelWords` folded the same way labels are.
    static let foldedLabelWords: [(Role, [String])] = labelWords.map { role, words in
        (role, words.map { $0.lowercased().folding(options: [.diacriticInsensitive], locale: nil) })
    }

    /// Label words per role, checked in this order (keynote before speaker, etc.).
    static let labelWords: [(Role, [String])] = [
        (.keynote, ["keynote", "plenary", "hauptvortrag", "conférence d'ouverture", "conferencia magistral", "基調講演", "キーノート"]),
        (.moderator, ["moderat", "chair", "facilitat", "animé", "anime par", "animateur", "animatrice", "modérat", "司会", "モデレーター"]),
        (.panelist, ["panel", "discussant", "respondent", "podium", "panéliste", "ponente", "パネリスト"]),
        (.host, ["host", "introduc", "welcome", "gastgeber", "hôte", "anfitri", "presentador", "ホスト"]),
        (.performer, ["perform", "musician", "artist", "künstler", "artiste", "artista", "出演"]),
        (.speaker, ["speaker", "presenter", "lecturer", "referent", "sprecher", "redner", "intervenant", "orateur", "conférencier", "speakers", "ponente", "conferenciante", "orador", "講演", "登壇", "スピーカー"]),
    ]
}
