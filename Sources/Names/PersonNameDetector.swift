import Foundation
import SpeakerCore

/// How much the page structure already says "this is a person": a schema.org Person is
/// strong evidence, a line in free text is weak, so the name itself must carry more.
public enum NameContext: Sendable {
    case structured
    case card
    case section
    case freeText

    /// The score a candidate needs in this context.
    var threshold: Double {
        switch self {
        case .structured: 0.3
        case .card, .section: 0.45
        case .freeText: 0.62
        }
    }

    var isStrong: Bool { self != .freeText }
}

/// A person's name as found, with the title words and letters that were around it.
public struct PersonName: Sendable, Equatable {
    /// The name without honorifics or post-nominals ("Amara Okafor").
    public var display: String
    /// "Dr.", "Prof.", "H.E." when the page put one before the name.
    public var honorific: String?
    /// "PhD", "OBE" when the page put them after the name.
    public var postNominals: [String]
    /// How name-like the text is, 0…1.
    public var score: Double
}

/// Decides whether a piece of text is a person's name: capitalisation and structure, a
/// first-name gazetteer, last names, CJK family names and handles — and rejects
/// organisations, groups, sentences and interface text.
public struct PersonNameDetector: Sendable {
    let lexicon: NameLexicon

    public init(lexicon: NameLexicon = .shared) {
        self.lexicon = lexicon
    }

    /// Lower-case words that may sit inside a name.
    static let particles: Set<String> = ["de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "ter", "ten", "la", "le",
                                         "dos", "das", "do", "bin", "binti", "bint", "ibn", "al", "el", "y", "e", "zu", "af", "av", "st", "st."]
    /// Articles and determiners of the languages the chain claims that never begin a name,
    /// though they may sit inside one ("João das Neves"): "Das Programm", "Les Intervenants"
    /// and "Unsere Partner" are two capitalised words, and headings.
    static let leadingArticles: Set<String> = ["der", "die", "das", "dem", "ein", "eine", "einer", "einen", "unser", "unsere",
                                               "les", "une", "los", "las", "gli"]
    /// Words that never occur in a person's name but often in headings, buttons and prose.
    static let nonNameWords: Set<String> = [
        "the", "and", "or", "of", "for", "with", "on", "in", "at", "to", "our", "your", "by", "from", "this", "that", "these", "new",
        "register", "registration", "more", "read", "about", "event", "events", "speaker", "speakers", "panel", "panelists",
        "programme", "program", "session", "sessions", "keynote", "welcome", "tba", "tbc", "announced", "to be", "calendar",
        "add", "share", "contact", "press", "media", "photo", "photos", "video", "watch", "live", "online", "free", "tickets",
        "ticket", "book", "sign", "subscribe", "newsletter", "home", "next", "previous", "back", "all", "view", "details",
        "agenda", "schedule", "day", "room", "hall", "venue", "location", "date", "time", "language", "track", "topic",
        "moderator", "moderated", "chair", "host", "hosted", "featuring", "introduction", "opening", "closing", "remarks",
        "discussion", "conversation", "q&a", "lunch", "break", "coffee", "reception", "drinks", "dinner", "networking",
        "summit", "conference", "forum", "workshop", "lecture", "seminar", "webinar", "roundtable", "series", "launch",
        "report", "policy", "climate", "finance", "economy", "future", "global", "public", "digital", "energy", "security",
        "website", "twitter", "linkedin", "github", "facebook", "instagram", "youtube", "email", "profile", "bio", "biography",
        "is", "are", "was", "has", "have", "be", "not", "no", "yes", "a", "an", "we", "you", "they", "he", "she", "it",
        "what", "how", "why", "who", "when", "where", "after", "before", "between", "under", "over", "into", "against",
        "staff", "team", "members", "member", "guests", "guest", "participants", "audience", "everyone", "people", "tbd",
    ]
    static let cjkOrganisationMarkers = ["日時", "会場", "場所", "時間", "日程", "概要", "内容", "主催", "共催", "後援", "参加費", "定員", "申込",
                                         "問合せ", "問い合わせ", "言語", "対象", "詳細", "備考", "料金", "開場", "開演", "受付", "テーマ", "紹介",
                                         "プロフィール", "マネージャー", "マネジャー", "エンジニア", "デザイナー", "ディレクター", "プロデューサー",
                                         "リーダー", "コンサルタント", "アナリスト", "マーケター", "エバンジェリスト", "アーキテクト", "オーナー",
                                         "ファウンダー", "プロダクト", "サービス", "スタッフ", "アシスタント", "スペシャリスト", "日時", "地点", "时间", "地点", "简介", "主办", "嘉宾", "일시", "장소", "소개","株式会社", "会社", "大学", "研究所", "協会", "財団", "省", "庁", "センター", "チーム", "グループ",
                                         "委員会", "事務局", "登壇", "講演", "セッション", "司会", "基調", "公司", "集团", "学院", "研究院",
                                         "協議会", "機構", "法人", "銀行", "新聞", "放送", "会議", "フォーラム", "プログラム"]
    static let cjkParticles: Set<Character> = ["の", "を", "は", "が", "に", "で", "と", "へ", "や", "も", "、", "。", "！", "？"]

    /// Titles that are stripped only with a dot ("Hon. Jo Lee") or when a full name follows,
    /// so "Hon Lam", "Lady Gaga" and "Dean Martin" keep their words.
    static let ambiguousHonorifics: Set<String> = ["hon", "he", "lady", "lord", "dean", "general", "major", "judge", "father", "sister",
                                                   "brother", "don", "sr", "fr", "rep", "sen", "gen", "col", "capt", "chief", "vice",
                                                   "deputy", "president", "secretary", "minister", "mayor", "governor", "justice",
                                                   "king", "queen", "prince", "princess", "sir", "dame", "miss"]

    /// Parses `raw` as a person's name in `context`; nil when it is not one.
    public func parse(_ raw: String, context: NameContext) -> PersonName? {
        var text = Self.cleanEdges(raw)
        guard !text.isEmpty, text.count <= 80 else { return nil }
        if SpeakerFieldRules.problem(withName: text) != nil && !text.hasPrefix("@") { return nil }
        if Self.containsCJK(text) {
            return cjkName(text, context: context)
        }
        if text.hasPrefix("@") {
            let handle = text.dropFirst()
            guard context.isStrong, (2...30).contains(handle.count), handle.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) else { return nil }
            return PersonName(display: text, honorific: nil, postNominals: [], score: 0.55)
        }
        // A native-script form in parentheses after a name is dropped: "Keiko Tanaka (田中 恵子)".
        // Anything else in parentheses (an organisation) is not part of a name.
        if let open = text.firstIndex(where: { $0 == "(" || $0 == "（" }) {
            let inner = String(text[open...])
            guard Self.containsCJK(inner) else { return nil }
            text = String(text[..<open]).trimmingWhitespace()
        }
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).map(String.init)
        // Post-nominals: "Amara Okafor, PhD", "Jane Doe OBE".
        var postNominals: [String] = []
        while let last = tokens.last, tokens.count > 1, lexicon.isPostNominal(last) || last == "," {
            if last != "," { postNominals.insert(last.trimmingCharacters(in: CharacterSet(charactersIn: ",")), at: 0) }
            tokens.removeLast()
            if let trailing = tokens.last, trailing.hasSuffix(",") { tokens[tokens.count - 1] = String(trailing.dropLast()) }
        }
        // Honorifics: "Dr. Amara Okafor", "H.E. Ambassador Jo Lee", but not "Hon Lam".
        var honorifics: [String] = []
        // Spanish "D." / "Dª" (don, doña) before a full name: a given name (not an initial)
        // and at least one more word.
        if let first = tokens.first, ["D.", "Dª", "Dª.", "Dñª"].contains(first), tokens.count >= 3, tokens[1].count >= 3,
           !Self.isInitial(tokens[1]), tokens[1].first?.isUppercase == true {
            honorifics.append(first)
            tokens.removeFirst()
        }
        while let first = tokens.first, tokens.count > 1, lexicon.isHonorific(first), !(Self.isInitial(first) && first.count <= 2) {
            let bare = first.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let rest = Array(tokens.dropFirst())
            let restIsFullName = rest.count >= 2 || (rest.count == 1 && context == .structured && !Self.ambiguousHonorifics.contains(bare))
            if Self.ambiguousHonorifics.contains(bare) && !first.hasSuffix(".") {
                guard rest.count >= 2, let next = rest.first, lexicon.isFirstName(next) || lexicon.isHonorific(next) else { break }
            }
            // "Dr. Smith" and "Herr Flupke" keep their title: one word alone is not a full name.
            guard rest.count >= 2, restIsFullName || first.hasSuffix(".") && context.isStrong else { break }
            honorifics.append(first)
            tokens = rest
        }
        guard !tokens.isEmpty, tokens.count <= 6 else { return nil }
        guard let score = latinScore(tokens, context: context) else { return nil }
        guard score >= context.threshold else { return nil }
        return PersonName(display: tokens.joined(separator: " "), honorific: honorifics.isEmpty ? nil : honorifics.joined(separator: " "),
                          postNominals: postNominals, score: min(1, score))
    }

    /// The text of a link to a person's profile page, as the site writes the name —
    /// pseudonyms and handles included ("ijon", "derPUPE", "Daniel Lange (DLange)",
    /// "Felix „tmbinc“ Domke") — unless it is link furniture ("View profile", "More").
    public func parseLinkedName(_ raw: String) -> PersonName? {
        let text = Self.cleanEdges(raw)
        guard !text.isEmpty, text.count <= 60, SpeakerFieldRules.problem(withName: text) == nil || text.hasPrefix("@") else { return nil }
        let tokens = text.split(whereSeparator: { $0 == " " })
        guard tokens.count <= 6 else { return nil }
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        if words.count <= 2, words.contains(where: { Self.nonNameWords.contains($0) }) { return nil }
        if words.contains(where: { ["profile", "speaker", "speakers", "bio", "biography", "more", "view", "website"].contains($0) }) { return nil }
        if let name = parse(text, context: .structured) {
            // Keep what the site writes, with a handle in parentheses or quotes.
            let verbatim = text.contains("(") || text.contains("\"") || text.contains("„") || text.contains("“")
            return verbatim && !Self.containsCJK(text) ? PersonName(display: text, honorific: name.honorific, postNominals: name.postNominals, score: name.score) : name
        }
        guard text.contains(where: \.isLetter) else { return nil }
        return PersonName(display: text, honorific: nil, postNominals: [], score: 0.5)
    }

    /// Whether `raw` is a name in `context` (see `parse`).
    public func isName(_ raw: String, context: NameContext) -> Bool {
        parse(raw, context: context) != nil
    }

    func latinScore(_ tokens: [String], context: NameContext) -> Double? {
        if let first = tokens.first, tokens.count > 1, Self.leadingArticles.contains(first.lowercased()) { return nil }
        var nameTokens: [String] = []
        for token in tokens {
            let lower = token.lowercased()
            let bare = lower.trimmingCharacters(in: CharacterSet(charactersIn: ".,"))
            if Self.particles.contains(lower) && token != tokens.first { continue }
            if !Self.isInitial(token) && (Self.nonNameWords.contains(bare) || lexicon.isOrganisationWord(bare)) { return nil }
            // "Henrik Aalto Director": a job title word ends the name.
            if PersonLineParser.titleWords.contains(bare) && !lexicon.isLastName(bare) { return nil }
            guard Self.isNameToken(token) else { return nil }
            nameTokens.append(token)
        }
        guard !nameTokens.isEmpty, nameTokens.count <= 5 else { return nil }
        let allCaps = nameTokens.allSatisfy { $0 == $0.uppercased() && $0.count > 2 }
        let initials = nameTokens.filter(Self.isInitial)
        let words = nameTokens.filter { !Self.isInitial($0) }
        guard !words.isEmpty else { return nil }
        if nameTokens.count == 1 {
            // A single word ("ijon", a pseudonym) is a name only where the page marks it as
            // a person: schema.org data or a link to the person's profile page.
            guard context == .structured else { return nil }
            return 0.5
        }
        // 0.36, not 0.35: two plain capitalised words (0.36 + 0.1) clear the 0.45 bar of
        // sections and cards without floating-point luck.
        var score = 0.36
        let firstWord = words.first!
        let firstIsKnown = lexicon.isFirstName(firstWord) || firstWord.split(separator: "-").contains { lexicon.isFirstName(String($0)) }
        let lastIsKnown = lexicon.isLastName(words.last!)
        if firstIsKnown { score += 0.35 }
        if lastIsKnown { score += 0.15 }
        if !initials.isEmpty && words.count >= 1 { score += lastIsKnown ? 0.1 : 0.05 }
        if !firstIsKnown && !lastIsKnown {
            // Unknown words need more support the weaker the context.
            switch context {
            case .freeText: score -= 0.2
            case .card: score -= 0.05
            case .section, .structured: break
            }
        }
        // East Asian order in Latin script: "Lin Wei", "Tanaka Keiko".
        if !firstIsKnown && lexicon.romanisedFamilyNames.contains(firstWord.lowercased()) && words.count >= 2 {
            score += lexicon.isFirstName(words[1]) || words[1].count <= 8 ? 0.3 : 0.1
        }
        switch nameTokens.count {
        case 2, 3: score += 0.1
        case 5: score -= 0.1
        default: break
        }
        if allCaps { score -= 0.05 }
        return score
    }

    /// "Amara", "O'Brien", "Jean-Pierre", "McDonald", "al-Hassan", "J.", "MARTY".
    static func isNameToken(_ token: String) -> Bool {
        if isInitial(token) { return true }
        guard let first = token.first, first.isLetter, first.isUppercase || token.hasPrefix("al-") || token.hasPrefix("el-") else { return false }
        let allowed = CharacterSet.letters.union(CharacterSet(charactersIn: "'’-."))
        guard token.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return false }
        guard token.count >= 2 else { return false }
        // Dots only as in initials ("J.R.") or at the end of an abbreviation, not "example.org".
        if token.dropLast().contains(".") && !token.allSatisfy({ $0.isUppercase || $0 == "." }) { return false }
        return true
    }

    /// "J", "J.", "J.R.", "J.-P." (checked by hand: this runs for every token).
    public static func isInitial(_ token: String) -> Bool {
        let scalars = Array(token.unicodeScalars)
        guard let first = scalars.first, ("A"..."Z").contains(first) else { return false }
        if scalars.count == 1 { return true }
        var index = 0
        var letters = 0
        while index < scalars.count {
            guard ("A"..."Z").contains(scalars[index]), index + 1 < scalars.count, scalars[index + 1] == "." else { return false }
            letters += 1
            index += 2
            if index < scalars.count && scalars[index] == "-" { index += 1 }
        }
        return letters <= 3
    }

    static func containsCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            (0x3040...0x30FF).contains(scalar.value) || (0x3400...0x9FFF).contains(scalar.value)
                || (0xAC00...0xD7AF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
        }
    }

    func cjkName(_ raw: String, context: NameContext) -> PersonName? {
        var text = raw
        // "田中 恵子（Keiko Tanaka）": keep the native form.
        if let open = text.firstIndex(where: { $0 == "（" || $0 == "(" }) {
            text = String(text[..<open]).trimmingWhitespace()
        }
        for marker in Self.cjkOrganisationMarkers where text.contains(marker) { return nil }
        if text.contains(where: { Self.cjkParticles.contains($0) }) { return nil }
        let compact = text.filter { !$0.isWhitespace && $0 != "・" && $0 != "=" }
        guard !compact.isEmpty, compact.allSatisfy({ Self.containsCJK(String($0)) || $0 == "ー" }) else { return nil }
        let isKatakana = compact.unicodeScalars.allSatisfy { (0x30A0...0x30FF).contains($0.value) }
        guard isKatakana ? (3...16).contains(compact.count) : (2...6).contains(compact.count) else { return nil }
        var score = 0.45
        let knownFamily = lexicon.cjkFamilyNames.contains(String(compact.prefix(2))) || lexicon.cjkFamilyNames.contains(String(compact.prefix(1)))
        // Han and Hangul names start with a family name; many two-character words do not.
        // Written with a space between family and given name ("坪田 朋") the structure says
        // enough; run together, the family name must be a known one.
        let separated = text.contains(" ") || text.contains("\u{3000}") || text.contains("・")
        if !isKatakana && !knownFamily && !(separated && context != .freeText) { return nil }
        if knownFamily { score += 0.3 }
        if text.contains(" ") || text.contains("\u{3000}") || text.contains("・") { score += 0.1 }
        if isKatakana { score += 0.05 }
        guard score >= context.threshold else { return nil }
        let display = text.replacingOccurrences(of: "\u{3000}", with: " ")
        return PersonName(display: display, honorific: nil, postNominals: [], score: min(1, score))
    }

    /// Trims bullets, quotes, trailing punctuation and role markers in parentheses.
    static let edgeCharacters: Set<Character> = ["•", "·", "*", "-", "–", "—", ":", ";", ",", "|", "\"", "“", "”", "‘", "’", "'", "«", "»", "[", "]", "{", "}"]

    static func cleanEdges(_ raw: String) -> String {
        var text = TextNormalization.collapseWhitespace(raw)
        let isEdge: (Character) -> Bool = { $0.isWhitespace || edgeCharacters.contains($0) }
        text = text.trimmed(where: isEdge)
        if text.hasSuffix(")") || text.hasSuffix("）"), let open = text.lastIndex(where: { $0 == "(" || $0 == "（" }) {
            let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            if Role(label: inner) != nil { text = String(text[..<open]).trimmedWhitespace }
        }
        return text.trimmed(where: isEdge)
    }
}
