import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// People introduced in prose: "a conversation with Jane Doe, CEO of Acme", "moderated by
/// …", "featuring …", "with remarks by …", "speakers include …", "Jane Doe (Acme) and …",
/// and their German, French and Spanish forms. Names here must look like names on their
/// own (the gazetteer and structure), because prose also mentions people who do not speak.
public struct FreeTextExtractor: SpeakerExtractor {
    public let name = "free-text"
    let detector: PersonNameDetector
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.detector = detector
        self.lines = PersonLineParser(detector: detector)
    }

    /// Phrases that introduce participants, with their role.
    static let triggers: [(String, Role)] = [
        ("in conversation with", .speaker), ("a conversation with", .speaker), ("conversation between", .speaker),
        ("discussion with", .panelist), ("in discussion with", .panelist), ("fireside chat with", .speaker),
        ("moderated by", .moderator), ("chaired by", .moderator), ("facilitated by", .moderator), ("hosted by", .host),
        ("introduced by", .host), ("introductory remarks by", .host), ("opening remarks by", .host), ("welcome by", .host),
        ("with remarks by", .speaker), ("remarks by", .speaker), ("featuring", .speaker), ("keynote by", .keynote),
        ("keynote address by", .keynote), ("keynote from", .keynote), ("delivered by", .speaker), ("presented by", .speaker),
        ("lecture by", .speaker), ("talk by", .speaker), ("speakers include", .speaker), ("speakers are", .speaker),
        ("briefing by", .speaker), ("a response from", .panelist), ("responses from", .panelist), ("response from", .panelist),
        ("address by", .speaker), ("presentation by", .speaker), ("reading by", .speaker), ("performance by", .performer),
        ("opening by", .host), ("features", .panelist), ("will feature", .panelist), ("discussion features", .panelist), ("closing remarks by", .host), ("in dialogue with", .speaker), ("interviewed by", .moderator),
        ("panelists include", .panelist), ("panellists include", .panelist), ("joined by", .panelist), ("will be joined by", .panelist),
        ("with panelists", .panelist), ("panel with", .panelist), ("a talk with", .speaker), ("an evening with", .speaker),
        ("im gespräch mit", .speaker), ("moderiert von", .moderator), ("moderation:", .moderator), ("es diskutieren", .panelist),
        ("mit einem vortrag von", .speaker), ("vortrag von", .speaker), ("begrüßung durch", .host), ("begrüßung:", .host),
        ("en conversation avec", .speaker), ("animé par", .moderator), ("animée par", .moderator), ("modéré par", .moderator),
        ("avec la participation de", .speaker), ("conférence de", .speaker), ("en présence de", .speaker),
        ("en conversación con", .speaker), ("moderado por", .moderator), ("moderada por", .moderator), ("con la participación de", .speaker),
        ("conferencia de", .speaker), ("presentado por", .speaker),
    ]

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard let main = input.main else { return [] }
        var people: [ExtractedPerson] = []
        for paragraph in main.select("p, li, dd, blockquote, div") where !ExtractionText.isChrome(paragraph) && !Self.isInPersonBlock(paragraph) {
            // Only blocks whose own text is prose (not containers of other blocks).
            guard paragraph.name == "p" || !paragraph.children.contains(where: { Self.blockNames.contains($0.name) }) else { continue }
            let text = paragraph.visibleText.replacingOccurrences(of: "\n", with: " ")
            guard text.count >= 15, text.count <= 3000 else { continue }
            people += fromProse(text)
        }
        return people
    }

    /// Verbs that make the sentence's subject a participant: "Professor Wei Lin of Kestrel
    /// University presents…".
    static let participationVerbs = ["presents", "will present", "discusses", "will discuss", "speaks", "will speak", "talks", "will talk",
                                     "introduces", "will introduce", "delivers", "will deliver", "gives", "will give", "shares", "will share",
                                     "explores", "will explore", "examines", "will examine", "outlines", "will outline", "launches", "will launch",
                                     "reflects", "will reflect", "joins", "will join", "argues", "will argue", "lectures", "will lecture",
                                     "hosts", "will host", "chairs", "will chair", "moderates", "will moderate", "opens", "will open", "closes"]

    func fromProse(_ text: String) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        people += sentenceSubjects(text)
        // "With A (X) and B (Y), moderated by C": a sentence that opens with "With" lists guests.
        for sentence in Sentences.split(text) {
            let trimmed = sentence.trimmingCharacters(in: CharacterSet(charactersIn: ".!?").union(.whitespaces))
            for opener in ["With ", "Mit ", "Avec ", "Con "] where trimmed.hasPrefix(opener) {
                people += self.people(in: clause(String(trimmed.dropFirst(opener.count))), role: .panelist)
            }
            // "Join A, Title at X, and B for a discussion…"
            for opener in ["Join ", "Hear from ", "Meet "] where trimmed.hasPrefix(opener) {
                var rest = String(trimmed.dropFirst(opener.count))
                if let end = rest.range(of: " for ") ?? rest.range(of: " as they ") ?? rest.range(of: " to ") { rest = String(rest[..<end.lowerBound]) }
                people += self.people(in: rest, role: .speaker)
            }
        }
        let lower = text.lowercased()
        for (trigger, role) in Self.triggers where lower.containsBytes(trigger) {
            var searchStart = lower.startIndex
            while let range = lower.range(of: trigger, range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                // The trigger must start a word.
                if range.lowerBound > lower.startIndex, lower[lower.index(before: range.lowerBound)].isLetter { continue }
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                let tail = String(text.dropFirst(offset)).trimmingCharacters(in: CharacterSet(charactersIn: " :,"))
                people += self.people(in: clause(tail), role: role)
            }
        }
        return people
    }

    static let blockNames: Set<String> = ["p", "li", "div", "ul", "ol", "section", "article", "table", "dl", "h2", "h3", "h4"]

    /// Paragraphs inside a person's card or bio talk about that person's life, where other
    /// names are colleagues and collaborators, not participants.
    static func isInPersonBlock(_ node: HTMLNode) -> Bool {
        ([node] + node.ancestors).contains { ancestor in
            let hints = ExtractionText.hints(ancestor)
            return ["bio", "biography", "speaker", "person", "profile", "pop-box", "popover", "tooltip"].contains { hints.containsBytes($0) }
        }
    }

    /// Sentence subjects that do something only participants do.
    func sentenceSubjects(_ text: String) -> [ExtractedPerson] {
        var result: [ExtractedPerson] = []
        let lowered = text.lowercased()
        guard Self.participationVerbs.contains(where: { lowered.containsBytes(" " + $0) }) else { return [] }
        for sentence in Sentences.split(text).prefix(20) {
            let trimmed = sentence.trimmingCharacters(in: CharacterSet(charactersIn: ".!?").union(.whitespaces))
            let lower = trimmed.lowercased()
            guard let verb = Self.participationVerbs.filter({ lower.containsBytes(" " + $0) }).compactMap({ verb -> Range<String.Index>? in
                guard let range = lower.range(of: " " + verb + " ") ?? (lower.hasSuffix(" " + verb) ? lower.range(of: " " + verb, options: .backwards) : nil) else { return nil }
                return range
            }).min(by: { $0.lowerBound < $1.lowerBound }), lower.distance(from: lower.startIndex, to: verb.lowerBound) <= 120 else { continue }
            let subject = String(trimmed[..<trimmed.index(trimmed.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: verb.lowerBound))])
            // "Name of Organisation", "Name, Title at Organisation", "Name (Organisation)"
            var namePart = subject
            var affiliation: String?
            if let range = subject.range(of: " of ") {
                namePart = String(subject[..<range.lowerBound])
                let organisation = String(subject[range.upperBound...]).trimmingWhitespace()
                // Only a name-like organisation ("Kestrel University of Technology").
                if organisation.first?.isUppercase == true, organisation.split(separator: " ").count <= 8, !organisation.contains(",") {
                    affiliation = organisation
                }
            }
            guard let line = lines.parse(namePart, context: .freeText) else { continue }
            result.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(line.title),
                                          affiliations: [line.affiliation ?? affiliation].compactMap { ExtractionText.clean($0) },
                                          role: .speaker, confidence: 0.5 + line.name.score * 0.2, extractor: "free-text"))
        }
        return result
    }

    /// The text up to the end of the sentence.
    func clause(_ text: String) -> String {
        var end = text.endIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "." || character == "!" || character == "?" || character == "。" {
                // Not the dot of an initial ("J. Smith") or an abbreviation ("Dr.", "Inc.").
                let before = text[text.startIndex..<index].split(separator: " ").last ?? ""
                let isAbbreviation = before.count <= 3 && before.first?.isUppercase == true || ["inc", "ltd", "corp", "co", "dr", "prof", "st"].contains(before.lowercased())
                if !isAbbreviation {
                    end = index
                    break
                }
            }
            index = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// Names (with their details) in a clause such as "Jane Doe, CEO of Acme, and Jo Lee (Beta Lab)".
    func people(in fullClause: String, role: Role) -> [ExtractedPerson] {
        var result: [ExtractedPerson] = []
        // The clause ends where another trigger starts ("…, moderated by …").
        var clause = fullClause
        let lower = clause.lowercased()
        if let cut = Self.triggers.compactMap({ trigger -> String.Index? in
            guard let range = lower.range(of: trigger.0), range.lowerBound > lower.startIndex else { return nil }
            return range.lowerBound
        }).min() {
            let offset = lower.distance(from: lower.startIndex, to: cut)
            clause = String(clause.prefix(offset)).trimmingCharacters(in: CharacterSet(charactersIn: ", ;").union(.whitespaces))
        }
        let separated = clause.replacingOccurrences(of: ", and ", with: "; ").replacingOccurrences(of: " and ", with: "; ")
            .replacingOccurrences(of: " & ", with: "; ").replacingOccurrences(of: " und ", with: "; ").replacingOccurrences(of: " et ", with: "; ")
            .replacingOccurrences(of: " y ", with: "; ")
        var misses = 0
        for (index, part) in separated.split(separator: ";").enumerated() where index < 8 {
            var piece = part.trimmingWhitespace()
            // Stop at words that end the list ("who will discuss…", "on the future of…").
            for stop in [" who ", " will ", " to discuss", " on the ", " about ", " as they ", " for a ", " in a ", " at the ", " and the ", " – ", " — "] {
                if let range = piece.range(of: stop) { piece = String(piece[..<range.lowerBound]) }
            }
            guard let line = lines.parse(piece, context: .freeText) else {
                // A piece that is not a person ("formerly Deputy Director of the Council") is
                // skipped; two in a row end the list.
                misses += 1
                if misses >= 2 { break } else { continue }
            }
            misses = 0
            var title = line.title
            var affiliation = line.affiliation
            // "Jane Doe, CEO of Acme": "of" introduces the organisation in prose.
            if affiliation == nil, let details = title, let range = details.range(of: " of ") {
                let head = String(details[..<range.lowerBound]), tail = String(details[range.upperBound...])
                if lines.looksLikeTitle(head) && tail.first?.isUppercase == true {
                    title = head
                    affiliation = tail
                }
            }
            result.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(title),
                                          affiliations: [affiliation].compactMap { ExtractionText.clean($0) },
                                          role: line.role ?? role, confidence: 0.5 + line.name.score * 0.2, extractor: "free-text"))
        }
        return result
    }
}
