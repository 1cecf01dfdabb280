import Names
import Foundation
import HTMLParsing
import SpeakerCore

/// schema.org people in JSON-LD (Event performer, actor, organizer, nested Person, sub-
/// events of a programme), microdata (itemtype Person), RDFa Lite (typeof Person) and
/// microformats (h-card, vcard).
public struct StructuredDataExtractor: SpeakerExtractor {
    public let name = "structured"
    let detector: PersonNameDetector
    let lines: PersonLineParser

    public init(detector: PersonNameDetector = PersonNameDetector()) {
        self.detector = detector
        self.lines = PersonLineParser(detector: detector)
    }

    public func extract(_ input: ExtractionInput) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        for object in JSONLD.objects(in: input.document) where JSONLD.isEvent(object) {
            collectEvent(object, into: &people, depth: 0)
        }
        people += microdata(input)
        people += microformats(input)
        people += rdfa(input)
        return people
    }

    func collectEvent(_ event: [String: Any], into people: inout [ExtractedPerson], depth: Int) {
        let fields: [(String, Role, Double)] = [("performer", .speaker, 0.95), ("performers", .speaker, 0.95), ("actor", .speaker, 0.9),
                                                ("speaker", .speaker, 0.95), ("contributor", .speaker, 0.8), ("organizer", .host, 0.6),
                                                ("host", .host, 0.85), ("moderator", .moderator, 0.95)]
        for (field, role, confidence) in fields {
            for value in JSONLD.objects(event[field]) {
                let types = JSONLD.types(value)
                guard types.isEmpty || types.contains("person") else { continue }
                if let person = person(fromJSONLD: value, role: role, confidence: confidence) { people.append(person) }
            }
            // Plain strings: "performer": "Jane Doe"
            if let text = event[field] as? String, let name = detector.parse(text, context: .structured) {
                people.append(ExtractedPerson(name: name.display, honorific: name.honorific, role: role, confidence: confidence * 0.9, extractor: "json-ld"))
            }
        }
        if depth < 2 {
            for sub in JSONLD.objects(event["subEvent"]) + JSONLD.objects(event["subEvents"]) {
                collectEvent(sub, into: &people, depth: depth + 1)
            }
        }
    }

    func person(fromJSONLD object: [String: Any], role: Role, confidence: Double) -> ExtractedPerson? {
        guard let rawName = JSONLD.text(object["name"]) ?? [JSONLD.text(object["givenName"]), JSONLD.text(object["familyName"])].compactMap { $0 }.joined(separator: " ").nonEmpty,
              let name = detector.parse(rawName, context: .structured) else { return nil }
        var affiliations: [String] = []
        for key in ["worksFor", "affiliation", "memberOf"] {
            for organisation in JSONLD.objects(object[key]) {
                if let organisationName = JSONLD.text(organisation["name"]) { affiliations.append(organisationName) }
            }
            if let text = object[key] as? String { affiliations.append(text) }
        }
        var links = ProfileLinks()
        for key in ["sameAs", "url"] {
            if let text = object[key] as? String { links.add(text) }
            for item in object[key] as? [Any] ?? [] { if let text = item as? String { links.add(text) } }
        }
        let image = (object["image"] as? String) ?? JSONLD.text((object["image"] as? [String: Any])?["url"])
        let roleName = JSONLD.text(object["roleName"]).flatMap(Role.init(label:))
        return ExtractedPerson(name: name.display, honorific: name.honorific ?? JSONLD.text(object["honorificPrefix"]),
                               title: ExtractionText.clean(JSONLD.text(object["jobTitle"])),
                               affiliations: affiliations.compactMap { ExtractionText.clean($0) },
                               role: roleName ?? role, bio: ExtractionText.clean(JSONLD.text(object["description"]), max: 5000),
                               photoURL: image, links: links, confidence: confidence, extractor: "json-ld")
    }

    /// `itemtype=".../Person"` blocks. Fields come from itemprops, else from class names
    /// ("…organization", "…title") inside the block.
    func microdata(_ input: ExtractionInput) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        for node in input.document.xpath("//*[@itemscope and contains(@itemtype, 'Person')]") where !ExtractionText.isChrome(node) {
            if node["itemprop"]?.lowercased() == "publisher" { continue }
            let nameNode = node.first("[itemprop=name]")
            let raw = nameNode?.visibleText ?? [node.first("[itemprop=givenName]")?.visibleText, node.first("[itemprop=familyName]")?.visibleText].compactMap { $0 }.joined(separator: " ")
            guard let name = detector.parse(raw, context: .structured) else { continue }
            var title = node.first("[itemprop=jobTitle]").map(\.visibleText)
            var affiliations = node.select("[itemprop=worksFor], [itemprop=affiliation], [itemprop=memberOf]").map { $0.first("[itemprop=name]")?.visibleText ?? $0.visibleText }
            for element in node.descendants where element.children.isEmpty {
                let hints = ExtractionText.hints(element)
                if title == nil, ["title", "position", "job", "role"].contains(where: hints.contains), !hints.contains("name") {
                    title = element.visibleText
                }
                if affiliations.isEmpty, ["organization", "organisation", "company", "affiliation", "employer", "institution", "org"].contains(where: { hints.split(whereSeparator: { !$0.isLetter }).contains(Substring($0)) || hints.contains($0 + " ") || hints.hasSuffix($0) }) {
                    affiliations = [element.visibleText]
                }
            }
            var links = ProfileLinks()
            for anchor in node.select("a[href]") { links.add(anchor["href"] ?? "") }
            let role: Role = node["itemprop"].flatMap(Role.init(label:)) ?? .speaker
            people.append(ExtractedPerson(name: name.display, honorific: name.honorific, title: ExtractionText.clean(title),
                                          affiliations: affiliations.compactMap { ExtractionText.clean($0) }, role: role,
                                          bio: ExtractionText.clean(node.first("[itemprop=description]")?.visibleText, max: 5000),
                                          photoURL: node.first("[itemprop=image]").flatMap { $0["src"] ?? $0["content"] },
                                          links: links, confidence: 0.9, extractor: "microdata"))
        }
        return people
    }

    func microformats(_ input: ExtractionInput) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        for card in input.document.select(".h-card, .vcard") where !ExtractionText.isChrome(card) {
            let raw = card.first(".p-name, .fn")?.visibleText ?? card.visibleLines.first ?? ""
            guard let name = detector.parse(raw, context: .structured) else { continue }
            let organisation = card.first(".p-org, .org")?.visibleText
            people.append(ExtractedPerson(name: name.display, honorific: name.honorific,
                                          title: ExtractionText.clean(card.first(".p-job-title, .title, .role")?.visibleText),
                                          affiliations: [organisation].compactMap { ExtractionText.clean($0) },
                                          bio: ExtractionText.clean(card.first(".p-note, .note")?.visibleText, max: 5000),
                                          photoURL: card.first(".u-photo, .photo")?["src"], confidence: 0.85, extractor: "microformats"))
        }
        return people
    }

    func rdfa(_ input: ExtractionInput) -> [ExtractedPerson] {
        var people: [ExtractedPerson] = []
        for node in input.document.xpath("//*[contains(@typeof, 'Person')]") where !ExtractionText.isChrome(node) {
            guard let raw = node.first("[property=name]")?.visibleText, let name = detector.parse(raw, context: .structured) else { continue }
            let organisation = node.first("[property=worksFor], [property=affiliation]").map { $0.first("[property=name]")?.visibleText ?? $0.visibleText }
            people.append(ExtractedPerson(name: name.display, honorific: name.honorific,
                                          title: ExtractionText.clean(node.first("[property=jobTitle]")?.visibleText),
                                          affiliations: [organisation].compactMap { ExtractionText.clean($0) },
                                          bio: ExtractionText.clean(node.first("[property=description]")?.visibleText, max: 5000),
                                          confidence: 0.85, extractor: "rdfa"))
        }
        return people
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
