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
    /// Whether the multilingual cues and participant nouns apply (method `prose-cues`).
    let cues: Bool

    public init(detector: PersonNameDetector = PersonNameDetector(), cues: Bool = ExtractionMethods.defaults.contains(.proseCues)) {
        self.detector = detector
        self.lines = PersonLineParser(detector: detector)
        self.cues = cues
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

    /// More phrases that introduce participants, in German, French, Spanish, Portuguese and
    /// English (method `prose-cues`).
    static let cueTriggers: [(String, Role)] = [
        ("a cargo de", .speaker), ("de la mano de", .speaker), ("impartida por", .speaker), ("impartido por", .speaker),
        ("contaremos con", .speaker), ("tendremos a", .speaker), ("recibiremos a", .speaker), ("recibir a", .speaker),
        ("con la presencia de", .speaker), ("nos visita", .speaker), ("ponente:", .speaker), ("ponentes:", .speaker),
        ("com a participação de", .speaker), ("com participação de", .speaker), ("apresentado por", .speaker),
        ("apresentada por", .speaker), ("ministrada por", .speaker), ("ministrado por", .speaker), ("mediado por", .moderator),
        ("mediada por", .moderator), ("palestrante:", .speaker), ("palestrantes:", .speaker),
        ("vorgestellt von", .speaker), ("präsentiert von", .speaker), ("ein vortrag von", .speaker), ("zu gast ist", .speaker),
        ("zu gast sind", .speaker), ("referent:", .speaker), ("referentin:", .speaker), ("referenten:", .speaker),
        ("présenté par", .speaker), ("présentée par", .speaker), ("donnée par", .speaker), ("donné par", .speaker),
        ("nous accueillons", .speaker), ("nous recevons", .speaker), ("intervenant :", .speaker), ("intervenants :", .speaker),
        ("led by", .speaker), ("taught by", .speaker), ("performed by", .performer), ("we welcome", .speaker),
        ("we will hear from", .speaker), ("we'll hear from", .speaker), ("special guest", .speaker), ("special guests", .speaker),
    ]

    var activeTriggers: [(String, Role)] { cues ? Self.triggers + Self.cueTriggers : Self.triggers }

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard let main = input.main else { return [] }
        var people: [ExtractedPerson] = []
        for paragraph in main.select("p, li, dd, blockquote, div") where !ExtractionText.isChrome(paragraph) && !Self.isInPersonBlock(paragraph) {
            // Only blocks whose own text is prose (not containers of other blocks).
            guard paragraph.name == "p" || !paragraph.children.contains(where: { Self.blockNames.contains($0.name) }) else { continue }
            let visible = paragraph.visibleText
            let text = visible.replacingOccurrences(of: "\n", with: " ")
            guard text.count >= 15, text.count <= 3000 else { continue }
            people += fromProse(text)
            // Programme lines: the lines of a block broken into several, or a list item.
            guard cues else { continue }
            let programme = visible.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
            if programme.count >= 2 || paragraph.name == "li" || paragraph.name == "dd" {
                people += programme.compactMap { byline(String($0)) }
            }
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

    /// The same in German, French, Spanish and Portuguese (method `prose-cues`); "nos …" and
    /// "will …" forms come first so the subject stops before them.
    static let cueVerbs = ["nos hablará", "nos enseñará", "nos contará", "nos mostrará", "nos explicará", "nos presentará", "hablará",
                           "presentará", "explicará", "enseñará", "impartirá", "expondrá", "moderará", "compartirá",
                           "spricht", "referiert", "berichtet", "präsentiert", "moderiert", "wird sprechen", "hält einen vortrag",
                           "présentera", "parlera", "interviendra", "animera", "expliquera", "partagera", "nous présentera", "nous parlera",
                           "apresentará", "falará", "vai apresentar", "vai falar", "will perform", "performs", "will create"]

    var activeVerbs: [String] { cues ? Self.participationVerbs + Self.cueVerbs : Self.participationVerbs }

    /// Nouns for a participant, which name the person that follows them: "our speaker, Jane
    /// Doe", "violinist Jo Lee", "nuestro ponente, …", "unsere Referentin …" (method
    /// `prose-cues`).
    static let participantNouns: [(String, Role)] = [
        ("speaker", .speaker), ("speakers", .speaker), ("guest speaker", .speaker), ("keynote speaker", .keynote),
        ("presenter", .speaker), ("presenters", .speaker), ("lecturer", .speaker), ("panelist", .panelist), ("panelists", .panelist),
        ("panellist", .panelist), ("panellists", .panelist), ("moderator", .moderator), ("performer", .performer),
        ("performers", .performer), ("musician", .performer), ("musicians", .performer), 
        ("violinist", .performer), ("pianist", .performer), ("cellist", .performer), ("guitarist", .performer),
        ("percussionist", .performer), ("drummer", .performer), ("vocalist", .performer), ("singer", .performer),
        ("ponente", .speaker), ("ponentes", .speaker), ("conferenciante", .speaker), ("conferenciantes", .speaker),
        ("moderador", .moderator), ("moderadora", .moderator), ("palestrante", .speaker), ("palestrantes", .speaker),
        ("referent", .speaker), ("referentin", .speaker), ("referenten", .speaker), ("sprecher", .speaker), ("sprecherin", .speaker),
        ("moderatorin", .moderator), ("intervenant", .speaker), ("intervenante", .speaker), ("intervenants", .speaker),
        ("conférencier", .speaker), ("conférencière", .speaker), ("animateur", .moderator), ("animatrice", .moderator),
    ]

    /// Names right after a participant noun, as an apposition ("our speaker, Jane Doe, …") or a
    /// list ("performers Jo Lee (voice) and Ana Ruiz (piano)").
    func appositions(_ text: String) -> [ExtractedPerson] {
        var result: [ExtractedPerson] = []
        let lower = text.lowercased()
        for (noun, role) in Self.participantNouns where lower.containsBytes(noun) {
            var searchStart = lower.startIndex
            while let range = lower.range(of: noun, range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                // A whole word: "speaker", not "loudspeaker" or "speakership".
                if range.lowerBound > lower.startIndex, lower[lower.index(before: range.lowerBound)].isLetter { continue }
                guard range.upperBound < lower.endIndex, !lower[range.upperBound].isLetter else { continue }
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                let tail = String(text.dropFirst(offset)).trimmingCharacters(in: CharacterSet(charactersIn: " :,–—").union(.whitespaces))
                // Only a name straight after the noun, not "speakers from industry".
                guard tail.first?.isUppercase == true else { continue }
                for person in people(in: clause(tail), role: role, context: .card) {
                    var named = person
                    // Prose after an apposition ("…, ha estado 4 años en Nueva York") is rarely a
                    // job title and organisation: keep only what reads as a title.
                    if let title = named.title, !lines.looksLikeTitle(title) {
                        named.title = nil
                        named.affiliations = []
                    }
                    result.append(named)
                }
            }
        }
        return result
    }

    func fromProse(_ text: String) -> [ExtractedPerson] {
        let people = readProse(text)
        return cues ? people.map(tidied) : people
    }

    /// Words that end a list of people in Spanish, Portuguese, German and French prose ("…
    /// ministrada por Ana Lima no auditório", "… von Jo Lee über Stadtklima").
    static let cueStops = [" no ", " na ", " en el ", " en la ", " sobre ", " que ", " im ", " über ", " zum ", " zur ", " dans ", " sur ", " qui "]

    /// A person's title and organisation as prose gives them, made to read as fields: "an
    /// Associate Lecturer" → "Associate Lecturer"; "co-fundador de Doctoralia, un ejemplo …" →
    /// "co-fundador" at "Doctoralia"; "RMIT University with over eight years' experience…" →
    /// "RMIT University"; a title that is not one ("nuestro experto") or an organisation in
    /// lower case ("ondes musicales and Moog synth") is dropped.
    func tidied(_ person: ExtractedPerson) -> ExtractedPerson {
        var result = person
        var title = person.title
        var organisation = person.affiliations.first
        if let raw = organisation, raw.first?.isLowercase == true {
            organisation = nil
            if let (head, tail) = titleAndOrganisation(raw) {
                title = title ?? head
                organisation = tail
            } else if title == nil, lines.looksLikeTitle(raw) {
                title = raw
            }
        }
        if organisation == nil, let raw = title, let (head, tail) = titleAndOrganisation(raw) {
            title = head
            organisation = tail
        }
        if let raw = organisation {
            var cut = raw.endIndex
            for stop in [", ", " with ", " con ", " mit ", " avec ", " com ", " where ", " who ", " que ", " which "] {
                if let range = raw.range(of: stop), range.lowerBound < cut { cut = range.lowerBound }
            }
            organisation = String(raw[..<cut]).trimmingCharacters(in: CharacterSet(charactersIn: ".;:").union(.whitespaces))
        }
        if let raw = title {
            var words = raw.split(separator: " ").map(String.init)
            if let first = words.first, ["a", "an", "the", "our", "un", "una", "el", "la", "nuestro", "nuestra", "ein", "eine", "unser", "unsere", "le", "notre"].contains(first.lowercased()) {
                words.removeFirst()
            }
            let cleaned = words.joined(separator: " ")
            title = words.count <= 10 && lines.looksLikeTitle(cleaned) ? cleaned : nil
        }
        result.title = title.flatMap { ExtractionText.clean($0) }
        result.affiliations = [organisation].compactMap { $0.flatMap { ExtractionText.clean($0) } } + person.affiliations.dropFirst()
        return result
    }

    /// Words before "by" that make the name after it a credit, not a participant ("Photo by …").
    static let creditWords: Set<String> = ["photo", "photos", "photograph", "image", "images", "picture", "pictures", "video", "posted",
                                           "written", "published", "organised", "organized", "sponsored", "supported", "funded", "powered",
                                           "designed", "made", "built", "edited", "translated", "illustrated", "illustration", "cover",
                                           "art", "artwork", "music", "foto", "fotos", "imagen", "imágenes", "publicado", "escrito",
                                           "organizado", "patrocinado", "diseñado", "hecho", "traducido", "editado", "bild", "fotografía",
                                           "organisiert", "gesponsert", "geschrieben", "veröffentlicht", "écrit", "publié", "organisé",
                                           "photographie", "crédit", "credit", "credits", "courtesy", "cortesía", "lyrics", "score", "words",
                                           "lighting", "design", "costumes", "costume", "set", "iluminación", "diseño", "licht", "lumière"]

    /// A programme line that ends with who gives it: "10:10 / Caching in Python por Ana Ruiz",
    /// "Fast API for the impatient, by Jo Lee", "Datenschutz im Alltag von Mia Weber".
    func byline(_ raw: String) -> ExtractedPerson? {
        let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: ".;)").union(.whitespaces))
        guard line.count <= 200 else { return nil }
        let connectors = [" by ", " por ", " von ", " par "]
        guard let range = connectors.compactMap({ line.range(of: $0, options: .backwards) }).max(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        let head = line[..<range.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: ",:–—-").union(.whitespaces))
        let headWords = head.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard headWords.count >= 2, let last = headWords.last, !Self.creditWords.contains(last.lowercased()) else { return nil }
        let tail = String(line[range.upperBound...])
        guard tail.split(separator: " ").count <= 6, let name = detector.parse(tail, context: .card) else { return nil }
        return ExtractedPerson(name: name.display, honorific: name.honorific, role: .speaker, confidence: 0.5 + name.score * 0.2, extractor: "free-text")
    }

    /// "Juan Tatay COO de Kanteron": a name followed by a job title with nothing between.
    func nameBeforeTitle(_ text: String) -> PersonLine? {
        let tokens = text.split(separator: " ").map(String.init)
        guard tokens.count >= 3 else { return nil }
        for count in stride(from: min(4, tokens.count - 1), through: 2, by: -1) where lines.looksLikeTitle(tokens[count]) {
            guard let name = detector.parse(tokens[..<count].joined(separator: " "), context: .freeText) else { continue }
            return PersonLine(name: name, title: tokens[count...].joined(separator: " "))
        }
        return nil
    }

    /// Words that make a line ending in ":" introduce the participants listed after it ("En
    /// esta charla participarán las expertas:", "Our speakers:").
    static let listIntroductions = ["speaker", "speakers", "panelists", "panellists", "panel", "guests", "featuring", "line-up", "lineup",
                                    "participarán", "participan", "ponentes", "invitados", "invitadas", "intervienen", "referenten",
                                    "referentinnen", "es sprechen", "intervenants", "interviendront", "palestrantes", "participam",
                                    "participarão"]

    /// A bulleted list written into one paragraph ("… participarán las expertas: • Ana Ruiz:
    /// ingeniera … • Jo Lee, …"), introduced by a line that says it lists participants.
    func introducedBullets(_ text: String) -> [ExtractedPerson] {
        let parts = text.split(separator: "•", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return [] }
        let introduction = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard introduction.hasSuffix(":"), let lastSentence = Sentences.split(introduction).last,
              Self.listIntroductions.contains(where: { word in
                  lastSentence.range(of: word).map { range in
                      (range.lowerBound == lastSentence.startIndex || !lastSentence[lastSentence.index(before: range.lowerBound)].isLetter)
                          && (range.upperBound == lastSentence.endIndex || !lastSentence[range.upperBound].isLetter)
                  } ?? false
              }) else { return [] }
        return parts.dropFirst().compactMap { item -> ExtractedPerson? in
            let sentence = clause(item.trimmingCharacters(in: .whitespaces))
            guard let line = lines.parse(sentence, context: .card) else { return nil }
            return ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(line.title),
                                   affiliations: [line.affiliation].compactMap { $0.flatMap { ExtractionText.clean($0) } },
                                   role: line.role ?? .speaker, confidence: 0.5 + line.name.score * 0.2, extractor: "free-text")
        }
    }

    func readProse(_ text: String) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        if cues { people += introducedBullets(text) }
        people += sentenceSubjects(text)
        if cues { people += appositions(text) }
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
        for (trigger, role) in activeTriggers where lower.containsBytes(trigger) {
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
        let verbs = activeVerbs
        guard verbs.contains(where: { lowered.containsBytes(" " + $0) }) else { return [] }
        for sentence in Sentences.split(text).prefix(20) {
            let trimmed = sentence.trimmingCharacters(in: CharacterSet(charactersIn: ".!?").union(.whitespaces))
            let lower = trimmed.lowercased()
            guard let verb = verbs.filter({ lower.containsBytes(" " + $0) }).compactMap({ verb -> Range<String.Index>? in
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
            guard let line = lines.parse(namePart, context: .freeText) ?? (cues ? nameBeforeTitle(namePart) : nil) else { continue }
            var title = line.title
            if cues, affiliation == nil, line.affiliation == nil, let details = title, let (head, organisation) = titleAndOrganisation(details) {
                title = head
                affiliation = organisation
            }
            result.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(title),
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
    func people(in fullClause: String, role: Role, context: NameContext = .freeText) -> [ExtractedPerson] {
        var result: [ExtractedPerson] = []
        // The clause ends where another trigger starts ("…, moderated by …").
        var clause = fullClause
        let lower = clause.lowercased()
        if let cut = activeTriggers.compactMap({ trigger -> String.Index? in
            guard let range = lower.range(of: trigger.0), range.lowerBound > lower.startIndex else { return nil }
            return range.lowerBound
        }).min() {
            let offset = lower.distance(from: lower.startIndex, to: cut)
            clause = String(clause.prefix(offset)).trimmingCharacters(in: CharacterSet(charactersIn: ", ;").union(.whitespaces))
        }
        let separated = cues ? Self.listItems(clause)
            : clause.replacingOccurrences(of: ", and ", with: "; ").replacingOccurrences(of: " and ", with: "; ")
                .replacingOccurrences(of: " & ", with: "; ").replacingOccurrences(of: " und ", with: "; ").replacingOccurrences(of: " et ", with: "; ")
                .replacingOccurrences(of: " y ", with: "; ").split(separator: ";").map(String.init)
        var misses = 0
        for (index, part) in separated.enumerated() where index < 8 {
            var piece = part.trimmingWhitespace()
            // Stop at words that end the list ("who will discuss…", "on the future of…").
            for stop in [" who ", " will ", " to discuss", " on the ", " about ", " as they ", " for a ", " in a ", " at the ", " and the ", " – ", " — "]
                + (cues ? Self.cueStops : []) {
                if let range = piece.range(of: stop) { piece = String(piece[..<range.lowerBound]) }
            }
            guard let line = lines.parse(piece, context: context) else {
                // A piece that is not a person ("formerly Deputy Director of the Council") is
                // skipped; two in a row end the list.
                misses += 1
                if misses >= 2 { break } else { continue }
            }
            misses = 0
            var title = line.title
            var affiliation = line.affiliation
            // "Jane Doe, CEO of Acme": "of" introduces the organisation in prose.
            if affiliation == nil, let details = title, let (head, organisation) = titleAndOrganisation(details) {
                title = head
                affiliation = organisation
            }
            result.append(ExtractedPerson(name: line.name.display, honorific: line.name.honorific, title: ExtractionText.clean(title),
                                          affiliations: [affiliation].compactMap { ExtractionText.clean($0) },
                                          role: line.role ?? role, confidence: 0.5 + line.name.score * 0.2, extractor: "free-text"))
        }
        return result
    }

    /// "CEO of Acme", and with the prose cues "COO de Kanteron", "Leiterin von …", "directrice de …":
    /// a job title, then the organisation it is held at.
    func titleAndOrganisation(_ details: String) -> (String, String)? {
        let joiners = cues ? [" of ", " de la ", " del ", " de ", " von ", " da ", " do "] : [" of "]
        guard let range = joiners.compactMap({ details.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        let head = String(details[..<range.lowerBound]), tail = String(details[range.upperBound...])
        // The organisation is a name: capitalised, or a brand such as "eKuore".
        let firstWord = tail.prefix { $0 != " " }
        guard lines.looksLikeTitle(head), tail.first?.isUppercase == true || firstWord.dropFirst().contains(where: \.isUppercase) else { return nil }
        return (head, tail)
    }

    /// A clause split into its list items at "and", "&", "und", "et", "y", "e" and at commas
    /// between names, but not inside parentheses: "A (voice and piano) and B" is two items.
    public static func listItems(_ clause: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        let words = [" and ", " & ", " und ", " et ", " y ", " e "]
        var index = clause.startIndex
        while index < clause.endIndex {
            let character = clause[index]
            if character == "(" || character == "（" { depth += 1 }
            if character == ")" || character == "）" { depth = max(0, depth - 1) }
            if depth == 0, let word = words.first(where: { clause[index...].hasPrefix($0) }) {
                items.append(current)
                current = ""
                index = clause.index(index, offsetBy: word.count)
                continue
            }
            current.append(character)
            index = clause.index(after: index)
        }
        items.append(current)
        // "A, B, C": commas split when every part is a short capitalised run (names), not
        // "Jane Doe, CEO of Acme".
        return items.flatMap { item -> [String] in
            let trimmed = item.trimmingCharacters(in: CharacterSet(charactersIn: ", ").union(.whitespaces))
            guard trimmed.contains(",") else { return [trimmed] }
            let parts = trimmed.split(separator: ",").map { $0.trimmingWhitespace() }
            let namelike = parts.allSatisfy { part in
                let tokens = part.split(separator: " ")
                return (2...4).contains(tokens.count) && tokens.allSatisfy { $0.first?.isUppercase == true }
            }
            return namelike ? parts : [trimmed]
        }
    }
}
