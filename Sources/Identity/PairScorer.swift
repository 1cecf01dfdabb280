import Names
import Extraction
import Foundation
import SpeakerCore

/// What the resolver knows about one speaker record when comparing it with another.
public struct IdentityRecord: Sendable, Equatable, Codable {
    public var id: Int
    public var name: String
    public var title: String?
    public var affiliation: String?
    public var bio: String?
    public var links: [String]
    public var photoURL: String?
    /// Events the record appears at (ids as text).
    public var events: Set<String>
    /// Folded names of the other people at those events.
    public var coSpeakers: Set<String>

    public init(id: Int, name: String, title: String? = nil, affiliation: String? = nil, bio: String? = nil, links: [String] = [],
                photoURL: String? = nil, events: Set<String> = [], coSpeakers: Set<String> = []) {
        self.id = id
        self.name = name
        self.title = title
        self.affiliation = affiliation
        self.bio = bio
        self.links = links
        self.photoURL = photoURL
        self.events = events
        self.coSpeakers = coSpeakers
    }
}

/// A scored comparison: how likely the two records are one person, and why.
public struct PairScore: Sendable, Equatable, Codable {
    public var probability: Double
    public var reasons: [String]

    public enum Decision: String, Sendable, Codable {
        case merge
        case review
        case separate
    }

    public func decision(merge: Double = PairScorer.mergeThreshold, review: Double = PairScorer.reviewThreshold) -> Decision {
        probability >= merge ? .merge : (probability >= review ? .review : .separate)
    }
}

/// Scores whether two speaker records are the same person from the evidence a page gives:
/// the names (exact, reordered, nickname, initial, middle name), organisations, titles,
/// shared co-speakers and events, profile links and photos, and bios that mention the
/// other record's organisation. Each piece adds or removes log-odds; a different LinkedIn
/// or ORCID profile or clearly different organisations with nothing shared keep
/// same-name people apart.
public struct PairScorer: Sendable {
    public static let mergeThreshold = 0.9
    public static let reviewThreshold = 0.55

    let lexicon: NameLexicon
    let affiliations: AffiliationMatcher

    public init(lexicon: NameLexicon = .shared, affiliations: AffiliationMatcher = AffiliationMatcher()) {
        self.lexicon = lexicon
        self.affiliations = affiliations
    }

    enum NameRelation: String {
        case exact, spacing, reordered, middleName, compoundFamily, nickname, transliteration, initial, otherScript, handle, different
    }

    func nameRelation(_ a: NameParts, _ b: NameParts, memo: ScoringMemo? = nil) -> NameRelation {
        if a.tokens == b.tokens && !a.tokens.isEmpty { return .exact }
        if a.isCJK != b.isCJK { return .otherScript }
        if a.isCJK && b.isCJK {
            return a.tokens.joined() == b.tokens.joined() ? .exact : .different
        }
        if a.isHandle != b.isHandle {
            // "@janedoe" may be Jane Doe; "@sva" is not Rumesh Hapuarachchi.
            let (handle, person) = a.isHandle ? (a, b) : (b, a)
            let letters = handle.tokens.joined().filter(\.isLetter)
            let parts = person.tokens.filter { $0.count >= 3 }
            return parts.contains(where: { letters.contains($0) }) ? .handle : .different
        }
        if Set(a.tokens) == Set(b.tokens) && a.tokens.count >= 2 { return .reordered }
        // "Ben-Said"/"Bensaid", "Ji-yeon Park"/"Jiyeon Park", "Park Ji-yeon"/"Jiyeon Park".
        if !a.joinedForms.isDisjoint(with: b.joinedForms) { return a.tokens.joined() == b.tokens.joined() ? .spacing : .reordered }
        let (shorter, longer) = a.tokens.count <= b.tokens.count ? (a.tokens, b.tokens) : (b.tokens, a.tokens)
        // "Emma Thornton" / "Emma Thornton-Reyes": a double-barrelled family name.
        if shorter.count >= 2, longer.count > shorter.count, longer.starts(with: shorter) || (shorter.first == longer.first && shorter.last == longer.last) {
            if shorter.first == longer.first && Set(shorter).isSubset(of: Set(longer)) {
                return a.family == b.family ? .middleName : .compoundFamily
            }
        }
        guard a.family == b.family, !a.family.isEmpty else {
            if let swapped = b.alternativeOrder, swapped.family == a.family, swapped.given == a.given { return .reordered }
            if Self.similarSkeletons(a.family, b.family, memo: memo), let ga = a.given.first, let gb = b.given.first, Self.similarSkeletons(ga, gb, memo: memo) {
                return .transliteration
            }
            return .different
        }
        guard let ga = a.given.first, let gb = b.given.first else { return .different }
        if ga == gb {
            // "Mary Ann Lee" / "Mary Lee", "Robert Alan Linden" / "Robert A. Linden".
            let restA = a.given.dropFirst(), restB = b.given.dropFirst()
            let compatible = zip(restA, restB).allSatisfy { x, y in x == y || (x.count == 1 || y.count == 1) && x.first == y.first }
            return compatible ? .middleName : .different
        }
        if ga.count == 1 || gb.count == 1 {
            return ga.first == gb.first ? .initial : .different
        }
        if let na = lexicon.nicknameGroups[ga], let nb = lexicon.nicknameGroups[gb], !na.isDisjoint(with: nb) { return .nickname }
        if Self.similarSkeletons(ga, gb, memo: memo) { return .transliteration }
        return .different
    }

    /// Spellings of one name in two transliterations ("Dmitrii"/"Dmitry", "Jürgen"/"Juergen").
    static func similarSkeletons(_ a: String, _ b: String, memo: ScoringMemo? = nil) -> Bool {
        let sa = memo?.skeleton(a) ?? NameParts.skeleton(a), sb = memo?.skeleton(b) ?? NameParts.skeleton(b)
        if sa == sb { return true }
        guard min(sa.count, sb.count) >= 4 else { return false }
        return Double(editDistance(sa, sb)) / Double(max(sa.count, sb.count)) <= 0.2
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var previous = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...max(1, y.count) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }

    /// Scores a pair. Pass one `ScoringMemo` for many pairs (a resolution pass): names,
    /// word sets and organisation comparisons are then worked out once per distinct text.
    /// `explainAll: false` writes the reasons only for pairs that reach the review band
    /// (the others are dropped unread), which keeps a pass over millions of pairs cheap.
    public func score(_ a: IdentityRecord, _ b: IdentityRecord, memo: ScoringMemo? = nil, explainAll: Bool = true) -> PairScore {
        let m = memo ?? ScoringMemo(self)
        var logit = -2.0
        var evidence: [(Double, String)] = []
        evidence.reserveCapacity(8)
        func add(_ value: Double, _ reason: String) {
            logit += value
            evidence.append((value, reason))
        }
        let pa = m.parts(a.name), pb = m.parts(b.name)
        let relation = nameRelation(pa, pb, memo: m)
        switch relation {
        case .exact: add(3.0, "same name")
        case .spacing: add(2.8, "same name written with or without hyphens or spaces")
        case .reordered: add(2.4, "same name in another order")
        case .middleName: add(2.2, "same name but for a middle name or initial")
        case .compoundFamily: add(1.6, "one family name is part of the other (double-barrelled)")
        case .nickname: add(2.0, "nickname of the same given name")
        case .transliteration: add(1.4, "another transliteration of the same name")
        case .initial: add(1.5, "initial of the same given name")
        case .otherScript: add(0, "names in different scripts cannot be compared")
        case .handle: add(-1.5, "a handle against a name")
        case .different: add(-4.0, "different names")
        }
        if let ga = pa.generation, let gb = pb.generation, ga != gb { add(-8.0, "different generations (\(ga), \(gb))") }
        // Profile links: the same profile is decisive; two different ones rule it out.
        let la = Set(a.links.compactMap(Self.profileKey)), lb = Set(b.links.compactMap(Self.profileKey))
        if !la.intersection(lb).isEmpty {
            add(6.0, "the same profile link")
        } else {
            let kinds: [String] = ["linkedin", "orcid", "x", "github"]
            for kind in kinds {
                let ka = la.filter { $0.hasPrefix(kind + ":") }, kb = lb.filter { $0.hasPrefix(kind + ":") }
                if !ka.isEmpty && !kb.isEmpty {
                    add(-6.0, "different \(kind) profiles")
                    break
                }
            }
        }
        if let photoA = a.photoURL, let photoB = b.photoURL, photoA == photoB { add(2.0, "the same photo") }
        var organisationsDiffer = false
        var organisationsStronglyMatch = false
        // One name twice at one event, or at an event page and its translation, is one
        // person: there the organisation may be written in another language ("Institut für
        // Angewandte Informatik" / "Institute for Applied Informatics") and a different
        // role is the same person's other part in the programme.
        let sharedEvents = a.events.intersection(b.events)
        let oneEventOneName = relation == .exact && !sharedEvents.isEmpty
        let sameScript = m.script(a.affiliation ?? "") == m.script(b.affiliation ?? "")
        // "Executive Director of the Savanna Water Alliance" names the other record's organisation.
        if a.affiliation == nil || b.affiliation == nil || m.similarity(a.affiliation, b.affiliation) ?? 0 < 0.7,
           m.mentions(a.title, b.affiliation) || m.mentions(b.title, a.affiliation) {
            add(2.2, "a title names the other's organisation")
            organisationsStronglyMatch = true
        } else if sameScript, let similarity = m.similarity(a.affiliation, b.affiliation) {
            let viaAcronym = m.isAcronymMatch(a.affiliation, b.affiliation)
            if viaAcronym { add(1.0, "the same organisation by its acronym") }
            else if similarity >= 0.95 {
                add(2.2, "the same organisation")
                organisationsStronglyMatch = true
            }
            else if similarity >= 0.7 { add(1.4, "overlapping organisation names") }
            else if similarity > 0 { add(0.3, "organisation names share a word") }
            else if oneEventOneName {
                add(0, "organisations written differently at the same event")
            } else {
                organisationsDiffer = true
                add(-2.2, "different organisations")
            }
        }
        if let ta = a.title, let tb = b.title, sameScript && m.script(ta) == m.script(tb) {
            let overlap = m.wordOverlap(ta, tb)
            if overlap >= 0.5 || Self.isTitleAcronym(ta, of: tb) || Self.isTitleAcronym(tb, of: ta) { add(0.6, "similar titles") }
            // Different jobs count against a same-name pair only when nothing else ties them
            // (a new job comes with a new organisation; one organisation has many roles).
            else if overlap == 0 && !organisationsStronglyMatch && !organisationsDiffer && !oneEventOneName && !m.words(ta).isEmpty && !m.words(tb).isEmpty {
                add(-1.0, "different roles")
            }
        }
        if !sharedEvents.isEmpty { add(2.0, "at the same event") }
        let shared = a.coSpeakers.intersection(b.coSpeakers)
        if !shared.isEmpty { add(min(3.0, 1.2 * Double(shared.count)), "\(shared.count) co-speaker\(shared.count == 1 ? "" : "s") in common") }
        // A job change: one record's bio names the other's organisation.
        if organisationsDiffer, m.mentions(a.bio, b.affiliation) || m.mentions(b.bio, a.affiliation) {
            add(3.5, "a bio mentions the other organisation")
        }
        if let ba = a.bio, let bb = b.bio, m.bioOverlap(ba, bb) { add(1.0, "similar bios") }
        let probability = 1 / (1 + exp(-logit))
        guard explainAll || probability >= Self.reviewThreshold else { return PairScore(probability: probability, reasons: []) }
        let reasons = evidence.map { value, reason in
            let tenths = Int((abs(value) * 10).rounded())
            return "\(value < 0 && tenths > 0 ? "-" : "+")\(tenths / 10).\(tenths % 10) \(reason)"
        }
        return PairScore(probability: probability, reasons: reasons)
    }

    /// "linkedin:in/amara" for a LinkedIn URL, "orcid:0000-…" for ORCID, the host and path
    /// for others; nil for non-web links.
    static func profileKey(_ link: String) -> String? {
        guard let url = URL(string: link.trimmingWhitespace()), let host = url.host?.lowercased() else { return nil }
        let path = url.path.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if host.hasSuffix("linkedin.com") { return "linkedin:" + path }
        if host.hasSuffix("orcid.org") { return "orcid:" + path }
        if host == "x.com" || host.hasSuffix("twitter.com") { return "x:" + path }
        if host.hasSuffix("github.com") {
            // "github.com/organizations/X" and "github.com/orgs/X" name an organisation, not a person.
            let parts = path.split(separator: "/").map(String.init)
            guard let user = parts.first, !["organizations", "orgs", "sponsors", "topics"].contains(user) else { return nil }
            return "github:" + user
        }
        let fragment = url.fragment.map { "#" + $0.lowercased() } ?? ""
        return "web:" + host.replacingOccurrences(of: "www.", with: "") + "/" + path + fragment
    }

    /// "CEO" for "Chief Executive Officer", "CDO" for "Chief Data Officer".
    static func isTitleAcronym(_ short: String, of long: String) -> Bool {
        let compact = short.filter { $0.isLetter }
        guard compact.count >= 2, compact.count <= 5, compact == compact.uppercased() else { return false }
        let initials = long.split(whereSeparator: { !$0.isLetter }).filter { $0.first?.isUppercase == true }.compactMap(\.first).map(String.init).joined()
        return initials == compact
    }

    static func isLatin(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value >= 0x0370 && $0.properties.isAlphabetic }
    }

    static func words(_ text: String) -> Set<String> {
        Set(TextNormalization.matchKey(text).split(separator: " ").map(String.init).filter { $0.count > 2 })
    }
}

/// What a resolution pass works out once per distinct text instead of once per pair:
/// parsed names, word sets, scripts and organisation comparisons. Not thread-safe: one
/// memo per task.
public final class ScoringMemo: @unchecked Sendable {
    let scorer: PairScorer
    private var names: [String: NameParts] = [:]
    private var wordSets: [String: Set<String>] = [:]
    private var allWords: [String: Set<String>] = [:]
    private var scripts: [String: Int] = [:]
    private var organisations: [String: AffiliationMatcher.Organisation] = [:]
    private var skeletons: [String: String] = [:]

    public init(_ scorer: PairScorer) {
        self.scorer = scorer
    }

    func parts(_ name: String) -> NameParts {
        if let known = names[name] { return known }
        let parts = NameParts(name, lexicon: scorer.lexicon)
        names[name] = parts
        return parts
    }

    func words(_ text: String) -> Set<String> {
        if let known = wordSets[text] { return known }
        let words = PairScorer.words(text)
        wordSets[text] = words
        return words
    }

    func wordOverlap(_ a: String, _ b: String) -> Double {
        let wa = words(a), wb = words(b)
        guard !wa.isEmpty, !wb.isEmpty else { return 0 }
        return Double(wa.intersection(wb).count) / Double(min(wa.count, wb.count))
    }

    /// Bios that say much the same: most of their words shared, and enough of them that
    /// a template ("Works on … policy") alone does not count.
    func bioOverlap(_ a: String, _ b: String) -> Bool {
        let wa = words(a), wb = words(b)
        guard wa.count >= 6, wb.count >= 6 else { return a == b && wa.count >= 3 }
        let shared = wa.intersection(wb).count
        return shared >= 8 && Double(shared) / Double(min(wa.count, wb.count)) >= 0.6
    }

    /// 0 Latin, 1 CJK, 2 another script.
    func script(_ text: String) -> Int {
        if let known = scripts[text] { return known }
        let value = PersonNameDetectorProxy.containsCJK(text) ? 1 : (PairScorer.isLatin(text) ? 0 : 2)
        scripts[text] = value
        return value
    }

    func organisation(_ name: String) -> AffiliationMatcher.Organisation {
        if let known = organisations[name] { return known }
        let value = scorer.affiliations.analyse(name)
        organisations[name] = value
        return value
    }

    func similarity(_ a: String?, _ b: String?) -> Double? {
        guard let a, let b, !a.isEmpty, !b.isEmpty else { return nil }
        return scorer.affiliations.similarity(organisation(a), organisation(b))
    }

    func isAcronymMatch(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b, !a.isEmpty, !b.isEmpty else { return false }
        return scorer.affiliations.isAcronymMatch(organisation(a), organisation(b))
    }

    func skeleton(_ word: String) -> String {
        if let known = skeletons[word] { return known }
        let value = NameParts.skeleton(word)
        skeletons[word] = value
        return value
    }

    /// Whether `text` contains every distinctive word of `organisation`.
    func mentions(_ text: String?, _ organisation: String?) -> Bool {
        guard let text, let organisation else { return false }
        let words = self.organisation(organisation).distinctive
        guard !words.isEmpty else { return false }
        let textWords: Set<String>
        if let known = allWords[text] { textWords = known } else {
            textWords = Set(TextNormalization.matchKey(text).split(separator: " ").map(String.init))
            allWords[text] = textWords
        }
        return words.isSubset(of: textWords)
    }
}
