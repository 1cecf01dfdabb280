import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// People presented as cards: repeated sibling blocks (a speaker grid, a list of people,
/// table rows) that each hold a name with title and organisation lines, and single
/// blocks whose class names say "speaker" or "person". Fields come from class-name hints
/// (…title, …org, …bio) when the markup has them, else from the order of the lines.
public struct CardExtractor: SpeakerExtractor {
    public let name = "cards"
    let detector: PersonNameDetector
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.detector = detector
        self.lines = PersonLineParser(detector: detector)
    }

    static let personHints = ["speaker", "person", "people", "panelist", "panellist", "presenter", "moderator", "host", "profile",
                              "author", "participant", "bio", "referent", "intervenant", "ponente", "member", "guest", "keynote"]
    static let titleHints = ["title", "position", "job", "role", "function", "poste", "cargo", "funktion"]
    static let organisationHints = ["org", "organization", "organisation", "company", "affiliation", "employer", "institution",
                                    "institute", "firm", "agency", "unternehmen", "entreprise", "empresa"]
    static let bioHints = ["bio", "description", "about", "summary", "abstract", "intro", "profile-text", "text"]
    /// Where the person is based ("speaker-country", "location"): not a title or an employer.
    static let placeHints = ["country", "city", "location", "place", "address", "ville", "pays", "ciudad", "pais", "país", "ort", "land", "standort"]
    static let nonPersonHints = ["sponsor", "partner", "logo", "event-card", "session-card", "teaser", "related", "news", "post", "article-card", "ticket"]

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        guard let main = input.main ?? input.document.first("body") else { return [] }
        var cards: [HTMLNode] = []
        var seen = Set<HTMLNode>()
        // Repeated siblings with one signature.
        for parent in [main] + main.descendants where parent.children.count >= 2 && !ExtractionText.isChrome(parent) {
            // Groups in the order their first member appears (not the dictionary's order,
            // which changes from run to run), so cards keep document order.
            var groups: [(signature: String, members: [HTMLNode])] = []
            var groupIndex: [String: Int] = [:]
            for child in parent.children {
                let signature = Self.signature(child)
                if let index = groupIndex[signature] { groups[index].members.append(child) } else {
                    groupIndex[signature] = groups.count
                    groups.append((signature, [child]))
                }
            }
            for (signature, members) in groups where members.count >= 2 && !signature.hasPrefix("script") {
                let named = members.filter { nameNode(in: $0) != nil }
                let hinted = Self.personHints.contains { signature.containsBytes($0) }
                if Self.nonPersonHints.contains(where: { signature.containsBytes($0) }) { continue }
                guard named.count >= 2, Double(named.count) >= Double(members.count) * (hinted ? 0.4 : 0.6) else { continue }
                for member in named where seen.insert(member).inserted { cards.append(member) }
            }
        }
        // Single blocks marked as a person, and name elements with their surrounding block.
        for node in main.descendants where !seen.contains(node) && !ExtractionText.isChrome(node) {
            let hints = ExtractionText.hints(node)
            guard !hints.isEmpty, Self.isNameHint(hints) || Self.personHints.contains(where: { hints.split(whereSeparator: { !$0.isLetter }).contains(Substring($0)) }) else { continue }
            if Self.nonPersonHints.contains(where: { hints.containsBytes($0) }) { continue }
            if Self.isNameHint(hints) {
                guard let card = Self.cardAround(node, main: main), !seen.contains(card), !cards.contains(where: { $0.descendants.contains(card) || $0 == card }) else { continue }
                seen.insert(card)
                cards.append(card)
            }
        }
        var people: [ExtractedPerson] = []
        for card in cards {
            if let person = read(card, main: main, input: input) { people.append(person) }
        }
        return people
    }

    /// tag + classes, the identity of a kind of block ("div.speaker-card").
    static func signature(_ node: HTMLNode) -> String {
        ([node.name] + node.classes.filter { !$0.contains(where: \.isNumber) }.sorted()).joined(separator: ".").lowercased()
    }

    static func isNameHint(_ hints: String) -> Bool {
        let words = hints.split(whereSeparator: { $0 == " " }).map(String.init)
        return words.contains { word in
            let lower = word.lowercased()
            guard lower.contains("name") || lower == "fn" else { return false }
            return !["org-name", "organization-name", "organisation-name", "company-name", "event-name", "session-name", "site-name",
                     "venue-name", "track-name", "room-name", "file-name", "username", "nameplate"].contains { lower.contains($0) }
                && !lower.contains("org") && !lower.contains("company") && !lower.contains("event") && !lower.contains("session-title")
        }
    }

    /// The block around a name element that is about that one person: the outermost
    /// ancestor named for people ("session-speakers-list") that holds no other name, or
    /// else the largest ancestor that holds no other name, no page heading and only a
    /// handful of lines.
    static func cardAround(_ nameNode: HTMLNode, main: HTMLNode) -> HTMLNode? {
        var card = nameNode
        var hinted: HTMLNode?
        for ancestor in nameNode.ancestors {
            if ancestor == main || ancestor.name == "body" || ancestor.name == "main" || ancestor.name == "article" { break }
            if ancestor.first("h1, h2") != nil { break }
            if ancestor.visibleLines.filter({ $0.count <= 150 }).count > 12 { break }
            if ancestor.descendants.filter({ isNameHint(ExtractionText.hints($0)) }).count > 1 { break }
            card = ancestor
            let hints = ExtractionText.hints(ancestor)
            if personHints.contains(where: { hints.containsBytes($0) }) && !nonPersonHints.contains(where: { hints.containsBytes($0) }) {
                hinted = ancestor
            }
        }
        return hinted ?? card
    }

    /// The element holding the person's name in a card, when there is one.
    func nameNode(in card: HTMLNode) -> (node: HTMLNode?, name: PersonName)? {
        // A link to the person's profile page names them, whatever the name looks like.
        for anchor in ([card] + card.descendants).filter({ $0.name == "a" }).prefix(3) where ExtractionText.isProfileLink(anchor, document: card.document) {
            // A link that wraps a whole card ("<a><strong class=name>…</strong><span>Brest,
            // France</span></a>") is named by its name element, not by its first line.
            if let named = anchor.descendants.first(where: { Self.isNameHint(ExtractionText.hints($0)) && !$0.visibleText.isEmpty }) {
                if let name = detector.parseLinkedName(named.visibleText) { return (named, name) }
                continue
            }
            if let name = detector.parseLinkedName(anchor.visibleLines.first ?? "") { return (anchor, name) }
        }
        for node in card.descendants where Self.isNameHint(ExtractionText.hints(node)) {
            if ExtractionText.isProfileLink(node, document: card.document) {
                if let name = detector.parseLinkedName(node.visibleText) { return (node, name) }
            } else if let name = detector.parse(node.visibleText, context: .card) {
                return (node, name)
            }
        }
        for selector in ["h2", "h3", "h4", "h5", "h6", "strong", "b", "figcaption", "dt", "th", "a"] {
            for node in card.select(selector).prefix(2) {
                let text = node.visibleLines.first ?? ""
                if let name = detector.parse(text, context: .card) { return (node, name) }
                if let line = lines.parse(text, context: .card) { return (node, line.name) }
            }
        }
        if let first = card.visibleLines.first {
            if let name = detector.parse(first, context: .card) { return (nil, name) }
            if let line = lines.parse(first, context: .card) { return (nil, line.name) }
        }
        return nil
    }

    func read(_ card: HTMLNode, main: HTMLNode, input: ExtractionInput) -> ExtractedPerson? {
        guard let (nameElement, name) = nameNode(in: card) else { return nil }
        if let title = input.eventTitle, TextNormalization.matchKey(title) == TextNormalization.matchKey(name.display) { return nil }
        let region = card.parent.map { Self.flatRegion(after: card, in: $0) } ?? []
        var title: String?
        var affiliation: String?
        var bio: String?
        var role: Role?
        var remaining: [String] = []
        let nameLine = nameElement?.visibleLines.first
        var placeLines = Set<String>()
        let hintedElements = (card.descendants + region.flatMap { [$0] + $0.descendants })
        for element in hintedElements where element.children.count <= 1 {
            let hints = ExtractionText.hints(element)
            guard !hints.isEmpty, element != nameElement, !Self.isNameHint(hints) else { continue }
            let text = element.visibleText
            guard !text.isEmpty else { continue }
            let words = hints.split(whereSeparator: { !$0.isLetter }).map(String.init)
            if Self.placeHints.contains(where: { words.contains($0) }) { placeLines.insert(text); continue }
            // "event-title", "session-title": the event's, not the person's.
            if words.contains(where: { ["event", "session", "talk", "page", "site", "section", "track", "room", "card"].contains($0) }) && !Self.personHints.contains(where: { words.contains($0) }) { continue }
            if bio == nil, Self.bioHints.contains(where: { words.contains($0) }), text.count >= 40 { bio = text; continue }
            if affiliation == nil, Self.organisationHints.contains(where: { words.contains($0) }) { affiliation = text; continue }
            if title == nil, Self.titleHints.contains(where: { words.contains($0) }), text.count <= 200 {
                if let labelRole = Role(label: text), text.split(separator: " ").count <= 2 { role = labelRole } else { title = text }
            }
        }
        // Lines that are the text of a link to another page of the site that is not a
        // person's (a room, a track, a tag) or that carry a date or time describe the
        // session, not the person.
        var sessionLines = Set<String>()
        for anchor in card.select("a[href]") + region.flatMap({ $0.select("a[href]") }) {
            guard let href = anchor["href"], let url = input.document.resolve(href), url.host == input.url.host,
                  !ExtractionText.isProfileLink(anchor, document: input.document) else { continue }
            sessionLines.insert(anchor.visibleText)
        }
        var cardLines = (card.visibleLines + region.flatMap(\.visibleLines)).filter { line in
            !sessionLines.contains(line) && !Self.isScheduleLine(line)
        }
        if let nameLine, let index = cardLines.firstIndex(of: nameLine) { cardLines.remove(at: index) }
        else if let nameLine, let index = cardLines.firstIndex(where: { $0.hasPrefix(nameLine + " ") }) {
            // The name element ran into the next inline element on one line ("Jane Roe Brest, France").
            cardLines[index] = String(cardLines[index].dropFirst(nameLine.count + 1))
        }
        else if let index = cardLines.firstIndex(where: { detector.parse($0, context: .card)?.display == name.display }) { cardLines.remove(at: index) }
        for line in cardLines {
            if line == title || line == affiliation || line == bio || placeLines.contains(line) { continue }
            if Self.isInterfaceText(line) { continue }
            if let labelRole = Role(label: line), line.split(separator: " ").count <= 3 { role = role ?? labelRole; continue }
            // Prose is the person's bio, never their title or organisation.
            if line.count > 120 || Self.isProse(line) {
                if bio == nil { bio = line }
                continue
            }
            remaining.append(line)
        }
        // A bare heading followed only by prose that is not about the person ("Tomás
        // Ferreira" over directions to the venue) is not a card.
        let hinted = Self.personHints.contains { ExtractionText.hints(card).contains($0) }
        if !hinted, ["h2", "h3", "h4", "h5", "h6"].contains(card.name), remaining.isEmpty, card.first("img") == nil,
           !(bio.map { HeadingBioExtractor.isAbout($0, name) } ?? false) {
            return nil
        }
        // The name line itself may carry the details: "Jane Doe, CEO, Acme".
        if title == nil && affiliation == nil, let nameLine, let parsed = lines.parse(nameLine, context: .card), parsed.title != nil || parsed.affiliation != nil {
            title = parsed.title
            affiliation = parsed.affiliation
            role = role ?? parsed.role
        }
        if title == nil && affiliation == nil {
            switch remaining.count {
            case 0: break
            case 1: (title, affiliation) = lines.splitDetails(remaining[0])
            default:
                let first = lines.splitDetails(remaining[0]), second = lines.splitDetails(remaining[1])
                if first.affiliation != nil && first.title == nil && second.title != nil && second.affiliation == nil {
                    (title, affiliation) = (second.title, first.affiliation)
                } else {
                    title = first.title ?? remaining[0]
                    affiliation = first.affiliation ?? second.affiliation ?? second.title
                }
            }
        } else if title == nil, let line = remaining.first, line.count <= 120 {
            title = line
        } else if affiliation == nil, let line = remaining.first(where: { $0 != title }), line.count <= 120 {
            affiliation = line
        }
        // No detail lines, but a bio that says "X is the Title at Organisation".
        if title == nil && affiliation == nil, let bio {
            (title, affiliation) = HeadingBioExtractor.apposition(in: bio, lines: lines)
        }
        var links = ProfileLinks()
        for anchor in card.select("a[href]") + region.flatMap({ $0.select("a[href]") }) {
            if let href = anchor["href"], let resolved = input.document.resolve(href) { links.add(resolved.absoluteString, pageHost: input.document.url?.host) }
        }
        let photo = card.first("img").flatMap { $0["src"] ?? $0["data-src"] ?? $0["data-original"] }.flatMap { input.document.resolve($0)?.absoluteString }
        let groupRole = Self.headingRole(before: card, main: main)
        return ExtractedPerson(name: name.display, honorific: name.honorific, title: ExtractionText.clean(title),
                               affiliations: [affiliation].compactMap { ExtractionText.clean($0) },
                               role: role ?? groupRole ?? .speaker, bio: ExtractionText.clean(bio, max: 5000), photoURL: photo,
                               links: links, confidence: min(0.9, (hinted ? 0.8 : 0.72) + name.score * 0.1), extractor: "cards")
    }

    /// In flat layouts (a name link followed by its details as siblings), the siblings
    /// after `card` up to the next sibling that holds another name.
    static func flatRegion(after card: HTMLNode, in parent: HTMLNode) -> [HTMLNode] {
        let siblings = parent.children
        guard let index = siblings.firstIndex(of: card) else { return [] }
        var region: [HTMLNode] = []
        for sibling in siblings[(index + 1)...] {
            if sibling.descendants.contains(where: { isNameHint(ExtractionText.hints($0)) }) || isNameHint(ExtractionText.hints(sibling)) { break }
            if signature(sibling) == signature(card) { break }
            region.append(sibling)
            if region.count >= 6 { break }
        }
        // Only flat layouts: when the card is a bare name link, not a full block.
        return card.name == "a" || card.children.count <= 1 ? region : []
    }

    /// A sentence rather than a detail line: six words or more and a full stop, or more
    /// words than any "Name, Title, Organisation" line has.
    static func isProse(_ line: String) -> Bool {
        let words = line.split(separator: " ").count
        return words >= 16 || (words >= 6 && (line.hasSuffix(".") || line.hasSuffix("!")))
    }

    static let timePattern = try! NSRegularExpression(pattern: #"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s?(am|pm)\b"#, options: [.caseInsensitive])
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon,", "tue,", "wed,", "thu,", "fri,", "sat,", "sun,",
                           "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
                           "lunes", "martes", "miércoles", "jueves", "viernes"]

    /// "Sunday, 19th Mar, 14:45 - 15:10", "Room 3 · 18:30": when and where, not who.
    static func isScheduleLine(_ line: String) -> Bool {
        let lower = line.lowercased()
        if timePattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil && line.count <= 80 { return true }
        if weekdays.contains(where: { lower.hasPrefix($0) }) && line.count <= 60 { return true }
        return DateTextParser.parse(line) != nil && line.count <= 60
    }

    static let interfaceWords = ["website", "linkedin", "twitter", "github", "homepage", "read more", "more", "bio", "profile",
                                 "show more", "show less", "share", "x", "email", "mail", "web", "orcid", "facebook", "instagram",
                                 "register", "add to calendar", "speaker website", "view profile", "mehr", "plus", "más"]

    static func isInterfaceText(_ line: String) -> Bool {
        let lower = line.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "→›»· ").union(.whitespaces))
        if lower.isEmpty || interfaceWords.contains(lower) || lower.count <= 1 { return true }
        // "Github Twitter LinkedIn": a row of link labels.
        let words = lower.split(whereSeparator: { $0 == " " || $0 == "|" || $0 == "·" })
        return words.count <= 6 && words.allSatisfy { interfaceWords.contains(String($0)) }
    }

    /// The role named by the nearest heading before `node` ("Panelists", "Moderation").
    static func headingRole(before node: HTMLNode, main: HTMLNode) -> Role? {
        nearestHeading(before: node, main: main).flatMap { Role(label: $0) }
    }

    /// The text of the nearest heading before `node`: a preceding sibling heading of the
    /// node or of one of its ancestors (at most six levels up).
    static func nearestHeading(before node: HTMLNode, main: HTMLNode) -> String? {
        var current: HTMLNode? = node
        var hops = 0
        while let element = current, element != main, hops < 6 {
            var sibling = element.previousElementSibling
            var steps = 0
            while let previous = sibling, steps < 8 {
                if ["h1", "h2", "h3", "h4", "h5", "h6"].contains(previous.name) || previous.first("h2, h3, h4") != nil && previous.visibleLines.count <= 2 {
                    return previous.visibleText
                }
                sibling = previous.previousElementSibling
                steps += 1
            }
            current = element.parent
            hops += 1
        }
        return nil
    }
}
