import Foundation
import SpeakerCore

/// Compares organisation names: acronyms ("NYU" = "New York University"), legal
/// suffixes, "University of X" = "X University", departments under their parent, and an
/// editable alias table. "Columbia University" and "Stanford University" stay different:
/// only their distinctive words are compared.
public struct AffiliationMatcher: Sendable {
    /// Alias (folded) → canonical name, from the database's `affiliation_aliases` and the
    /// built-in list.
    public var aliases: [String: String]

    public static let builtInAliases: [String: String] = [
        "nyu": "New York University", "mit": "Massachusetts Institute of Technology", "cfr": "Council on Foreign Relations",
        "lse": "London School of Economics", "ucl": "University College London", "ucla": "University of California, Los Angeles",
        "uc berkeley": "University of California, Berkeley", "who": "World Health Organization", "imf": "International Monetary Fund",
        "oecd": "Organisation for Economic Co-operation and Development", "un": "United Nations", "undp": "United Nations Development Programme",
        "unep": "United Nations Environment Programme", "eu": "European Union", "ecb": "European Central Bank", "wto": "World Trade Organization",
        "caltech": "California Institute of Technology", "eth zurich": "ETH Zürich", "epfl": "École polytechnique fédérale de Lausanne",
        "kcl": "King's College London", "soas": "SOAS University of London", "cmu": "Carnegie Mellon University",
    ]

    /// Words every organisation of a kind shares; they say nothing about which one.
    static let generic: Set<String> = ["university", "universitat", "universite", "universidad", "universita", "college", "institute",
                                       "institut", "instituto", "school", "of", "the", "for", "and", "de", "der", "des", "la", "le", "y", "e",
                                       "foundation", "center", "centre", "council", "department", "dept", "faculty", "group", "lab", "labs",
                                       "laboratory", "inc", "ltd", "llc", "llp", "gmbh", "ag", "plc", "corp", "co", "company", "sa", "bv",
                                       "association", "society", "international", "national", "global", "on", "in", "at", "&",
                                       // Kinds of organisation: "Ministry of Finance" and "Ministry of Health" share nothing.
                                       "ministry", "bank", "hospital", "museum", "agency", "partners", "forum", "office", "clinic", "press"]
    static let legalSuffixes: Set<String> = ["inc", "ltd", "llc", "llp", "gmbh", "ag", "plc", "corp", "co", "sa", "bv", "nv", "sarl", "srl", "spa", "pty",
                                             "limited", "incorporated", "sro", "as", "sas", "kk", "ab", "oy", "aps", "asa", "se", "kg", "mbh", "oyj", "sl", "slu", "lda"]

    public init(aliases: [String: String] = [:]) {
        var table = Self.builtInAliases
        for (key, value) in aliases { table[TextNormalization.matchKey(key)] = value }
        self.aliases = table
    }

    /// The canonical form: alias resolved, the parent organisation of a department,
    /// legal suffixes and "the" dropped, folded.
    public func canonical(_ name: String) -> String {
        var folded = TextNormalization.matchKey(name)
        if let alias = aliases[folded] { folded = TextNormalization.matchKey(alias) }
        // "Department of Economics, Stanford University" → "stanford university"
        let parts = name.split(separator: ",").map { TextNormalization.matchKey(String($0)) }
        if parts.count > 1, let parent = parts.last(where: { part in ["university", "institute", "college", "school", "universitat", "universite", "universidad"].contains { part.contains($0) } }),
           parts.first?.hasPrefix("department") == true || parts.first?.hasPrefix("faculty") == true || parts.first?.hasPrefix("school of") == true {
            folded = aliases[parent].map(TextNormalization.matchKey) ?? parent
        }
        var words = folded.split(separator: " ").map(String.init).filter { !Self.legalSuffixes.contains($0) && $0 != "the" }
        // Dotted legal forms fold into single letters: "s.r.o." → "s r o", "A.Ş." → "a s".
        while words.count > 2, let last = words.last, last.count == 1, words[words.count - 2].count <= 2 { words.removeLast() }
        if words.count > 1, let last = words.last, last.count == 1 { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// Distinctive words of an organisation ("stanford"), the basis of comparison.
    public func distinctive(_ name: String) -> Set<String> {
        Set(canonical(name).split(separator: " ").map(String.init).filter { !Self.generic.contains($0) })
    }

    static func acronym(_ name: String) -> String {
        TextNormalization.matchKey(name).split(separator: " ").filter { !["of", "the", "for", "and", "on", "in", "at", "&"].contains(String($0)) }
            .compactMap(\.first).map(String.init).joined()
    }

    /// An organisation name analysed once: canonical form, distinctive words, acronym,
    /// comma-separated parts and a trailing place. Comparing two analyses is cheap, so a
    /// resolution pass analyses each distinct name once (`ScoringMemo`).
    public struct Organisation: Sendable {
        public let raw: String
        let folded: String
        let canonical: String
        let compact: String
        let acronym: String
        let distinctive: Set<String>
        let place: String?
        let parts: [Organisation]
    }

    public func analyse(_ name: String) -> Organisation {
        analyse(name, withParts: true)
    }

    func analyse(_ name: String, withParts: Bool) -> Organisation {
        let canonical = canonical(name)
        let rawParts = name.split(separator: ",").map(String.init)
        let parts = withParts && rawParts.count > 1 ? rawParts.map { analyse($0, withParts: false) } : []
        return Organisation(raw: name, folded: TextNormalization.matchKey(name), canonical: canonical,
                            compact: canonical.replacingOccurrences(of: " ", with: ""), acronym: Self.acronym(name),
                            distinctive: Set(canonical.split(separator: " ").map(String.init).filter { !Self.generic.contains($0) }),
                            place: withParts ? placeQualifier(rawParts) : nil, parts: parts)
    }

    /// 1 for the same organisation, 0 for clearly different ones, in between for partial
    /// overlap; nil when either side is missing.
    public func similarity(_ a: String?, _ b: String?) -> Double? {
        guard let a, let b, !a.isEmpty, !b.isEmpty else { return nil }
        return similarity(analyse(a), analyse(b))
    }

    public func similarity(_ a: Organisation, _ b: Organisation) -> Double {
        // "St. Aldric's Hospital, Dublin" and "St. Aldric's Hospital, Boston": one name in
        // two places is two organisations.
        if let placeA = a.place, let placeB = b.place, placeA != placeB { return 0.2 }
        // "Kawabata Laboratory, Graduate School of Engineering, Tsukishima Institute of
        // Technology": a unit listed with its parent matches the parent.
        if !a.parts.isEmpty || !b.parts.isEmpty {
            var best = pairSimilarity(a, b)
            for x in a.parts.isEmpty ? [a] : a.parts { for y in b.parts.isEmpty ? [b] : b.parts { best = max(best, pairSimilarity(x, y) * 0.95) } }
            return best
        }
        return pairSimilarity(a, b)
    }

    /// The trailing part of "Name, City" when it reads as a place: a short run of
    /// distinctive words with no organisation word in it.
    func placeQualifier(_ parts: [String]) -> String? {
        guard parts.count > 1, let last = parts.last else { return nil }
        let canonicalLast = canonical(last)
        let words = canonicalLast.split(separator: " ").map(String.init)
        guard !words.isEmpty, words.count <= 3, words.allSatisfy({ !Self.generic.contains($0) }) else { return nil }
        guard words.allSatisfy({ !Self.organisationWords.contains($0) }) else { return nil }
        return canonicalLast
    }

    static let organisationWords: Set<String> = ["hospital", "bank", "ministry", "museum", "library", "agency", "office", "unit", "division", "program",
                                                 "programme", "project", "initiative", "clinic", "press", "media", "news", "studio", "studios", "partners",
                                                 "capital", "fund", "trust", "network"]

    func pairSimilarity(_ a: Organisation, _ b: Organisation) -> Double {
        let ca = a.canonical, cb = b.canonical
        guard !ca.isEmpty, !cb.isEmpty else { return 0 }
        if ca == cb { return 1 }
        if a.compact == b.acronym || b.compact == a.acronym { return 0.95 }
        // "Columbia University Irving Medical Center" is part of "Columbia University".
        if ca.hasPrefix(cb + " ") || cb.hasPrefix(ca + " ") { return 0.8 }
        let da = a.distinctive, db = b.distinctive
        guard !da.isEmpty, !db.isEmpty else { return ca.contains(cb) || cb.contains(ca) ? 0.7 : 0 }
        let shared = da.intersection(db).count
        if shared == 0 { return 0 }
        // "University of Wexmoor" vs "Wexmoor University": the same distinctive words.
        if da == db { return 0.95 }
        // "Halvorsen Lab" / "Halvorsen Climate Lab": one extra word; "Columbia University" /
        // "Columbia Valley Technical College" is another place.
        if (da.isSubset(of: db) || db.isSubset(of: da)) && abs(da.count - db.count) <= 1 { return 0.8 }
        return Double(shared) / Double(da.union(db).count)
    }

    /// Whether the two names match only through an acronym ("CFR" / "Council on Foreign
    /// Relations") — weaker evidence, since acronyms are shared by unrelated bodies.
    public func isAcronymMatch(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return isAcronymMatch(analyse(a), analyse(b))
    }

    public func isAcronymMatch(_ a: Organisation, _ b: Organisation) -> Bool {
        let fa = a.folded, fb = b.folded
        guard fa != fb else { return false }
        let shortA = !fa.contains(" ") && fa.count <= 6, shortB = !fb.contains(" ") && fb.count <= 6
        guard shortA != shortB else { return false }
        return similarity(a, b) >= 0.95
    }
}
