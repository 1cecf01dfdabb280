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

/// A talk page whose speakers sit in a block with no heading: the name as a small heading
/// and a bio below it, the same layout on every page (as many conference generators do).
func headinglessTalkPage(title: String, people: [(String, String)]) -> String {
    page("""
        <div class="talk"><h2>\(title)</h2><p class="meta">Organization</p><p class="room">Room 1.38</p>
        <div class="description"><p>A talk about \(title.lowercased()), with examples from practice and time for questions from the audience.</p></div>
        \(people.map { "<div class=\"authors\"><h3>\($0.0)</h3><p>\($0.1)</p></div>" }.joined())</div>
        """)
}

let headinglessPages: [(String, [(String, String)])] = [
    ("Breaking Linear Notebooks", [("Ada Böhm", "Ada builds tools for scientific computing and schedulers for clusters.")]),
    ("Array Computing at Scale", [("Jacob Tomlinson", "Jacob maintains open-source libraries for distributed computing."),
                                  ("Cheuk Ting Ho", "Cheuk has been a developer advocate and a data scientist for many years.")]),
    ("Compression for Science", [("Francesc Alted", "Francesc has written compression libraries used in many data formats.")]),
    ("Reproducible Pipelines", [("Agnieszka Żaba", "Agnieszka works on reproducible research software in a public lab.")]),
    ("Teaching with Notebooks", [("Jost Migenda", "Jost teaches research software engineering to physicists.")]),
]

@Suite("Site templates")
struct SiteTemplateTests {
    func document(_ html: String, _ n: Int) throws -> HTMLDocument {
        try HTMLDocument(html: html, url: URL(string: "https://venue.example.org/events/\(n)"))
    }

    func inducerPages(_ htmls: [String]) throws -> [TemplateInducer.Page] {
        try htmls.enumerated().map { index, html in
            TemplateInducer.Page(document: try document(html, index), url: URL(string: "https://venue.example.org/events/\(index)")!, eventTitle: nil)
        }
    }

    /// A talk page whose speaker list links each person's whole card: the name element, where
    /// they are based and their employer, all inside one link (as several conference themes do).
    static func linkedCardPage(_ people: [(name: String, place: String, company: String)]) -> String {
        page("<p>A talk about practice.</p><div class=\"detail\"><ul class=\"speakers\">" + people.map { person in
            let slug = person.name.lowercased().replacingOccurrences(of: " ", with: "_")
            return "<li><a class=\"visually-hidden\" aria-hidden=\"true\" href=\"/speakers/\(slug)\">\(person.name)</a><a class=\"speaker\" href=\"/speakers/\(slug)\"><div class=\"speaker-img\"></div><strong class=\"speaker-name\">\(person.name)</strong> <small class=\"location\">\(person.place)</small><div><span class=\"company\">\(person.company)</span></div></a></li>"
        }.joined() + "</ul></div>")
    }

    static let linkedCards: [[(name: String, place: String, company: String)]] = [
        [("Amara Okafor", "Lyon, France", "Northbridge Institute")],
        [("Tomás Ferreira", "Porto, Portugal", "Halvorsen Lab"), ("Ingrid Solberg", "Bergen, Norway", "Fjord Policy Centre")],
        [("Rahul Mehta", "Pune, India", "Eastbank University")],
        [("Wei Chen", "Taipei, Taiwan", "The Daily Ledger")],
        [("Fatima Benali", "Rabat, Morocco", "Atlas Cooperative"), ("Kwame Mensah", "Accra, Ghana", "Mensah Studio")],
    ]

    /// The name is the name element inside the link, not the link's first line ("Amara
    /// Okafor Lyon, France"); where someone is based is neither title nor organisation.
    @Test func aLinkedCardIsNamedByItsNameElementAndItsPlaceIsNoEmployer() throws {
        let result = try run(Self.linkedCardPage(Self.linkedCards[1]))
        #expect(result.people.map(\.name) == ["Tomás Ferreira", "Ingrid Solberg"])
        #expect(result.people.map(\.primaryAffiliation) == ["Halvorsen Lab", "Fjord Policy Centre"])
        #expect(result.people.allSatisfy { $0.title == nil }, "\(result.people.map(\.title))")
    }

    /// The list item holding the whole card reads as names too ("Amara Okafor Lyon, France
    /// Northbridge Institute" splits into name-like pieces); the slot inside it is the name.
    @Test func theInducedNameSlotIsTheInnermostOneAndPlacesAreNotOrganisations() throws {
        let pages = try inducerPages(Self.linkedCards.map { Self.linkedCardPage($0) })
        let template = try #require(TemplateInducer.induce(from: pages))
        #expect(["strong.speaker-name", "a.visually-hidden"].contains(template.namePath.last ?? ""), "\(template.namePath)")
        #expect(template.affiliationPath?.last == "span.company", "\(String(describing: template.affiliationPath))")
        #expect(template.titlePath == nil)
        // The same pages in another order give the same template.
        let again = try #require(TemplateInducer.induce(from: pages.reversed()))
        #expect(again.namePath == template.namePath && again.affiliationPath == template.affiliationPath)
    }

    /// The class says what a slot holds, each rule on its own: an employer whose name reads
    /// like a job title ("Chief Data Office") is the organisation when its class says
    /// company, and a slot whose class says city is neither title nor organisation.
    @Test func aSlotNamedForTheEmployerIsTheOrganisationAndAPlaceSlotIsNeither() throws {
        func talk(_ people: [(name: String, city: String, company: String?)]) -> String {
            page("<p>A talk about practice.</p><section class=\"people\">" + people.map { person in
                "<div class=\"speaker\"><h3 class=\"speaker-name\">\(person.name)</h3><p class=\"speaker-city\">\(person.city)</p>"
                    + (person.company.map { "<p class=\"speaker-company\">\($0)</p>" } ?? "") + "</div>"
            }.joined() + "</section>")
        }
        let employers = [[("Amara Okafor", "Lyon", "Chief Data Office"), ("Tomás Ferreira", "Porto", "Senior Partners Group")],
                         [("Ingrid Solberg", "Bergen", "Director General Office")], [("Rahul Mehta", "Pune", "Head Start Trust")],
                         [("Wei Chen", "Taipei", "Principal Engineering Studio"), ("Fatima Benali", "Rabat", "Lead Design Works")]]
        let template = try #require(TemplateInducer.induce(from: try inducerPages(employers.map { talk($0.map { ($0.0, $0.1, $0.2) }) })))
        #expect(template.affiliationPath?.last == "p.speaker-company", "\(String(describing: template.affiliationPath))")
        #expect(template.titlePath == nil, "\(String(describing: template.titlePath))")
        // Only a city besides the name: no organisation slot at all.
        let places = try #require(TemplateInducer.induce(from: try inducerPages(employers.map { talk($0.map { ($0.0, $0.1, nil) }) })))
        #expect(places.affiliationPath == nil, "\(String(describing: places.affiliationPath))")
        #expect(places.titlePath == nil)
    }

    /// The template comes from comparing the pages alone: no extractor's output is given.
    @Test func inducesWhereNamesTitlesAndOrganisationsSitFromThePagesAlone() throws {
        let pages = try inducerPages(cardPages.prefix(3).map { cardPage($0) })
        let template = try #require(TemplateInducer.induce(from: pages))
        #expect(template.namePath.last == "h3.person-name")
        #expect(template.cardDepth == 1)
        #expect(template.titlePath == ["p.person-role"])
        #expect(template.affiliationPath == ["p.person-org"])
        #expect(template.method == TemplateInducer.method)
        // Two pages are not enough to tell a slot from a coincidence.
        #expect(TemplateInducer.induce(from: Array(pages.prefix(2))) == nil)

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

    /// A name shown as separate first- and last-name elements: its parts are neither the
    /// person's title nor their organisation.
    @Test func partsOfTheNameAreNotDetails() throws {
        let htmls = cardPages.prefix(3).map { people in
            page("<section class=\"lineup\">" + people.map { name, title, organisation in
                let parts = name.split(separator: " ")
                return "<div class=\"person-card\"><div class=\"person-name\"><span class=\"first\">\(parts[0])</span> <span class=\"last\">\(parts.dropFirst().joined(separator: " "))</span></div><p class=\"person-role\">\(title)</p></div>"
            }.joined() + "</section>")
        }
        let template = try #require(TemplateInducer.induce(from: try inducerPages(htmls)))
        #expect(template.namePath.last == "div.person-name")
        #expect(template.titlePath == ["p.person-role"])
        #expect(template.affiliationPath == nil)
    }

    /// Labels repeat on every page and talk titles are not names: neither becomes a slot.
    @Test func aSlotVariesFromPageToPageAndHoldsNames() throws {
        let pages = try inducerPages(headinglessPages.map { headinglessTalkPage(title: $0.0, people: $0.1) })
        let template = try #require(TemplateInducer.induce(from: pages))
        #expect(template.namePath.suffix(2) == ["div.authors", "h3"])
        #expect(template.bioPath == ["p"])
        let html = headinglessTalkPage(title: "Sparse Arrays", people: [("Ingrid Solberg", "Ingrid has built sparse array libraries for a decade."),
                                                                           ("Rahul Mehta", "Rahul works on numerical methods for climate models.")])
        let found = TemplateExtractor(template: template).extract(ExtractionInput(document: try document(html, 20), url: URL(string: "https://venue.example.org/events/20")!,
                                                                                  language: "en", eventTitle: "Sparse Arrays"))
        #expect(found.map(\.name) == ["Ingrid Solberg", "Rahul Mehta"])
        #expect(found.first?.bio == "Ingrid has built sparse array libraries for a decade.")
        // Pages with nothing in common give no template.
        let unrelated = try inducerPages([cardPage(cardPages[0]), headinglessTalkPage(title: "A", people: headinglessPages[0].1),
                                          page("<p>Doors open at seven.</p>")])
        #expect(TemplateInducer.induce(from: unrelated) == nil)
    }

    /// Stores pages of one source as fetched events.
    func storeEvents(_ htmls: [String], titles: [String?]? = nil, in database: TestDatabase) async throws -> Source {
        let source = Source(url: "https://venue.example.org/events/")
        try await source.create(on: database.db)
        for (index, html) in htmls.enumerated() {
            let url = "https://venue.example.org/events/\(index)"
            _ = try await FrontierRepository(database.db).enqueueEvents([url], sourceID: source.id, via: "test")
            let event = try #require(try await Event.query(on: database.db).filter(\.$url == url).first())
            if let title = titles?[index] { event.title = title; try await event.save(on: database.db) }
            try await EventPageStore(database.db).store(FetchResult(
                requestedURL: URL(string: url)!, finalURL: URL(string: url)!, status: 200, contentType: "text/html", etag: nil, lastModified: nil,
                body: Data(html.utf8), text: html, charset: "utf-8", notModified: false, redirects: [], fetcher: "http",
                duration: .zero), into: event)
        }
        return source
    }

    /// A run induces the source's template from its stored pages before extracting them,
    /// stores it, and reads every page with it.
    @Test func aRunInducesTheSourcesTemplateAndUsesItOnEveryPage() async throws {
        try await TestDatabase.with { database in
            let source = try await storeEvents((cardPages + cardPages).map { cardPage($0) }, in: database)
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            let events = try await service.pendingEvents(limit: 10)
            #expect(await service.run(events).withSpeakers == 8)
            let template = try #require(try await SiteTemplateStore(storage: database.context).template(sourceID: source.id!))
            #expect(template.namePath.last == "h3.person-name")
            let raws = try await Appearance.query(on: database.db).all().compactMap(\.raw)
            #expect(raws.count == 18)
            #expect(raws.allSatisfy { $0.contains("template") }, "every page is read with the template too")
        }
    }

    /// Speakers in blocks with no heading: found with template induction, and each method
    /// can be switched off to measure what it adds.
    @Test func headinglessSpeakerBlocksAreFoundAndMethodsSwitchOff() async throws {
        let htmls = headinglessPages.map { headinglessTalkPage(title: $0.0, people: $0.1) }
        let truth = headinglessPages.reduce(0) { $0 + $1.1.count }
        func people(without off: String) async throws -> [String] {
            try await TestDatabase.with { database in
                _ = try await storeEvents(htmls, titles: headinglessPages.map(\.0), in: database)
                let methods = try ExtractionMethods.defaults(without: off)
                return try await ExtractionMethods.$enabled.withValue(methods) {
                    let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
                    _ = await service.run(try await service.pendingEvents(limit: 10))
                    return try await Speaker.query(on: database.db).all().map(\.name).sorted()
                }
            }
        }
        let all = try await people(without: "")
        #expect(all.count == truth, "\(all)")
        #expect(!all.contains("Organization"))
        let bare = try await people(without: "template-induction,heading-bio")
        #expect(bare.count < truth, "without either method the chain misses headingless blocks: \(bare)")
        #expect(throws: ExtractionMethods.UnknownMethod.self) { try ExtractionMethods.defaults(without: "telepathy") }
    }
}

/// Talk pages that only show linked names; each person's page has the details.
@Suite("Link families")
struct LinkFamilyTests {
    func talkPage(_ title: String, _ people: [(slug: String, name: String)]) -> String {
        page("""
            <div class="title">\(title)</div><div class="video"><iframe src="https://video.example.org/embed/1"></iframe></div>
            <div class="row">\(people.map { "<div class=\"text-center\"><a class=\"link subtitle\" href=\"/speakers/\($0.slug)/\">\($0.name)</a></div>" }.joined())
            <h4 class="label">Authors</h4></div><div class="subtitle">Room A</div><div class="label">Location</div>
            <p class="byline">Posted by <a href="/authors/maria-silva/">Maria Silva</a></p>
            """)
    }

    func profilePage(_ name: String, details: String, bio: String) -> String {
        "<html><head><title>\(name)</title></head><body><nav><a href=\"/\">Home</a></nav><main><h1>\(name)</h1><p>\(details)</p><p>\(bio)</p><img src=\"/img/p.jpg\"></main></body></html>"
    }

    @Test func namesLinkedToTheirOwnPagesAreSpeakersWithThoseDetails() async throws {
        func run(without off: String) async throws -> [Speaker] {
            try await TestDatabase.with { database in
                let source = try await SiteTemplateTests().storeEvents(
                    [talkPage("Neural style transfer", [("jorge-martinez", "Jorge Martinez")]),
                     talkPage("Graphs in practice", [("lina-park", "Lina Park")]),
                     talkPage("A history of compilers", [("tag-ml", "Grace Hopper")])],
                    titles: ["Neural style transfer", "Graphs in practice", "A history of compilers"], in: database)
                let bodies = PageBodyStore(database.db)
                let profiles = [
                    ("jorge-martinez", profilePage("Jorge Martinez", details: "Data Scientist, Andes Analytics",
                                                   bio: "Jorge builds computer vision systems and teaches machine learning to engineers in Bogotá.")),
                    ("lina-park", profilePage("Lina Park", details: "Research Engineer at Harbor Labs",
                                              bio: "Lina works on graph databases and has contributed to several open-source query engines.")),
                    // Linked by a person's name, but a page about something else: not a profile.
                    ("tag-ml", profilePage("Machine learning", details: "Talks tagged machine learning", bio: "Every talk of the conference about machine learning, newest first.")),
                    // The byline every page carries leads to its author's page: site-wide, not a speaker.
                    ("/authors/maria-silva", profilePage("Maria Silva", details: "Web editor, Venue", bio: "Maria edits the venue's website and writes its announcements every week.")),
                ]
                for (slug, html) in profiles {
                    let path = slug.hasPrefix("/") ? slug : "/speakers/\(slug)"
                    let page = CrawlPage(sourceID: source.id!, url: "https://venue.example.org\(path)/", kind: .listing, pageNumber: 1)
                    page.bodyHash = try await bodies.store(Data(html.utf8))
                    page.state = ItemState.fetched.rawValue
                    try await page.save(on: database.db)
                }
                let methods = try ExtractionMethods.defaults(without: off)
                return try await ExtractionMethods.$enabled.withValue(methods) {
                    let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
                    _ = await service.run(try await service.pendingEvents(limit: 10))
                    return try await Speaker.query(on: database.db).sort(\.$name).all()
                }
            }
        }
        // Template induction would read the same slot on these pages; it is off here so the
        // test measures link families alone.
        let found = try await run(without: "template-induction")
        #expect(found.map(\.name) == ["Jorge Martinez", "Lina Park"])
        #expect(found.map(\.title) == ["Data Scientist", "Research Engineer"])
        #expect(found.map(\.affiliation) == ["Andes Analytics", "Harbor Labs"])
        #expect(found.first?.bio?.hasPrefix("Jorge builds computer vision systems") == true)
        #expect(try await run(without: "template-induction,link-families").isEmpty)
    }
}
