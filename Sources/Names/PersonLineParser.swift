import Foundation
import SpeakerCore

/// One person read from a line of text, with the title and organisation around the name.
public struct PersonLine: Sendable, Equatable {
    public var name: PersonName
    public var title: String?
    public var affiliation: String?
    public var role: Role?

    public init(name: PersonName, title: String? = nil, affiliation: String? = nil, role: Role? = nil) {
        self.name = name
        self.title = title
        self.affiliation = affiliation
        self.role = role
    }
}

/// Reads lines such as "Dr. Amara Okafor, Chief Economist, Northbridge Institute",
/// "Jane Doe (Acme)", "Moderator: Jo Lee – Senior Fellow at Halvorsen Lab",
/// "Tomás Ferreira | Northbridge Institute".
public struct PersonLineParser: Sendable {
    public let detector: PersonNameDetector
    let lexicon: NameLexicon

    public init(detector: PersonNameDetector = PersonNameDetector(), lexicon: NameLexicon = .shared) {
        self.detector = detector
        self.lexicon = lexicon
    }

    static let separators = [" – ", " — ", " - ", " | ", " · ", " • ", ": "]

    public func parse(_ raw: String, context: NameContext) -> PersonLine? {
        var line = TextNormalization.collapseWhitespace(raw)
        guard !line.isEmpty, line.count <= 400 else { return nil }
        var role: Role?
        // "Moderator: Jane Doe", "Keynote – Jane Doe"
        for separator in [":", "：", " – ", " — ", " - "] where line.containsBytes(separator) {
            if let range = line.range(of: separator), line.distance(from: line.startIndex, to: range.lowerBound) <= 25 {
                let label = String(line[..<range.lowerBound])
                if let labelRole = Role(label: label), label.split(separator: " ").count <= 3 {
                    role = labelRole
                    line = String(line[range.upperBound...]).trimmingWhitespace()
                    break
                }
            }
        }
        // "Jane Doe (moderator)", "Jane Doe, moderator"
        if let open = line.lastIndex(of: "("), line.hasSuffix(")") {
            let inner = String(line[line.index(after: open)..<line.index(before: line.endIndex)])
            if let innerRole = Role(label: inner), inner.split(separator: " ").count <= 2 {
                role = role ?? innerRole
                line = String(line[..<open]).trimmingWhitespace()
            }
        }
        // "the broadcaster Imogen Hart", "Author Hannah Oduya": a descriptor before the name.
        line = stripLeadingDescriptor(line, context: context)
        // The name is the longest leading run that parses as a name.
        let (name, rest) = leadingName(line, context: context)
        guard let name else { return nil }
        var (title, affiliation) = splitDetails(rest)
        if let t = title, Role(label: t) != nil, t.split(separator: " ").count <= 2 {
            role = role ?? Role(label: t)
            title = nil
        }
        if let a = affiliation, Role(label: a) != nil, a.split(separator: " ").count <= 2 {
            role = role ?? Role(label: a)
            affiliation = nil
        }
        return PersonLine(name: name, title: title, affiliation: affiliation, role: role)
    }

    /// Splits "Name<sep>rest" where the name ends at a comma, a dash, a bar or an opening
    /// parenthesis; the whole line may be just a name.
    func leadingName(_ line: String, context: NameContext) -> (PersonName?, String) {
        if let name = detector.parse(line, context: context) {
            return (name, "")
        }
        var cuts: [String.Index] = []
        for (index, character) in zip(line.indices, line) where character == "," || character == "(" || character == "（" || character == "|" || character == "/" {
            cuts.append(index)
        }
        // "Rachel Osei-Bonsu of Meridian Forum", "Jo Lee from Beta Lab"
        for word in [" of the ", " of ", " from ", " at "] where line.containsBytes(word) {
            if let range = line.range(of: word) { cuts.append(range.lowerBound) }
        }
        for separator in Self.separators where line.containsBytes(separator) {
            var searchStart = line.startIndex
            while let range = line.range(of: separator, range: searchStart..<line.endIndex) {
                cuts.append(range.lowerBound)
                searchStart = range.upperBound
            }
        }
        for cut in cuts.sorted() {
            let head = String(line[..<cut])
            guard let name = detector.parse(head, context: context) else { continue }
            var rest = String(line[cut...])
            rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: ",|/–—-·•: ").union(.whitespaces))
            for word in ["of the ", "of ", "from ", "at "] where rest.hasPrefix(word) {
                // "… of Meridian Forum": the organisation.
                return (name, "@ " + String(rest.dropFirst(word.count)))
            }
            if rest.hasPrefix("(") || rest.hasPrefix("（") {
                rest = String(rest.dropFirst())
                // "Jane Roe (Acme): Opening address": what follows the organisation's
                // parenthesis after a colon or dash is the talk's title, not the person's.
                if let close = Self.matchingClose(in: rest) {
                    let after = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
                    if let mark = after.first, [":", "：", "–", "—", "-"].contains(mark), after.dropFirst().contains(where: \.isLetter) {
                        return (name, String(rest[..<close]).trimmingWhitespace())
                    }
                }
                if let close = rest.lastIndex(where: { $0 == ")" || $0 == "）" }) { rest = String(rest[..<close]) + String(rest[rest.index(after: close)...]) }
            }
            return (name, rest.trimmingWhitespace())
        }
        return (nil, "")
    }

    /// The ")" that closes a parenthesis already opened before `text` starts.
    static func matchingClose(in text: String) -> String.Index? {
        var depth = 1
        for index in text.indices {
            switch text[index] {
            case "(", "（": depth += 1
            case ")", "）":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    /// "Chief Economist, Northbridge Institute" → (title, organisation);
    /// "Senior Fellow at Halvorsen Lab" → (title, organisation); "Northbridge Institute" → (nil, organisation).
    public func splitDetails(_ text: String) -> (title: String?, affiliation: String?) {
        // "@ Organisation" marks what followed "of"/"at"/"from" after a name.
        if text.hasPrefix("@ ") {
            let organisation = String(text.dropFirst(2)).trimmingCharacters(in: CharacterSet(charactersIn: ",;.").union(.whitespaces))
            return (nil, organisation.isEmpty ? nil : organisation)
        }
        let cleaned = Self.trimDetails(text)
        guard !cleaned.isEmpty else { return (nil, nil) }
        for separator in [" at ", " bei ", " chez ", " en ", " @ ", "、"] where cleaned.containsBytes(separator) {
            if let range = cleaned.range(of: separator) {
                let title = String(cleaned[..<range.lowerBound]).trimmingWhitespace()
                let organisation = String(cleaned[range.upperBound...]).trimmingWhitespace()
                if !title.isEmpty && !organisation.isEmpty && title.split(separator: " ").count <= 8 {
                    return (title, organisation)
                }
            }
        }
        let parts = cleaned.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if parts.count >= 2 {
            // "Title, Organisation" — or "Organisation, City"
            if looksLikeOrganisation(parts[0]) && !looksLikeTitle(parts[0]) {
                return (nil, parts.joined(separator: ", "))
            }
            return (parts[0], parts.dropFirst().joined(separator: ", "))
        }
        let single = parts.first ?? cleaned
        if let range = single.range(of: " of the ") ?? single.range(of: " of "), looksLikeTitle(String(single[..<range.lowerBound])),
           looksLikeOrganisation(String(single[range.upperBound...])) {
            return (String(single[..<range.lowerBound]), String(single[range.upperBound...]))
        }
        if let (title, organisation) = splitOccupation(single) { return (title, organisation) }
        if let (title, organisation) = splitTitlePrefix(single) { return (title, organisation) }
        if looksLikeTitle(single) { return (single, nil) }
        return (nil, single)
    }

    /// Separators and whitespace trimmed from both ends, and parentheses only when they are
    /// unmatched or wrap the whole text: "(Acme)" → "Acme", but "Studio (Lisboa)" keeps its ")".
    public static func trimDetails(_ text: String) -> String {
        let edges = CharacterSet(charactersIn: ",;|–—-·•: ").union(.whitespaces)
        var trimmed = text.trimmingCharacters(in: edges)
        while true {
            let opens = trimmed.filter { $0 == "(" }.count, closes = trimmed.filter { $0 == ")" }.count
            if trimmed.hasPrefix("(") && trimmed.hasSuffix(")") && opens == 1 && closes == 1 {
                trimmed = String(trimmed.dropFirst().dropLast())
            } else if trimmed.hasPrefix("(") && opens > closes {
                trimmed = String(trimmed.dropFirst())
            } else if trimmed.hasSuffix(")") && closes > opens {
                trimmed = String(trimmed.dropLast())
            } else {
                return trimmed
            }
            trimmed = trimmed.trimmingCharacters(in: edges)
        }
    }

    static let titleWords: Set<String> = [
        "ceo", "cto", "cfo", "coo", "cio", "founder", "co-founder", "cofounder", "director", "president", "chair", "chairman",
        "chairwoman", "chief", "head", "manager", "lead", "professor", "lecturer", "fellow", "researcher", "scientist", "economist",
        "engineer", "developer", "designer", "analyst", "advisor", "adviser", "consultant", "editor", "journalist", "correspondent",
        "writer", "author", "officer", "secretary", "minister", "ambassador", "partner", "associate", "assistant", "senior",
        "principal", "vice", "deputy", "executive", "coordinator", "specialist", "officer", "curator", "artist", "student",
        "candidate", "mayor", "governor", "member", "commissioner", "architect", "producer", "historian", "lawyer", "judge",
        "doctor", "physician", "surgeon", "nurse", "teacher", "trustee", "representative", "delegate", "envoy", "strategist",
        "evangelist", "advocate", "organiser", "organizer", "planner", "entrepreneur", "investor", "activist", "campaigner",
        "freelancer", "contributor", "maintainer", "programmer", "hacker", "intern", "mentor", "trainer", "coach", "owner", "liaison",
        "administrator", "admin", "sysadmin", "devops", "sre", "staff", "emeritus", "postdoc", "fellowship", "ambassador",
        "leiter", "leiterin", "geschäftsführer", "geschäftsführerin", "referent", "referentin", "direktor", "direktorin",
        "directeur", "directrice", "chercheur", "chercheuse", "chargé", "chargée", "responsable", "président", "présidente",
        "director", "directora", "investigador", "investigadora", "jefe", "jefa", "presidente", "coordinador", "coordinadora",
        "urbanista", "profesor", "profesora", "fundador", "fundadora", "co-fundador", "co-fundadora", "cofundador", "cofundadora",
        "ingeniero", "ingeniera", "periodista", "consultor", "consultora", "desarrollador", "desarrolladora", "diseñador", "diseñadora",
        "gerente", "analista", "científico", "científica", "especialista", "socio", "socia", "fondateur", "fondatrice", "cofondateur",
        "cofondatrice", "ingénieur", "ingénieure", "développeur", "développeuse", "journaliste", "professeur", "professeure",
        "gründer", "gründerin", "mitgründer", "mitgründerin", "ingenieur", "ingenieurin", "entwickler", "entwicklerin", "professorin",
        "wissenschaftler", "wissenschaftlerin", "berater", "beraterin", "engenheiro", "engenheira", "pesquisador", "pesquisadora",
        "desenvolvedor", "desenvolvedora", "catedrático", "catedrática", "マネージャー", "代表", "取締役", "部長", "教授", "研究員",
        "エンジニア", "デザイナー", "プロダクトマネージャー", "cpo", "vp", "svp", "evp", "pm", "phd",
    ]

    static let descriptors: Set<String> = ["author", "broadcaster", "journalist", "writer", "novelist", "poet", "artist", "historian",
                                            "economist", "filmmaker", "director", "photographer", "composer", "musician", "activist",
                                            "comedian", "presenter", "host", "chef", "architect", "scientist", "professor", "dr"]

    /// Drops "the broadcaster", "Author", "economist" before a name when what follows is one.
    func stripLeadingDescriptor(_ line: String, context: NameContext) -> String {
        var tokens = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var dropped = false
        if let first = tokens.first, ["the", "a", "an"].contains(first.lowercased()) { tokens.removeFirst(); dropped = true }
        guard let first = tokens.first, Self.descriptors.contains(first.lowercased().trimmingCharacters(in: .punctuationCharacters)) else {
            return line
        }
        tokens.removeFirst()
        let rest = tokens.joined(separator: " ")
        let (name, _) = leadingName(rest, context: context)
        return name != nil ? rest : (dropped ? line : line)
    }

    /// Title words that take a field or department after "of"/"de" ("Director of Research",
    /// "Professor of Economics", "Concejal de Urbanismo"), so the words after them are not an
    /// employer.
    static let departmentTitles: Set<String> = ["director", "directora", "directeur", "directrice", "direktor", "direktorin", "head", "chair",
                                                "jefe", "jefa", "concejal", "concejala", "minister", "ministra", "ministro", "secretary",
                                                "secretario", "secretaria", "president", "presidente", "presidenta", "dean", "decano",
                                                "decana", "leiter", "leiterin", "responsable", "coordinador", "coordinadora", "coordinator",
                                                "professor", "profesor", "profesora", "professeur", "professeure", "professorin", "lecturer",
                                                "fellow", "member", "vice", "deputy", "chief", "manager", "lead", "teacher", "student",
                                                "candidate", "doctor", "master", "bachelor", "commissioner", "governor", "mayor"]

    /// "CEO of Acme", "periodista de Crónica Urbana", "Gründerin von Datenhaus": one word of
    /// occupation, then a capitalised employer. "Director of Research" stays a title.
    func splitOccupation(_ text: String) -> (String, String)? {
        let joiners = [" of ", " de ", " del ", " von ", " da ", " do "]
        guard let range = joiners.compactMap({ text.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        let head = String(text[..<range.lowerBound]).trimmingWhitespace()
        var tail = String(text[range.upperBound...]).trimmingWhitespace()
        if tail.hasPrefix("the ") { tail = String(tail.dropFirst(4)) }
        let bare = head.lowercased()
        guard !head.contains(" "), Self.titleWords.contains(bare), !Self.departmentTitles.contains(bare),
              tail.first?.isUppercase == true, tail.split(separator: " ").count <= 8 else { return nil }
        return (head, tail)
    }

    /// "Software Engineer Apache Software Foundation" → ("Software Engineer", "Apache
    /// Software Foundation"): a leading job title run ending in a title word, followed by a
    /// capitalised name with no title words (sites that print position and employer
    /// without a separator).
    func splitTitlePrefix(_ text: String) -> (String, String)? {
        let tokens = text.split(separator: " ").map(String.init)
        guard tokens.count >= 2 else { return nil }
        func isTitleWord(_ token: String) -> Bool {
            Self.titleWords.contains(token.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",.()/")))
        }
        guard let last = tokens.indices.dropLast().last(where: { isTitleWord(tokens[$0]) }) else { return nil }
        let rest = Array(tokens[(last + 1)...])
        guard let first = rest.first?.first, first.isUppercase || first.isNumber, !rest.contains(where: isTitleWord),
              !["of", "for", "at", "and", "&"].contains(rest[0].lowercased()) else { return nil }
        guard Role(label: rest.joined(separator: " ")) == nil else { return nil }
        return (tokens[...last].joined(separator: " "), rest.joined(separator: " "))
    }

    public func looksLikeTitle(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init)
        return words.contains { Self.titleWords.contains($0) } || Self.titleWords.contains { text.contains($0) && $0.unicodeScalars.first!.value > 0x2FFF }
    }

    func looksLikeOrganisation(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { !$0.isLetter }).map(String.init)
        if words.contains(where: { lexicon.isOrganisationWord($0) }) { return true }
        // Acronyms (MIT, NYU, CERN) and capitalised multi-word names.
        if text.count >= 2 && text.count <= 8 && text == text.uppercased() && text.contains(where: \.isLetter) { return true }
        return false
    }
}
