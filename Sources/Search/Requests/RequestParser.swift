import Foundation
import SpeakerCore

/// Reads a plain-English request offline — "3 speakers on the Chinese economy, ideally
/// women based in Europe" — into a `SearchRequest`: how many, the topic words, and every
/// constraint (where speakers are based or spoke, languages, role, event dates,
/// affiliation, gender), each required or preferred.
///
/// Qualifiers: "must", "need to", "has to", "only", "required" make what follows
/// required; "ideally", "preferably", "prefer", "bonus if" make it preferred, up to the end
/// of the sentence or the next qualifier; "if possible" and "a plus" make the clause
/// before them preferred. Without a qualifier a constraint is required.
public struct RequestParser: Sendable {
    let gazetteer: Gazetteer
    let today: LocalDate

    public init(gazetteer: Gazetteer = .shared, today: LocalDate? = nil) {
        self.gazetteer = gazetteer
        self.today = today ?? RequestParser.utcToday()
    }

    static func utcToday() -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    // MARK: Tokens

    struct Token {
        enum Kind { case word, number, comma, stop, dash }
        var text: String
        var key: String
        var kind: Kind
        var capitalized: Bool { text.first?.isUppercase ?? false }
        var number: Int? { kind == .number ? Int(key) : nil }
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        func flush() {
            guard !current.isEmpty else { return }
            let isNumber = current.allSatisfy(\.isNumber)
            tokens.append(Token(text: current, key: Gazetteer.fold(current), kind: isNumber ? .number : .word))
            current = ""
        }
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c.isLetter || c.isNumber || c == "\u{2019}" && !current.isEmpty || c == "'" && !current.isEmpty {
                // Hyphens inside digits are dashes (2021-2023); "-" between letters splits words.
                if c.isNumber != (current.last?.isNumber ?? c.isNumber) { flush() }
                current.append(c == "\u{2019}" ? "'" : c)
            } else {
                flush()
                switch c {
                case ",": tokens.append(Token(text: ",", key: ",", kind: .comma))
                case ".", ";", "!", "?", ":": tokens.append(Token(text: String(c), key: String(c), kind: .stop))
                case "-", "\u{2013}", "\u{2014}":
                    let before = i > 0 ? chars[i - 1] : " ", after = i + 1 < chars.count ? chars[i + 1] : " "
                    if before.isNumber || after.isNumber || before == " " && after == " " {
                        tokens.append(Token(text: "-", key: "-", kind: .dash))
                    }
                default: break
                }
            }
        }
        flush()
        // Possessive "'s" goes with nothing: "Europe's" → "Europe".
        return tokens.map { t in
            var t = t
            if t.key.hasSuffix("'s") { t.key.removeLast(2); t.text.removeLast(2) }
            return t
        }
    }

    // MARK: Vocabulary

    static let requiredMarkers: [[String]] = [["must", "be"], ["must"], ["need", "to", "be"], ["needs", "to", "be"], ["need", "to"], ["needs", "to"],
                                              ["has", "to", "be"], ["have", "to", "be"], ["has", "to"], ["have", "to"], ["required"], ["requires"],
                                              ["only"], ["essential"], ["mandatory"], ["strictly"]]
    static let preferredMarkers: [[String]] = [["ideally"], ["preferably"], ["would", "prefer"], ["we", "prefer"], ["i", "prefer"], ["prefer"],
                                               ["preferred"], ["bonus", "if"], ["better", "if"], ["nice", "if"], ["ideal"], ["optionally"]]
    /// Qualifiers that make the clause before them preferred.
    static let preferredSuffixes: [[String]] = [["if", "possible"], ["where", "possible"], ["if", "we", "can"], ["would", "be", "nice"],
                                                ["is", "a", "plus"], ["a", "plus"], ["nice", "to", "have"], ["would", "be", "a", "bonus"]]

    static let numberWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "dozen": 12, "several": 5, "couple": 2, "few": 3, "handful": 5,
    ]

    static let personNouns: Set<String> = [
        "speakers", "speaker", "experts", "expert", "people", "persons", "person", "voices", "panelists", "panellists", "panelist",
        "moderators", "moderator", "women", "woman", "men", "man", "someone", "somebody", "anyone", "guests", "names", "candidates",
        "keynotes", "hosts", "chairs", "leaders", "figures", "ones", "folks", "individuals", "thinkers", "scholars",
    ]

    /// Words that make a noun a person noun by their ending ("economists", "researchers").
    static func isPersonNoun(_ key: String) -> Bool {
        if personNouns.contains(key) { return true }
        guard key.count > 4 else { return false }
        return ["ists", "ians", "ers", "ors", "ants", "ents"].contains { key.hasSuffix($0) } && !["others", "members", "papers", "matters", "centers", "sectors", "markets", "borders"].contains(key)
    }

    static let roleWords: [String: Role] = [
        "moderator": .moderator, "moderators": .moderator, "moderated": .moderator, "moderating": .moderator, "moderate": .moderator,
        "chair": .moderator, "chairs": .moderator, "chaired": .moderator, "chairing": .moderator,
        "facilitator": .moderator, "facilitators": .moderator, "facilitated": .moderator,
        "panelist": .panelist, "panelists": .panelist, "panellist": .panelist, "panellists": .panelist,
        "keynote": .keynote, "keynotes": .keynote, "keynoted": .keynote, "keynoting": .keynote,
        "host": .host, "hosts": .host, "hosted": .host, "hosting": .host,
        "performer": .performer, "performers": .performer, "performed": .performer,
    ]

    static let genderWords: [String: String] = [
        "women": "woman", "woman": "woman", "female": "woman", "females": "woman",
        "men": "man", "man": "man", "male": "man", "males": "man",
    ]

    static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
        "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10,
        "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    /// Words that say a place is where events happened, not where the speaker lives.
    static let eventCues: Set<String> = ["spoke", "spoken", "talked", "presented", "appeared", "event", "events", "conference", "conferences",
                                         "summit", "summits", "forum", "forums", "panel", "panels", "moderated", "chaired", "hosted", "performed"]

    /// Words of the request itself, never part of the topic.
    static let requestWords: Set<String> = [
        "find", "me", "i", "we", "us", "need", "needs", "want", "looking", "search", "show", "list", "give", "recommend", "suggest",
        "please", "who", "whom", "which", "can", "could", "would", "speakers", "speaker", "experts", "expert", "people", "person",
        "someone", "somebody", "anyone", "voices", "spoke", "spoken", "talked", "talk", "talks", "speak", "speaks", "presented",
        "appeared", "event", "events", "also", "some", "any", "good", "great", "top", "best", "is", "are", "be", "was", "were", "have", "has",
    ]

    /// Connecting words trimmed from the ends of the topic.
    static let edgeWords: Set<String> = ["on", "about", "the", "a", "an", "of", "in", "at", "for", "with", "and", "or", "to", "from", "by",
                                         "that", "this", "these", "those", "their", "its", "both", "either", "as", "into", "around", "regarding"]

    // MARK: Parsing

    public func parse(_ query: String) -> SearchRequest {
        // Requests are short; a pasted essay is read as its first 400 words.
        let tokens = Array(Self.tokenize(String(query.prefix(4000))).prefix(400))
        var used = [Bool](repeating: false, count: tokens.count)
        var strength = [Strength](repeating: .required, count: tokens.count)
        var request = SearchRequest(query: query, topic: "")

        func words(_ i: Int, _ phrase: [String]) -> Bool {
            guard i + phrase.count <= tokens.count else { return false }
            for (k, w) in phrase.enumerated() where tokens[i + k].key != w { return false }
            return true
        }
        func mark(_ range: Range<Int>) { for k in range where k < used.count { used[k] = true } }
        func text(_ range: Range<Int>) -> String { tokens[range].map(\.text).joined(separator: " ") }

        // 1. Qualifiers.
        var current = Strength.required
        var clauseStart = 0
        var i = 0
        while i < tokens.count {
            if tokens[i].kind == .stop { current = .required; clauseStart = i + 1; i += 1; continue }
            if tokens[i].kind == .comma { clauseStart = i + 1 }
            if let suffix = Self.preferredSuffixes.first(where: { words(i, $0) }) {
                for k in clauseStart..<i { strength[k] = .preferred }
                mark(i..<(i + suffix.count))
                i += suffix.count
                clauseStart = i
                continue
            }
            if let marker = Self.preferredMarkers.first(where: { words(i, $0) }) {
                current = .preferred
                mark(i..<(i + marker.count)); i += marker.count; clauseStart = i
                continue
            }
            if let marker = Self.requiredMarkers.first(where: { words(i, $0) }) {
                current = .required
                mark(i..<(i + marker.count)); i += marker.count; clauseStart = i
                continue
            }
            strength[i] = current
            i += 1
        }

        // 2. Dates (before counts, so "2023" is a year and not a number of speakers).
        i = 0
        while i < tokens.count {
            if !used[i], let (range, dates) = dateRange(at: i, tokens) {
                request.dates = Constraint(dates, strength[i], text: text(range))
                mark(range)
                i = range.upperBound
            } else {
                i += 1
            }
        }

        // 3. Count: a number followed within four words by a person noun, role or gender.
        for i in tokens.indices where !used[i] && request.count == nil {
            var value: Int?
            var length = 1
            if let n = tokens[i].number, (1...100).contains(n) { value = n }
            else if words(i, ["a", "couple", "of"]) { value = 2; length = 3 }
            else if words(i, ["a", "few"]) { value = 3; length = 2 }
            else if words(i, ["half", "a", "dozen"]) { value = 6; length = 3 }
            else if words(i, ["a", "dozen"]) { value = 12; length = 2 }
            else if words(i, ["a", "handful", "of"]) { value = 5; length = 3 }
            else if tokens[i].kind == .word, let n = Self.numberWords[tokens[i].key], tokens[i].key != "couple", tokens[i].key != "few" { value = n }
            guard let value else { continue }
            let after = (i + length)..<min(i + length + 4, tokens.count)
            if after.contains(where: { Self.isPersonNoun(tokens[$0].key) || Self.roleWords[tokens[$0].key] != nil }) || i > 0 && tokens[i - 1].key == "top" {
                request.count = value
                mark(i..<(i + length))
                if i > 0, tokens[i - 1].key == "top" { used[i - 1] = true }
            }
        }

        // 4. Languages: "speak(s|ing) X (and|or Y)", "X-speaking", "fluent in X", "speakers of X", "in X".
        i = 0
        while i < tokens.count {
            let key = tokens[i].key
            var start: Int?
            if ["speak", "speaks", "speaking"].contains(key) && !used[i] { start = i + 1 }
            else if words(i, ["fluent", "in"]) || words(i, ["speakers", "of"]) || words(i, ["proficient", "in"]) { start = i + 2 }
            else if key == "fluent" { start = i + 1 }
            if let s = start {
                var k = s
                var found: [(Language, Int)] = []
                while k < tokens.count {
                    if let language = languageAt(k, tokens) { found.append((language, k)); k += 1; continue }
                    if ["and", "or", ","].contains(tokens[k].key) || tokens[k].kind == .comma, !found.isEmpty { k += 1; continue }
                    break
                }
                if !found.isEmpty {
                    for (language, at) in found {
                        request.languages.append(Constraint(language, strength[at], text: "\(tokens[i].text) \(tokens[at].text)"))
                        used[at] = true
                    }
                    if found.count > 1, tokens[found[0].1..<found.last!.1].contains(where: { $0.key == "or" }) { request.languagesAny = true }
                    mark(i..<(found.last!.1 + 1))
                    i = found.last!.1 + 1
                    continue
                }
            }
            // "X-speaking", "X speaker(s)" for a word that is only a language ("Mandarin speakers").
            if !used[i], let language = languageAt(i, tokens), i + 1 < tokens.count {
                let next = tokens[i + 1].key
                let languageOnly = gazetteer.place(key) == nil
                if next == "speaking" || (languageOnly && ["speaker", "speakers"].contains(next)) {
                    request.languages.append(Constraint(language, strength[i], text: "\(tokens[i].text) \(tokens[i + 1].text)"))
                    mark(i..<(i + 2))
                    i += 2
                    continue
                }
            }
            // "in French" (a language, not a country's name or a city).
            if key == "in", !used[i], i + 1 < tokens.count, !used[i + 1], let language = languageAt(i + 1, tokens),
               !gazetteer.isCountryName(tokens[i + 1].key), gazetteer.place(tokens[i + 1].key)?.kind != .city {
                request.languages.append(Constraint(language, strength[i + 1], text: "in \(tokens[i + 1].text)"))
                mark(i..<(i + 2))
                i += 2
                continue
            }
            i += 1
        }

        // 5. Roles and 6. gender.
        for i in tokens.indices where !used[i] {
            let key = tokens[i].key
            if let role = Self.roleWords[key] {
                // "keynote speakers": one role; "chair of the board" is a title, not a role.
                if (key == "chair" || key == "host") && i + 1 < tokens.count && tokens[i + 1].key == "of" { continue }
                if !request.roles.contains(where: { $0.value == role }) {
                    request.roles.append(Constraint(role, strength[i], text: tokens[i].text))
                }
                used[i] = true
            } else if let gender = Self.genderWords[key] {
                if !request.genders.contains(where: { $0.value == gender }) {
                    request.genders.append(Constraint(gender, strength[i], text: tokens[i].text))
                }
                used[i] = true
            }
        }

        // 7. Places and 8. affiliations.
        i = 0
        while i < tokens.count {
            guard !used[i] else { i += 1; continue }
            let key = tokens[i].key
            let clause = clauseRange(around: i, tokens)
            let eventScope = tokens[clause].contains { Self.eventCues.contains($0.key) }
            var cueLength = 0
            var scope: LocationScope?
            if words(i, ["based", "in"]) || words(i, ["located", "in"]) || words(i, ["living", "in"]) || words(i, ["who", "live", "in"])
                || words(i, ["based", "out", "of"]) { cueLength = words(i, ["based", "out", "of"]) || words(i, ["who", "live", "in"]) ? 3 : 2; scope = .based }
            else if words(i, ["spoke", "in"]) || words(i, ["events", "in"]) || words(i, ["event", "in"]) { cueLength = 2; scope = .events }
            else if ["from", "in", "at", "across", "within", "of", "with", "for"].contains(key) { cueLength = 1 }
            else if words(i, ["working", "at"]) || words(i, ["working", "for"]) || words(i, ["works", "at"]) || words(i, ["works", "for"])
                || words(i, ["work", "at"]) || words(i, ["work", "for"]) || words(i, ["employed", "by"]) { cueLength = 2 }
            if cueLength > 0 {
                var s = i + cueLength
                if s < tokens.count, tokens[s].key == "the" { s += 1 }
                // A capitalised name after the cue: an organisation unless it is a place.
                let span = capitalizedSpan(from: s, tokens, used)
                if let span, let place = placeCovering(span, tokens) {
                    let kind: LocationScope = scope ?? (key == "from" ? .based : (eventScope ? .events : .either))
                    if ["of", "with", "for"].contains(key) && scope == nil { i += 1; continue }
                    request.locations.append(Constraint(LocationConstraintValue(place: place, scope: kind), strength[span.lowerBound],
                                                        text: text(i..<span.upperBound)))
                    mark(i..<span.upperBound)
                    i = span.upperBound
                    continue
                }
                if let span, ["from", "at"].contains(key) || cueLength == 2 && scope == nil {
                    request.affiliations.append(Constraint(text(span), strength[span.lowerBound], text: text(i..<span.upperBound)))
                    mark(i..<span.upperBound)
                    i = span.upperBound
                    continue
                }
                // A lower-case place name after "based in", "in", "from".
                if !["of", "with", "for"].contains(key) || scope != nil, let (place, length) = longestPlace(at: s, tokens, used) {
                    let kind: LocationScope = scope ?? (key == "from" ? .based : (eventScope ? .events : .either))
                    request.locations.append(Constraint(LocationConstraintValue(place: place, scope: kind), strength[s],
                                                        text: text(i..<(s + length))))
                    mark(i..<(s + length))
                    i = s + length
                    continue
                }
            }
            // "Berlin-based", "Kenyan economists", "European women".
            if let (place, length) = longestPlace(at: i, tokens, used) {
                let next = i + length
                if next < tokens.count, tokens[next].key == "based" {
                    request.locations.append(Constraint(LocationConstraintValue(place: place, scope: .based), strength[i], text: text(i..<(next + 1))))
                    mark(i..<(next + 1))
                    i = next + 1
                    continue
                }
                if !gazetteer.isCountryName(tokens[i..<next].map(\.key).joined(separator: " ")) || place.kind == .region,
                   (next..<min(next + 2, tokens.count)).contains(where: { Self.isPersonNoun(tokens[$0].key) || Self.genderWords[tokens[$0].key] != nil }) {
                    request.locations.append(Constraint(LocationConstraintValue(place: place, scope: .based), strength[i], text: text(i..<next)))
                    mark(i..<next)
                    i = next
                    continue
                }
            }
            i += 1
        }

        // 9. The topic: what no constraint used, without the request's own words.
        var topic: [Token] = []
        for (k, token) in tokens.enumerated() where !used[k] && token.kind != .dash {
            if token.kind == .word && Self.requestWords.contains(token.key) { topic.append(Token(text: ",", key: ",", kind: .comma)); continue }
            if Self.isPersonNoun(token.key) && Self.personNouns.contains(token.key) { continue }
            topic.append(token)
        }
        // Drop connecting words at the ends of each piece, then the separators.
        var pieces: [[Token]] = [[]]
        for token in topic {
            if token.kind == .comma || token.kind == .stop { pieces.append([]) } else { pieces[pieces.count - 1].append(token) }
        }
        let kept = pieces.map { piece -> [Token] in
            var piece = piece[...]
            while let first = piece.first, Self.edgeWords.contains(first.key) { piece = piece.dropFirst() }
            while let last = piece.last, Self.edgeWords.contains(last.key) { piece = piece.dropLast() }
            return Array(piece)
        }.filter { !$0.isEmpty }
        request.topic = kept.map { $0.map(\.text).joined(separator: " ") }.joined(separator: " ")
        return request
    }

    // MARK: Pieces

    func clauseRange(around i: Int, _ tokens: [Token]) -> Range<Int> {
        var start = i, end = i
        while start > 0 && tokens[start - 1].kind != .stop && tokens[start - 1].kind != .comma { start -= 1 }
        while end < tokens.count && tokens[end].kind != .stop && tokens[end].kind != .comma { end += 1 }
        return start..<end
    }

    /// Capitalised words from `start`, with "of", "for", "and", "&", "de", "the" inside.
    func capitalizedSpan(from start: Int, _ tokens: [Token], _ used: [Bool]) -> Range<Int>? {
        guard start < tokens.count, !used[start], tokens[start].kind == .word, tokens[start].capitalized else { return nil }
        var end = start + 1
        while end < tokens.count, !used[end] {
            if tokens[end].kind == .word && tokens[end].capitalized { end += 1; continue }
            if ["of", "for", "and", "de", "the", "du", "des", "la", "fur", "on"].contains(tokens[end].key), end + 1 < tokens.count,
               tokens[end + 1].kind == .word, tokens[end + 1].capitalized, !used[end + 1], tokens[end].key != "on" || tokens[end + 1].key == "the" {
                end += 2
                continue
            }
            break
        }
        return start..<end
    }

    /// The place a whole span of words names.
    func placeCovering(_ span: Range<Int>, _ tokens: [Token]) -> Place? {
        gazetteer.place(tokens[span].map(\.key).joined(separator: " "))
    }

    /// The longest place name starting at `i` (up to the longest phrase in the gazetteer).
    func longestPlace(at i: Int, _ tokens: [Token], _ used: [Bool]) -> (Place, Int)? {
        guard i < tokens.count, tokens[i].kind == .word else { return nil }
        var n = min(gazetteer.longestPhrase, tokens.count - i)
        while n >= 1 {
            let range = i..<(i + n)
            if !range.contains(where: { used[$0] || tokens[$0].kind != .word }),
               let place = gazetteer.place(tokens[range].map(\.key).joined(separator: " ")) {
                return (place, n)
            }
            n -= 1
        }
        return nil
    }

    func languageAt(_ i: Int, _ tokens: [Token]) -> Language? {
        guard i < tokens.count, tokens[i].kind == .word else { return nil }
        return gazetteer.language(tokens[i].key)
    }

    /// A date range starting at token `i`, and the tokens it covers.
    func dateRange(at i: Int, _ tokens: [Token]) -> (Range<Int>, DateRange)? {
        func year(_ k: Int) -> Int? {
            guard k < tokens.count, let n = tokens[k].number, tokens[k].key.count == 4, (1900...2100).contains(n) else { return nil }
            return n
        }
        func month(_ k: Int) -> Int? { k < tokens.count ? Self.months[tokens[k].key] : nil }
        func start(_ y: Int, _ m: Int = 1) -> LocalDate { LocalDate(year: y, month: m, day: 1)! }
        func end(_ y: Int, _ m: Int = 12) -> LocalDate { LocalDate(year: y, month: m, day: LocalDate.daysIn(month: m, year: y))! }
        func key(_ k: Int) -> String { k < tokens.count ? tokens[k].key : "" }
        func monthsAgo(_ n: Int) -> LocalDate {
            var y = today.year, m = today.month - n
            while m < 1 { m += 12; y -= 1 }
            return LocalDate(year: y, month: m, day: min(today.day, LocalDate.daysIn(month: m, year: y)))!
        }
        // between Y and Y / from Y to Y
        if ["between", "from"].contains(key(i)), let a = year(i + 1), ["and", "to", "until", "through", "-"].contains(key(i + 2)), let b = year(i + 3) {
            return (i..<(i + 4), DateRange(from: start(min(a, b)), to: end(max(a, b))))
        }
        if let a = year(i), ["to", "until", "through", "-"].contains(key(i + 1)), let b = year(i + 2) {
            return (i..<(i + 3), DateRange(from: start(min(a, b)), to: end(max(a, b))))
        }
        if ["since", "from"].contains(key(i)), let a = year(i + 1) { return (i..<(i + 2), DateRange(from: start(a), to: nil)) }
        if key(i) == "after", let a = year(i + 1) { return (i..<(i + 2), DateRange(from: start(a + 1), to: nil)) }
        if key(i) == "before", let a = year(i + 1) { return (i..<(i + 2), DateRange(from: nil, to: end(a - 1))) }
        if ["until", "till", "through"].contains(key(i)), let a = year(i + 1) { return (i..<(i + 2), DateRange(from: nil, to: end(a))) }
        if words(["up", "to"], i, tokens), let a = year(i + 2) { return (i..<(i + 3), DateRange(from: nil, to: end(a))) }
        // in March 2024 / March 2024
        let lead = ["in", "during"].contains(key(i)) ? 1 : 0
        if let m = month(i + lead), let y = year(i + lead + 1) { return (i..<(i + lead + 2), DateRange(from: start(y, m), to: end(y, m))) }
        if let y = year(i + lead) { return (i..<(i + lead + 1), DateRange(from: start(y), to: end(y))) }
        // last year / this year / past N years / recently
        if ["last", "past"].contains(key(i)) && key(i + 1) == "year" && key(i) == "last" {
            return (i..<(i + 2), DateRange(from: start(today.year - 1), to: end(today.year - 1)))
        }
        if key(i) == "this" && key(i + 1) == "year" { return (i..<(i + 2), DateRange(from: start(today.year), to: end(today.year))) }
        if key(i) == "past" && key(i + 1) == "year" { return (i..<(i + 2), DateRange(from: monthsAgo(12), to: today)) }
        if ["last", "past"].contains(key(i)), i + 2 < tokens.count {
            let n = tokens[i + 1].number ?? Self.numberWords[key(i + 1)]
            if let n, (1...50).contains(n) {
                if ["years", "year"].contains(key(i + 2)) { return (i..<(i + 3), DateRange(from: monthsAgo(12 * n), to: today)) }
                if ["months", "month"].contains(key(i + 2)) { return (i..<(i + 3), DateRange(from: monthsAgo(n), to: today)) }
            }
        }
        if ["recently", "recent", "lately"].contains(key(i)) { return (i..<(i + 1), DateRange(from: monthsAgo(24), to: today)) }
        return nil
    }

    func words(_ phrase: [String], _ i: Int, _ tokens: [Token]) -> Bool {
        guard i + phrase.count <= tokens.count else { return false }
        return phrase.enumerated().allSatisfy { tokens[i + $0.offset].key == $0.element }
    }
}
