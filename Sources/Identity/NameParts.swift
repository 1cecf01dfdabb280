import Names
import Extraction
import Foundation
import SpeakerCore

/// A person's name taken apart for matching: given names, family name, initials, with
/// accents, case, honorifics and post-nominals folded away. Display keeps the original.
public struct NameParts: Sendable, Equatable, Hashable {
    /// Folded given-name tokens ("amara"; "j" for an initial).
    public var given: [String]
    /// Folded family name ("okafor", "van der berg", "山田").
    public var family: String
    /// Every folded token, in the order written.
    public var tokens: [String]
    /// Written in CJK script.
    public var isCJK: Bool
    /// "@handle" or a single-word pseudonym.
    public var isHandle: Bool

    static let particles: Set<String> = ["de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "ter", "ten", "la", "le",
                                         "dos", "das", "do", "bin", "binti", "ibn", "al", "el", "y"]

    /// "jr", "sr", "ii", "iii", "iv": a generational suffix, which tells father from son.
    public var generation: String?

    /// Honorifics that are never a given name, so "Dr Doe" is Doe even without a dot.
    static let unambiguousHonorifics: Set<String> = ["dr", "prof", "professor", "mr", "mrs", "ms", "mx", "mme", "mlle", "herr", "frau", "sra", "sr"]

    static let generations: Set<String> = ["jr", "sr", "ii", "iii", "iv", "junior", "senior"]

    public init(_ display: String, lexicon: NameLexicon = .shared) {
        var text = display.trimmed()
        // "(Ret.)", "(she/her)": asides are not part of the name.
        while let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            text = (String(text[..<open]) + String(text[text.index(after: close)...])).trimmingWhitespace()
        }
        // "Idris Mahmoud, USN": letters after a comma are post-nominals, not a given name.
        if let comma = text.firstIndex(of: ","), text[text.index(after: comma)...].trimmingWhitespace().allSatisfy({ $0.isUppercase || $0 == "." || $0 == " " || $0 == "," }) {
            text = String(text[..<comma])
        }
        // "Okafor, Amara" → "Amara Okafor"
        let commaParts = text.split(separator: ",").map { $0.trimmingWhitespace() }
        if commaParts.count == 2, !commaParts[0].contains(" ") || commaParts[0].split(separator: " ").count <= 2,
           commaParts[1].split(separator: " ").count <= 3, !lexicon.isPostNominal(commaParts[1]) {
            text = commaParts[1] + " " + commaParts[0]
        }
        isHandle = text.hasPrefix("@") || !text.contains(" ") && !PersonNameDetectorProxy.containsCJK(text)
        isCJK = PersonNameDetectorProxy.containsCJK(text)
        generation = nil
        if isCJK {
            // Family name first; spaces are optional ("山田 花子" = "山田花子").
            let compact = text.filter { !$0.isWhitespace && $0 != "・" }
            let familyLength = lexicon.cjkFamilyNames.contains(String(compact.prefix(2))) && compact.count > 2 ? 2 : 1
            family = String(compact.prefix(familyLength))
            given = [String(compact.dropFirst(familyLength))]
            tokens = [family] + given
            return
        }
        // Honorifics go only where they are titles: "Dr. Jane Doe", "The Hon. Jane Doe",
        // "H.E. Amara Okafor", "Dr. Doe"; "Hon Lam" and "Lady Gaga" are names and keep their words.
        var rawWords = text.split(separator: " ").map(String.init)
        func bare(_ word: String) -> String { word.lowercased().replacingOccurrences(of: ".", with: "") }
        while rawWords.count > 1 {
            let first = bare(rawWords[0])
            if first == "the", rawWords.count > 2, lexicon.isHonorific(bare(rawWords[1])) || lexicon.isHonorific(rawWords[1]) {
                rawWords.removeFirst()
                continue
            }
            guard lexicon.isHonorific(first) || lexicon.isHonorific(rawWords[0]) else { break }
            let dotted = rawWords[0].hasSuffix(".")
            guard rawWords.count >= 3 || dotted || Self.unambiguousHonorifics.contains(first) else { break }
            rawWords.removeFirst()
        }
        var words = TextNormalization.matchKey(rawWords.joined(separator: " ")).split(separator: " ").map(String.init)
        var generation: String?
        while words.count > 1, let last = words.last, lexicon.isPostNominal(last) || Self.generations.contains(last) {
            if Self.generations.contains(last) { generation = last.hasPrefix("j") ? "jr" : (last.hasPrefix("s") ? "sr" : last) }
            words.removeLast()
        }
        self.generation = generation
        tokens = words
        guard words.count >= 2 else {
            family = words.first ?? ""
            given = []
            return
        }
        // The family name is the last word with its particles ("van der Berg").
        var familyStart = words.count - 1
        while familyStart > 1, Self.particles.contains(words[familyStart - 1]) { familyStart -= 1 }
        family = words[familyStart...].joined(separator: " ")
        given = Array(words[..<familyStart])
    }

    /// Given names as written, or reversed for East Asian order in Latin script when the
    /// first word is a known family name ("Lin Wei").
    public var alternativeOrder: NameParts? {
        guard !isCJK, tokens.count == 2 else { return nil }
        var swapped = self
        swapped.given = [tokens[1]]
        swapped.family = tokens[0]
        swapped.tokens = [tokens[1], tokens[0]]
        return swapped
    }

    public var firstInitial: String? { given.first?.first.map(String.init) }

    /// Keys that put possible matches in one block: family name plus first initial, and
    /// the reversed order for two-word names.
    public var blockingKeys: [String] {
        if isCJK { return ["cjk:" + family] }
        if isHandle { return ["handle:" + tokens.joined()] }
        var keys: [String] = []
        keys.append("n:" + family + ":" + (firstInitial ?? ""))
        if let swapped = alternativeOrder { keys.append("n:" + swapped.family + ":" + (swapped.firstInitial ?? "")) }
        // Joined or hyphenated family names ("Ben-Said" / "Bensaid") and Korean given names
        // written either way block together through the joined name.
        keys.append("j:" + tokens.sorted().joined())
        // The given name with the family initial ("Amara O…": "Okafor-Smith", "Okafur"); for
        // two-word names the reversed-order key above already groups exactly these.
        if alternativeOrder == nil, let first = given.first { keys.append("g:" + first + ":" + String(family.prefix(1))) }
        return keys
    }

    /// The name with spaces and hyphens removed, in written and in reversed order.
    public var joinedForms: Set<String> {
        guard !isCJK else { return [tokens.joined()] }
        return [tokens.joined(), (tokens.count >= 2 ? [tokens.last!] + tokens.dropLast() : tokens).joined()]
    }

    /// A spelling skeleton for transliteration variants: "Müller"/"Mueller" → "muler",
    /// "Dmitrii"/"Dmitry" → "dmitri", "Søren"/"Soeren" → "soren".
    public static func skeleton(_ word: String) -> String {
        var text = word.lowercased()
        for (from, to) in [("ß", "ss"), ("ø", "o"), ("æ", "ae"), ("å", "a"), ("ł", "l"), ("đ", "d")] { text = text.replacingOccurrences(of: from, with: to) }
        text = text.folding(options: .diacriticInsensitive, locale: nil)
        for (from, to) in [("ae", "a"), ("oe", "o"), ("ue", "u"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("kh", "h"), ("ii", "i"), ("y", "i"),
                           ("ij", "i"), ("w", "v"), ("dj", "j"), ("dzh", "j"), ("zh", "j"), ("ks", "x"), ("ou", "u")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        if text.hasPrefix("ie") { text = "e" + text.dropFirst(2) }
        // Doubled letters ("Kjaergaard"/"Kjærgaard" → one a) count once.
        var collapsed = ""
        for character in text where collapsed.last != character { collapsed.append(character) }
        return collapsed
    }
}

/// Script checks shared with the extractor's name detector.
enum PersonNameDetectorProxy {
    static func containsCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            (0x3040...0x30FF).contains(scalar.value) || (0x3400...0x9FFF).contains(scalar.value)
                || (0xAC00...0xD7AF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
        }
    }
}
