import SpeakerCore
import Foundation

/// The word lists behind person-name detection, loaded once from the module's resources:
/// first and last names (US Census 1990, public domain, derived by
/// scripts/derive-name-lists.py, plus an international supplement), honorifics and
/// post-nominals, organisation words, CJK family names and nickname groups.
public final class NameLexicon: Sendable {
    public let firstNames: Set<String>
    public let lastNames: Set<String>
    public let honorifics: Set<String>
    public let postNominals: Set<String>
    public let organisationWords: Set<String>
    public let cjkFamilyNames: Set<String>
    public let romanisedFamilyNames: Set<String>
    /// Every form of a given name → the group's formal name ("bill" → "william").
    public let nicknames: [String: String]
    /// Every form of a given name → all the groups it belongs to ("sasha" is Alexander's
    /// and Oleksandra's), for deciding whether two given names can be one person's.
    public let nicknameGroups: [String: Set<Int>]

    public static let shared = NameLexicon()

    init() {
        func lines(_ name: String) -> [String] {
            guard let url = Bundle.module.url(forResource: name, withExtension: "txt"),
                  let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        func sections(_ name: String, marker: String) -> ([String], [String]) {
            guard let url = Bundle.module.url(forResource: name, withExtension: "txt"),
                  let text = try? String(contentsOf: url, encoding: .utf8) else { return ([], []) }
            var first: [String] = [], second: [String] = []
            var inSecond = false
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingWhitespace()
                if line.lowercased().hasPrefix("# \(marker)") { inSecond = true; continue }
                if line.isEmpty || line.hasPrefix("#") { continue }
                if inSecond { second.append(line) } else { first.append(line) }
            }
            return (first, second)
        }
        let fold: (String) -> String = { $0.lowercased().folding(options: .diacriticInsensitive, locale: nil) }
        var first = Set(lines("census-first-names").map(fold))
        for name in lines("international-first-names") {
            first.insert(fold(name))
            first.insert(name.lowercased())
        }
        firstNames = first
        lastNames = Set(lines("census-last-names").map(fold))
        let (titles, posts) = sections("honorifics", marker: "post-nominals")
        honorifics = Set(titles.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) })
        postNominals = Set(posts.map { $0.lowercased().replacingOccurrences(of: ".", with: "") })
        organisationWords = Set(lines("organisation-words").map(fold))
        let (cjk, romanised) = sections("cjk-family-names", marker: "romanised")
        cjkFamilyNames = Set(cjk)
        romanisedFamilyNames = Set(romanised.map(fold))
        var groups: [String: String] = [:]
        var memberships: [String: Set<Int>] = [:]
        let extra = [
            // Diminutives across languages that the English table leaves out.
            "oleksandra,oleksandr,aleksandra,aleksandr,alexandra,alexander,sasha,sascha,sacha,olek,lesya",
            "antonio,anthony,antony,antonin,tony,toni,antoine,anton,toño",
            "francisco,francesco,francis,frank,paco,pancho,kiko,cisco,chesco",
            "josé,jose,giuseppe,joseph,joe,pepe,beppe,peppe,jo",
            "yevgeniya,evgeniya,evgenia,eugenia,zhenya,genya",
            "dmitrii,dmitry,dmitri,dima",
            "giorgos,georgios,george,yorgos,jorge,jörg",
        ]
        for (index, line) in (lines("nicknames") + extra).enumerated() {
            let forms = line.split(separator: ",").map { fold($0.trimmingWhitespace()) }
            guard let formal = forms.first else { continue }
            for form in forms {
                if groups[form] == nil { groups[form] = formal }
                memberships[form, default: []].insert(index)
            }
        }
        nicknames = groups
        nicknameGroups = memberships
    }

    /// Lower case without accents; ASCII words (most) skip Foundation's folding.
    static func fold(_ word: String) -> String {
        word.utf8.allSatisfy { $0 < 0x80 } ? word.lowercased() : word.lowercased().folding(options: .diacriticInsensitive, locale: nil)
    }

    public func isFirstName(_ word: String) -> Bool {
        let folded = Self.fold(word)
        return firstNames.contains(folded) || folded.split(separator: "-").allSatisfy { firstNames.contains(String($0)) } && folded.contains("-")
    }

    public func isLastName(_ word: String) -> Bool {
        let folded = Self.fold(word)
        return lastNames.contains(folded) || romanisedFamilyNames.contains(folded)
    }

    public func isOrganisationWord(_ word: String) -> Bool {
        organisationWords.contains(Self.fold(word))
    }

    public func isHonorific(_ word: String) -> Bool {
        honorifics.contains(word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")))
    }

    public func isPostNominal(_ word: String) -> Bool {
        postNominals.contains(word.lowercased().replacingOccurrences(of: ".", with: "").trimmingCharacters(in: CharacterSet(charactersIn: ",")))
    }
}
