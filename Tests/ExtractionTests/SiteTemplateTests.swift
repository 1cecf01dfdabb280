import Crawling
import Extraction
import FluentKit
import Foundation
import HTMLParsing
import Logging
import SpeakerCore
import Storage
import Testing
import TestSupport

/// A site whose event pages put each speaker in a card: name, role line, organisation line.
func cardPage(_ people: [(String, String, String)], heading: String = "Speakers") -> String {
    page("<p>Doors open at seven.</p><section class=\"lineup\"><h2>\(heading)</h2>" + people.map { name, title, organisation in
        "<div class=\"person-card\"><img src=\"/p.jpg\" alt=\"\"><h3 class=\"person-name\">\(name)</h3><p class=\"person-role\">\(title)</p><p class=\"person-org\">\(organisation)</p></div>"
    }.joined() + "</section>")
}

let cardPages: [[(String, String, String)]] = [
    [("Amara Okafor", "Chief Economist", "Northbridge Institute"), ("Tomás Ferreira", "Research Fellow", "Halvorsen Lab")],
    [("Ingrid Solberg", "Director", "Fjord Policy Centre"), ("Rahul Mehta", "Professor of Law", "Eastbank University")],
    [("Wei Chen", "Senior Editor", "The Daily Ledger"), ("Fatima Benali", "Founder", "Atlas Cooperative"), ("David Miller", "Analyst", "Harbor Capital")],
    [("Sophie Laurent", "Curator", "Musée du Quai"), ("Kwame Mensah", "Architect", "Mensah Studio")],
]

@Suite("Site templates")
struct SiteTemplateTests {
    func document(_ html: String, _ n: Int) throws -> HTMLDocument {
        try HTMLDocument(html: html, url: URL(string: "https://venue.example.org/events/\(n)"))
    }

    @Test func learnsWhereNamesTitlesAndOrganisationsSit() throws {
        var pages: [SiteTemplateLearner.Page] = []
        for (index, people) in cardPages.prefix(3).enumerated() {
            pages.append(.init(document: try document(cardPage(people), index), people: people.map {
                ExtractedPerson(name: $0.0, title: $0.1, affiliations: [$0.2], confidence: 0.8, extractor: "cards")
            }))
        }
        let template = try #require(SiteTemplateLearner.learn(from: pages))
        #expect(template.namePath.last == "h3.person-name")
        #expect(template.cardDepth == 1)
        #expect(template.titlePath == ["p.person-role"])
        #expect(template.affiliationPath == ["p.person-org"])
        #expect(template.pagesConfirmed == 3)
        // Two pages are not enough to trust a position.
        #expect(SiteTemplateLearner.learn(from: Array(pages.prefix(2))) == nil)

        // On a new page of the site it reads every card, checked like any name.
        let fresh = try document(cardPage(cardPages[3] + [("Programme Committee", "Hosts", "Venue")]), 9)
        let found = TemplateExtractor(template: template).extract(ExtractionInput(document: fresh, url: URL(string: "https://venue.example.org/events/9")!, language: "en", eventTitle: nil))
        #expect(found.map(\.name) == ["Sophie Laurent", "Kwame Mensah"])
        #expect(found.map(\.title) == ["Curator", "Architect"])
        #expect(found.map(\.primaryAffiliation) == ["Musée du Quai", "Mensah Studio"])
        #expect(found.allSatisfy { $0.extractor == "template" })
        // A page laid out differently gives the template nothing to read.
        let other = try document(page("<p>A conversation with Amara Okafor, Chief Economist at Northbridge Institute.</p>"), 10)
        #expect(TemplateExtractor(template: template).extract(ExtractionInput(document: other, url: URL(string: "https://venue.example.org/events/10")!, language: "en", eventTitle: nil)).isEmpty)
    }

    /// A source's first pages are extracted by the chain; once enough are done, the run
    /// learns the source's template, stores it, and uses it on the source's other pages.
    @Test func aRunLearnsTheSourcesTemplateAndUsesItOnItsOtherPages() async throws {
        try await TestDatabase.with { database in
            let source = Source(url: "https://venue.example.org/events/")
            try await source.create(on: database.db)
            var events: [Event] = []
            for (index, people) in (cardPages + cardPages).enumerated() {
                let url = "https://venue.example.org/events/\(index)"
                _ = try await FrontierRepository(database.db).enqueueEvents([url], sourceID: source.id, via: "test")
                let event = try #require(try await Event.query(on: database.db).filter(\.$url == url).first())
                try await EventPageStore(database.db).store(FetchResult(
                    requestedURL: URL(string: url)!, finalURL: URL(string: url)!, status: 200, contentType: "text/html", etag: nil, lastModified: nil,
                    body: Data(cardPage(people).utf8), text: cardPage(people), charset: "utf-8", notModified: false, redirects: [], fetcher: "http",
                    duration: .zero), into: event)
                events.append(event)
            }
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            let first = try await service.pendingEvents(limit: 4)
            #expect(await service.run(first).withSpeakers == 4)
            #expect(try await SiteTemplateStore(storage: database.context).template(sourceID: source.id!) == nil)
            let rest = try await service.pendingEvents(limit: 10)
            #expect(await service.run(rest).withSpeakers == 4)
            let template = try #require(try await SiteTemplateStore(storage: database.context).template(sourceID: source.id!))
            #expect(template.namePath.last == "h3.person-name")
            let raws = try await Appearance.query(on: database.db).filter(\.$event.$id ~~ rest.compactMap(\.id)).all().compactMap(\.raw)
            #expect(raws.count == 9)
            #expect(raws.allSatisfy { $0.contains("template") }, "later pages are read with the template too")
        }
    }
}
