import Crawling
import FluentKit
import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor

/// Discovery without an event-link pattern, on small sites of the shapes real event sites
/// take. Every site here is invented for these tests.
@Suite("Discovery without a pattern")
struct DiscoveryTests {
    /// Serves a fixed set of pages by path (404 for anything else).
    static func site(_ app: Application, _ pages: [String: String]) {
        let answer: @Sendable (Request) -> Response = { request in
            guard let page = pages[request.url.path] else { return Response(status: .notFound) }
            return .html(page)
        }
        app.get(use: answer)
        app.get(.catchall, use: answer)
    }

    static let navigation = """
        <header><nav><a href="/">Home</a> <a href="/programme/">Programme</a> <a href="/speakers/">Speakers</a> \
        <a href="/venue/">Venue</a> <a href="/news/">News</a> <a href="/about/">About</a></nav></header>
        """

    static func page(_ title: String, _ body: String, header: String = navigation) -> String {
        "<html><head><title>\(title) | Harbourside Data Days</title></head><body>\(header)<main>\(body)</main><footer><a href=\"/about/\">About us</a></footer></body></html>"
    }

    static let people = [("Ines Albrecht", "ines-albrecht", "Data Journalist", "Kestrel Post"), ("Tomasz Wilk", "tomasz-wilk", "Research Engineer", "Brightwater Lab"),
                         ("Amina Diallo", "amina-diallo", "Professor", "University of Westmere"), ("Jonas Berg", "jonas-berg", "Founder", "Tidemark"),
                         ("Priya Raman", "priya-raman", "Policy Fellow", "Civic Futures Institute"), ("Lucas Moreau", "lucas-moreau", "CTO", "Quayline"),
                         ("Hana Sato", "hana-sato", "Statistician", "Northport Council"), ("Mateo Ruiz", "mateo-ruiz", "Designer", "Studio Alto")]
    static let talks = ["Maps that lie", "Open data for small towns", "Counting cyclists", "A census of trees", "Privacy by default",
                        "Budgets people can read", "Flood sensors on a shoestring", "Teaching with public data"]

    static func slug(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    /// A conference site: a programme of talk cards, talk pages, speaker profiles, news
    /// posts, a venue page.
    static func conferenceSite(_ app: Application) {
        var pages: [String: String] = [:]
        var cards = ""
        for (index, talk) in talks.enumerated() {
            let person = people[index]
            cards += "<div class=\"card\"><a href=\"/talks/\(slug(talk))/\"><h3>\(talk)</h3></a><p>\(person.0)</p></div>"
            pages["/talks/\(slug(talk))/"] = page(talk, """
                <h1>\(talk)</h1><p>Saturday 14 March 2026, \(10 + index):00–\(10 + index):45, Main Hall</p>
                <h2>Speaker</h2><p><a href="/speakers/\(person.1)/">\(person.0)</a>, \(person.2), \(person.3)</p>
                <p>An hour on \(talk.lowercased()) and what we learned.</p>
                """)
            pages["/speakers/\(person.1)/"] = page(person.0, """
                <h1>\(person.0)</h1><p>\(person.2) at \(person.3).</p><p>\(person.0) works on public data.</p>
                <h2>Talks</h2><ul><li><a href="/talks/\(slug(talk))/">\(talk)</a></li></ul>
                """)
        }
        pages["/programme/"] = page("Programme", "<h1>Programme</h1><div class=\"grid\">\(cards)</div>")
        pages["/speakers/"] = page("Speakers", "<h1>Speakers</h1><ul>" + people.map { "<li><a href=\"/speakers/\($0.1)/\">\($0.0)</a></li>" }.joined() + "</ul>")
        pages["/"] = page("Home", "<h1>Harbourside Data Days</h1><p>Two days of talks about public data, 14–15 March 2026.</p><p><a href=\"/programme/\">See the programme</a></p>")
        pages["/venue/"] = page("Venue", "<h1>Venue</h1><p>Harbourside Hall, 12 Quay Street, Northport.</p>")
        pages["/about/"] = page("About", "<h1>About</h1><p>A volunteer-run conference.</p>")
        var posts = ""
        for (index, title) in ["Tickets are on sale", "Call for talks is open", "Our code of conduct"].enumerated() {
            let path = "/news/2026/\(slug(title))/"
            posts += "<li><a href=\"\(path)\">\(title)</a></li>"
            pages[path] = page(title, "<h1>\(title)</h1><p>Posted on \(index + 2) February 2026 by the organisers.</p><p>Read on for details.</p>")
        }
        pages["/news/"] = page("News", "<h1>News</h1><ul>\(posts)</ul>")
        site(app, pages)
    }

    func crawl(_ server: FixtureServer, from path: String, pattern: String? = nil,
               _ check: (TestDatabase, CrawlStats, Source) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let (crawler, fetchers) = makeCrawler(database)
            let source = try await addSource(database, url: server.base + path, pattern: pattern)
            let stats = try await crawler.crawl(source, options: options())
            await fetchers.shutdown()
            try await check(database, stats, source)
        }
    }

    func storedPaths(_ database: TestDatabase) async throws -> Set<String> {
        // URLComponents keeps a trailing slash, which URL.path drops.
        Set(try await Event.query(on: database.db).filter(\.$fetchState == "fetched").all().compactMap { URLComponents(string: $0.url)?.path })
    }

    @Test func talkCardsAreFoundAndProfilesNewsAndVenuesAreNot() async throws {
        try await FixtureServer.with(routes: Self.conferenceSite) { server in
            // Started from the home page: the programme is one click away, in the navigation.
            try await crawl(server, from: "/") { database, stats, source in
                let stored = try await storedPaths(database)
                #expect(stored == Set(Self.talks.map { "/talks/\(Self.slug($0))/" }), "stored: \(stored.sorted())")
                // Talk pages read while discovering were not fetched a second time.
                for talk in Self.talks { #expect(server.requests("/talks/\(Self.slug(talk))/") == 1) }
                let plan = try #require(DiscoveryPlan.decode(try await Source.find(source.id, on: database.db)?.discoveryPlan))
                #expect(plan.eventShapes == ["/talks/{slug}"])
                #expect(plan.families.first { $0.shape == "/speakers/{slug}" }?.kind == .profile)
                #expect(plan.explanation().contains("EVENTS  /talks/{slug}"))
            }
        }
    }

    @Test func aSpeakerIndexLeadsToTalksTwoLinksDeep() async throws {
        try await FixtureServer.with(routes: { app in
            var pages: [String: String] = [:]
            let header = "<header><a href=\"/\">Home</a></header>"
            var index = ""
            for (number, person) in Self.people.enumerated() {
                index += "<li><a href=\"/people/\(person.1).html\">\(person.0)</a> — \(person.3)</li>"
                pages["/people/\(person.1).html"] = Self.page(person.0, """
                    <h1>\(person.0)</h1><p>\(person.2), \(person.3)</p><h2>Sessions</h2>
                    <p><a href="/sessions/\(100 + number).html">\(Self.talks[number])</a></p>
                    """, header: header)
                pages["/sessions/\(100 + number).html"] = Self.page(Self.talks[number], """
                    <h1>\(Self.talks[number])</h1><p>Friday 3 April 2026, 14:00</p><p>Speaker: \(person.0) (\(person.3))</p>
                    <p>Abstract: what we learned about \(Self.talks[number].lowercased()).</p>
                    """, header: header)
            }
            pages["/people/"] = Self.page("Speakers", "<h1>Our speakers</h1><ul>\(index)</ul>", header: header)
            Self.site(app, pages)
        }) { server in
            try await crawl(server, from: "/people/") { database, _, _ in
                let stored = try await storedPaths(database)
                #expect(stored == Set((0..<Self.people.count).map { "/sessions/\(100 + $0).html" }), "stored: \(stored.sorted())")
            }
            // The same with the pattern given: it used to lead nowhere from a speaker index.
            try await crawl(server, from: "/people/", pattern: #"^/sessions/\d+\.html$"#) { database, _, _ in
                let stored = try await storedPaths(database)
                #expect(stored.count == Self.people.count)
            }
        }
    }

    @Test func bothLanguagesOfABilingualProgrammeAreFound() async throws {
        try await FixtureServer.with(routes: { app in
            var pages: [String: String] = [:]
            var englishList = ""
            for (number, talk) in Self.talks.prefix(6).enumerated() {
                let person = Self.people[number]
                let english = "/en/talks/\(Self.slug(talk)).html", german = "/de/vortraege/\(Self.slug(talk)).html"
                let switcher = "<header><nav><a href=\"/en/\">Home</a> <a href=\"\(german)\" hreflang=\"de\">Deutsch</a></nav></header>"
                let umschalter = "<header><nav><a href=\"/de/\">Start</a> <a href=\"\(english)\" hreflang=\"en\">English</a></nav></header>"
                englishList += "<li><a href=\"\(english)\">\(talk)</a> by \(person.0)</li>"
                pages[english] = Self.page(talk, "<h1>\(talk)</h1><p>12 May 2026, 09:30</p><p>Speaker: \(person.0), \(person.3)</p><p>A talk in English.</p>", header: switcher)
                pages[german] = Self.page(talk, "<h1>\(talk)</h1><p>12. Mai 2026, 09:30 Uhr</p><p>Referentin: \(person.0), \(person.3)</p><p>Ein Vortrag auf Deutsch.</p>", header: umschalter)
            }
            pages["/en/programme.html"] = Self.page("Programme", "<h1>Programme</h1><ul>\(englishList)</ul>", header: "<header><a href=\"/en/\">Home</a></header>")
            Self.site(app, pages)
        }) { server in
            try await crawl(server, from: "/en/programme.html") { database, _, _ in
                let stored = try await storedPaths(database)
                #expect(stored.filter { $0.hasPrefix("/en/talks/") }.count == 6)
                #expect(stored.filter { $0.hasPrefix("/de/vortraege/") }.count == 6, "stored: \(stored.sorted())")
                #expect(stored.count == 12)
            }
        }
    }

    @Test func aProgrammeOnOnePageIsTheEventPage() async throws {
        try await FixtureServer.with(routes: { app in
            var sessions = ""
            for (number, talk) in Self.talks.enumerated() {
                let person = Self.people[number]
                sessions += "<tr><td>\(9 + number):00 – \(9 + number):45</td><td><strong>\(talk)</strong><br>\(person.0) (\(person.3))</td></tr>"
            }
            let header = "<header><nav><a href=\"/\">Home</a> <a href=\"/schedule.html\">Schedule</a> <a href=\"/sponsors.html\">Sponsors</a></nav></header>"
            Self.site(app, [
                "/": Self.page("Home", "<h1>Harbourside Data Days</h1><p>One day of talks on 14 March 2026.</p>", header: header),
                "/schedule.html": Self.page("Schedule", "<h1>Schedule, 14 March 2026</h1><table>\(sessions)</table>", header: header),
                "/sponsors.html": Self.page("Sponsors", "<h1>Sponsors</h1><p>Kestrel Post, Brightwater Lab.</p>", header: header),
            ])
        }) { server in
            try await crawl(server, from: "/") { database, _, source in
                #expect(try await storedPaths(database) == ["/schedule.html"])
                let plan = try #require(DiscoveryPlan.decode(try await Source.find(source.id, on: database.db)?.discoveryPlan))
                #expect(plan.programmePages.map { URLComponents(string: $0)?.path } == ["/schedule.html"])
            }
        }
    }

    @Test func yearArchivesAreWalkedAndNoticesLeftOut() async throws {
        try await FixtureServer.with(routes: { app in
            var pages: [String: String] = [:]
            var years = ""
            var number = 0
            for year in [2024, 2025] {
                years += "<li><a href=\"/events/\(year)/\">Events in \(year)</a></li>"
                var list = ""
                for month in 3...6 {
                    let talk = Self.talks[number % Self.talks.count], person = Self.people[number % Self.people.count]
                    number += 1
                    let path = "/events/\(year)/\(Self.slug(talk))-\(month).html"
                    list += "<li><a href=\"\(path)\">\(talk)</a></li>"
                    pages[path] = Self.page(talk, "<h1>\(talk)</h1><p>\(month) May \(year), 18:00</p><p>A lecture by \(person.0), \(person.2) at \(person.3).</p>")
                }
                let notice = "/events/\(year)/gallery-closed-\(year).html"
                list += "<li><a href=\"\(notice)\">Gallery closed for the holidays</a></li>"
                pages[notice] = Self.page("Gallery closed", "<h1>Gallery closed for the holidays</h1><p>24 December \(year), 10:00</p><p>We reopen in January.</p>")
                pages["/events/\(year)/"] = Self.page("Events \(year)", "<h1>Events in \(year)</h1><ul>\(list)</ul>")
            }
            pages["/events/"] = Self.page("Events", "<h1>Events archive</h1><ul>\(years)</ul>")
            Self.site(app, pages)
        }) { server in
            try await crawl(server, from: "/events/") { database, _, _ in
                let stored = try await storedPaths(database)
                #expect(stored.count == 8, "stored: \(stored.sorted())")
                #expect(!stored.contains { $0.contains("closed") })
            }
        }
    }
}
