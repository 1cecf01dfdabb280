import Extraction
import Names
import Foundation
import HTMLParsing
import SpeakerCore
import Testing

func run(_ html: String, url: String = "https://events.example.org/2024/talk.html", title: String? = nil) throws -> ExtractionResult {
    let document = try HTMLDocument(html: html, url: URL(string: url))
    return ExtractionChain.offline().run(ExtractionInput(document: document, url: URL(string: url)!, language: document.language, eventTitle: title))
}

func page(_ body: String, head: String = "") -> String {
    "<html lang=\"en\"><head><title>Talk | Site</title>\(head)</head><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About us</a></nav><main><h1>The talk</h1>\(body)</main><footer>Contact: Jane Press, Media Office</footer></body></html>"
}

@Suite("Extractors")
struct ExtractorTests {
    @Test func jsonLDPerformersWithJobsAndOrganisations() throws {
        let result = try run(page("<p>An evening event.</p>", head: """
            <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Event", "name": "The talk",
              "performer": [{"@type": "Person", "name": "Dr. Amara Okafor", "jobTitle": "Chief Economist", "worksFor": {"@type": "Organization", "name": "Northbridge Institute"}, "sameAs": ["https://www.linkedin.com/in/amara"]},
                            {"@type": "Organization", "name": "Northbridge Foundation"}],
              "organizer": {"@type": "Organization", "name": "Meridian Forum"}}</script>
            """))
        #expect(result.people.map(\.name) == ["Amara Okafor"])
        let amara = try #require(result.people.first)
        #expect(amara.title == "Chief Economist")
        #expect(amara.primaryAffiliation == "Northbridge Institute")
        #expect(amara.links.linkedin == "https://www.linkedin.com/in/amara")
        #expect(amara.honorific == "Dr.")
    }

    @Test func microdataMicroformatsAndRDFa() throws {
        let result = try run(page("""
            <div itemscope itemtype="https://schema.org/Person"><span itemprop="name">Jo Lee</span>, <span itemprop="jobTitle">Director</span></div>
            <div class="h-card"><span class="p-name">Ana Silva</span> <span class="p-org">Beta Lab</span></div>
            <div vocab="https://schema.org/" typeof="Person"><span property="name">Kwame Mensah</span>, <span property="jobTitle">Mayor</span></div>
            """))
        #expect(Set(result.people.map(\.name)) == ["Jo Lee", "Ana Silva", "Kwame Mensah"])
        #expect(result.people.first { $0.name == "Ana Silva" }?.primaryAffiliation == "Beta Lab")
    }

    @Test func repeatedCardsGiveNamesTitlesOrganisationsAndBios() throws {
        let cards = ["Amara Okafor|Chief Economist|Northbridge Institute", "José Núñez|Senior Fellow|Halvorsen Climate Lab", "Lin Wei|Professor|Kestrel University"]
            .map { $0.split(separator: "|") }
            .map { "<div class=\"speaker-card\"><img src=\"/p.jpg\" alt=\"\"><h3>\($0[0])</h3><p class=\"role\">\($0[1])</p><p class=\"org\">\($0[2])</p><p class=\"bio\">\($0[0]) works on trade, finance and the economics of climate adaptation.</p><a href=\"javascript:alert(1)\">Website</a></div>" }
            .joined()
        let sponsor = "<div class=\"sponsor-card\"><h3>Northbridge Foundation</h3><p>Supporting partner</p></div>"
        let result = try run(page("<h2>Speakers</h2><div class=\"grid\">\(cards)</div>\(sponsor)"))
        #expect(result.people.map(\.name) == ["Amara Okafor", "José Núñez", "Lin Wei"])
        let jose = try #require(result.people.first { $0.name == "José Núñez" })
        #expect(jose.title == "Senior Fellow")
        #expect(jose.primaryAffiliation == "Halvorsen Climate Lab")
        #expect(jose.bio?.contains("climate adaptation") == true)
        #expect(jose.links.website == nil, "a javascript: link was kept")
    }

    @Test(arguments: [
        ("<h2>Speakers</h2><ul><li>Amara Okafor, Chief Economist, Northbridge Institute</li><li>Jo Lee (Beta Lab)</li></ul><h3>Moderator</h3><p>Tomás Ferreira, Senior Fellow, Halvorsen Lab</p>", "en"),
        ("<h2>Referenten</h2><ul><li>Amara Okafor, Chefökonomin, Northbridge Institut</li><li>Jo Lee (Beta Lab)</li></ul><h3>Moderation</h3><p>Tomás Ferreira, Senior Fellow, Halvorsen Lab</p>", "de"),
        ("<h2>Intervenants</h2><ul><li>Amara Okafor, économiste en chef, Institut Northbridge</li><li>Jo Lee (Beta Lab)</li></ul><h3>Modération</h3><p>Tomás Ferreira, chercheur, Halvorsen Lab</p>", "fr"),
        ("<h2>Ponentes</h2><ul><li>Amara Okafor, economista jefa, Instituto Northbridge</li><li>Jo Lee (Beta Lab)</li></ul><h3>Moderador</h3><p>Tomás Ferreira, investigador, Halvorsen Lab</p>", "es"),
    ])
    func headedSectionsInFourLanguages(body: String, language: String) throws {
        let result = try run(page(body).replacingOccurrences(of: "lang=\"en\"", with: "lang=\"\(language)\""))
        #expect(Set(result.people.map(\.name)) == ["Amara Okafor", "Jo Lee", "Tomás Ferreira"], "\(language)")
        #expect(result.people.first { $0.name == "Tomás Ferreira" }?.role == .moderator, "\(language)")
        #expect(result.people.first { $0.name == "Jo Lee" }?.primaryAffiliation == "Beta Lab", "\(language)")
    }

    @Test func japaneseSections() throws {
        let result = try run(page("<h2>登壇者</h2><ul><li>山田 花子（東都大学 教授）</li><li>田中 恵子</li></ul><h2>モデレーター</h2><p>佐藤 健</p>").replacingOccurrences(of: "lang=\"en\"", with: "lang=\"ja\""))
        #expect(Set(result.people.map(\.name)) == ["山田 花子", "田中 恵子", "佐藤 健"])
        #expect(result.people.first { $0.name == "佐藤 健" }?.role == .moderator)
    }

    @Test func freeTextPatterns() throws {
        let result = try run(page("""
            <p>A conversation with Dr. Amara Okafor, Chief Economist at Northbridge Institute, moderated by Tomás Ferreira (Halvorsen Climate Lab).</p>
            <p>The lecture series is named after the late Professor Hélène Marchetti. Photo: Jan Kowalski. Press contact: Olivia Brennan.</p>
            """))
        #expect(Set(result.people.map(\.name)) == ["Amara Okafor", "Tomás Ferreira"])
        let amara = try #require(result.people.first { $0.name == "Amara Okafor" })
        #expect(amara.title == "Chief Economist")
        #expect(amara.primaryAffiliation == "Northbridge Institute")
        #expect(result.people.first { $0.name == "Tomás Ferreira" }?.role == .moderator)
    }

    /// Bullets typed into a description after an introduction ending in a colon: items that
    /// open with a name are participants; an agenda's or organisers' bullets are not.
    @Test func pagesWithoutSpeakersYieldNoneAndSaySo() throws {
        let result = try run(page("<p>The exhibition opens on 12 March. Free entry. Sponsored by Northbridge Foundation.</p><ul><li>Opening hours</li><li>Accessibility</li></ul>"))
        #expect(result.people.isEmpty)
        #expect(result.note.hasPrefix("no speakers found"))
    }

    @Test func hostileFieldsAreCleanedOrRejected() throws {
        let hostile = ExtractedPerson(name: "Eve Hacker", title: "<script>alert(1)</script>Director", affiliations: ["\" onmouseover=\"alert(1)"],
                                      bio: "<img src=x onerror=alert(1)>Bio text", photoURL: "javascript:alert(1)", confidence: 0.9, extractor: "cards")
        let cleaned = try RecordValidator.clean(hostile, eventTitle: nil).get()
        #expect(cleaned.title?.contains("<") == false)
        #expect(cleaned.bio?.contains("<img") == false)
        #expect(cleaned.photoURL == nil)
        for bad in ["https://spam.example/x", "a@b.org", String(repeating: "Name ", count: 40), "<b>x</b>"] {
            #expect((try? RecordValidator.clean(ExtractedPerson(name: bad, confidence: 0.9, extractor: "x"), eventTitle: nil).get()) == nil, "\(bad)")
        }
        #expect((try? RecordValidator.clean(ExtractedPerson(name: "Trade Talk", confidence: 0.9, extractor: "x"), eventTitle: "Trade Talk").get()) == nil)
    }

    @Test func recordsOfOnePersonMergeAcrossExtractors() {
        let merged = ExtractionChain.merge([
            ExtractedPerson(name: "Amara Okafor", title: "Chief Economist", role: .speaker, confidence: 0.8, extractor: "cards"),
            ExtractedPerson(name: "A. Okafor", affiliations: ["Northbridge Institute"], role: .moderator, confidence: 0.7, extractor: "sections"),
            ExtractedPerson(name: "Amara Okafor", role: .speaker, bio: "Longer bio text here.", confidence: 0.95, extractor: "json-ld"),
        ], threshold: 0.5, eventTitle: nil, contributions: [:])
        #expect(merged.people.count == 1)
        let person = merged.people[0]
        #expect(person.name == "Amara Okafor")
        #expect(person.title == "Chief Economist")
        #expect(person.primaryAffiliation == "Northbridge Institute")
        #expect(person.role == .moderator)
        #expect(person.confidence > 0.95)
    }
}

@Suite("Record cleaning and links")
struct RecordCleaningTests {
    @Test func roleWordsAndSentenceFragmentsAreNotAffiliations() throws {
        let person = ExtractedPerson(name: "Grace Mwangi", affiliations: ["Speaker", "and", "this evening", "Savanna Water Alliance", "東京大学", "MIT"],
                                     confidence: 0.9, extractor: "test")
        let cleaned = try RecordValidator.clean(person, eventTitle: nil).get()
        #expect(cleaned.affiliations == ["Savanna Water Alliance", "東京大学", "MIT"])
    }

    /// Details split in the wrong place restate the name or keep a stray parenthesis; one
    /// line read into both fields is kept once, as the organisation.
    @Test func detailsLoseTheNameInFrontStrayParenthesesAndADuplicateTitle() throws {
        func cleaned(title: String?, organisation: String?) throws -> (String?, String?) {
            let person = try RecordValidator.clean(ExtractedPerson(name: "Adam Roe", title: title, affiliations: organisation.map { [$0] } ?? [],
                                                                   confidence: 0.9, extractor: "cards"), eventTitle: nil).get()
            return (person.title, person.primaryAffiliation)
        }
        #expect(try cleaned(title: "Talks about data", organisation: "Adam Roe (Example Foundation") == ("Talks about data", "Example Foundation"))
        #expect(try cleaned(title: "(Example Foundation)", organisation: "Example Foundation") == (nil, "Example Foundation"))
        #expect(try cleaned(title: "Progressive Web Apps", organisation: "Progressive Web Apps") == (nil, "Progressive Web Apps"))
        #expect(try cleaned(title: "Adam Roe, Chief Economist", organisation: nil) == ("Chief Economist", nil))
        // Parentheses that belong to the detail stay.
        #expect(try cleaned(title: "Director (acting)", organisation: "Atlântica Urban Studio (Lisboa)") == ("Director (acting)", "Atlântica Urban Studio (Lisboa)"))
        // A detail that only starts like the name is left alone.
        #expect(try cleaned(title: nil, organisation: "Adam Roes Foundation") == (nil, "Adam Roes Foundation"))
    }

    @Test func aLinkBackIntoTheEventSiteIsNotAWebsite() {
        var links = ProfileLinks()
        links.add("https://forum.example.org/speakers.html#grace", pageHost: "forum.example.org")
        #expect(links.website == nil)
        links.add("https://gracemwangi.example.net/", pageHost: "forum.example.org")
        #expect(links.website == "https://gracemwangi.example.net/")
    }
}

@Suite("Eval: wrong merges")
struct EvalWrongMergeTests {
    @Test func aMergeOfTwoTruthPeopleIsCountedAndNothingElse() {
        let truth: [String: Any] = ["speakers": [["name": "Jane Doe"], ["name": "John Roe", "full_public_name": "Dr. John Roe"]]]
        #expect(EvalScorer.wrongMerges([("Jane Doe", "John Roe")], truth: truth) == 1)
        #expect(EvalScorer.wrongMerges([("Jane Doe", "Jane Doe"), ("Jane Doe", "Someone Else"), ("John Roe", "Dr. John Roe")], truth: truth) == 0)
    }
}

@Suite("Name headings with bios, and labels")
struct HeadingBioAndLabelTests {
    func people(_ html: String, methods: ExtractionMethods = .all) throws -> [ExtractedPerson] {
        let url = URL(string: "https://events.example.org/2024/talk.html")!
        let document = try HTMLDocument(html: html, url: url)
        return ExtractionChain.offline(methods: methods).run(ExtractionInput(document: document, url: url, language: "en", eventTitle: "The talk")).people
    }

    @Test func aNameHeadingFollowedByItsBioIsASpeaker() throws {
        let html = page("""
            <p>How cities adapt to heat, and what it costs, with case studies from three continents and time for questions.</p>
            <h3>Ingrid Solberg</h3>
            <p>Ingrid Solberg is a senior scientist at the Fjord Policy Centre, where she leads work on urban heat and public health.</p>
            <h3>Climate Futures</h3>
            <p>The series brings researchers and city officials together every month to discuss what adaptation means in practice.</p>
            <p><strong>Rahul Mehta</strong></p>
            <p>He teaches constitutional law and has advised three city governments on emergency powers during heat waves.</p>
            <h3>Tomás Ferreira</h3>
            <p>The venue is ten minutes from the station; doors open at half past six and the talk starts at seven.</p>
            """)
        let found = try people(html)
        #expect(found.map(\.name).sorted() == ["Ingrid Solberg", "Rahul Mehta"])
        let ingrid = try #require(found.first { $0.name == "Ingrid Solberg" })
        #expect(ingrid.title == "Senior scientist")
        #expect(ingrid.primaryAffiliation == "Fjord Policy Centre")
        #expect(ingrid.bio?.hasPrefix("Ingrid Solberg is a senior scientist") == true)
        // Switched off, a bold name over a bio that starts "He…" has no rule that finds it
        // (the heading over its bio is still read as a card, whose bio gives the title).
        let without = try people(html, methods: ExtractionMethods.all.subtracting(.headingBio))
        #expect(without.map(\.name) == ["Ingrid Solberg"])
        #expect(without.first?.title == "Senior scientist")
    }

    @Test func byLinesNameTheSpeakerInSeveralLanguages() throws {
        let html = page("""
            <p>Our next meetup:<br/>➡️ **Models that ship: from notebook to service**<br/>**Por:** Lucía Fernández<br/>**Descripción:** Una charla práctica.</p>
            <p>Second talk: <em>Testing data pipelines</em><br/>By: Tomás Ferreira, Halvorsen Lab</p>
            <ul><li><b>Quem</b>: Flavio Abdenur</li><li><b>Onde</b>: Sala 317</li><li><b>Quando</b>: 26 de Março às 16:00h</li></ul>
            """)
        let found = try people(html)
        #expect(found.map(\.name).sorted() == ["Flavio Abdenur", "Lucía Fernández", "Tomás Ferreira"])
        #expect(found.first { $0.name == "Tomás Ferreira" }?.primaryAffiliation == "Halvorsen Lab")
    }

    @Test func aCardWithOnlyABioTakesItsTitleFromTheBio() throws {
        let html = page("""
            <div class="speaker"><div class="speaker-name"><span class="first">Mira</span> <span class="last">Okonjo</span></div>
            <div class="speaker-profile"><p>Mira Okonjo is the Community Lead and QA Engineer at Lantern Studios.</p></div></div>
            """)
        let mira = try #require(try people(html).first)
        #expect(mira.name == "Mira Okonjo")
        #expect(mira.title == "Community Lead and QA Engineer")
        #expect(mira.primaryAffiliation == "Lantern Studios")
    }

    @Test func detailsFromStructureWinOverDetailsFromProse() {
        let records = [
            ExtractedPerson(name: "Ada Lovelace", title: "Lead of the analytical engine project", affiliations: ["the Engine Society"],
                            confidence: 0.62, extractor: "heading-bio"),
            ExtractedPerson(name: "Ada Lovelace", title: "Mathematician", affiliations: ["Analytical Engines Ltd"], confidence: 0.6, extractor: "template"),
        ]
        let merged = ExtractionChain.merge(records, threshold: 0.56, eventTitle: nil, contributions: [:])
        #expect(merged.people.map(\.title) == ["Mathematician"])
        #expect(merged.people.map(\.primaryAffiliation) == ["Analytical Engines Ltd"])
        // A part of the name shown on its own line is neither title nor organisation.
        let parts = ExtractionChain.merge([ExtractedPerson(name: "Aimee Quesada", title: "Aimee", affiliations: ["Quesada"], confidence: 0.8, extractor: "cards")],
                                          threshold: 0.56, eventTitle: nil, contributions: [:])
        #expect(parts.people.first?.title == nil)
        #expect(parts.people.first?.affiliations == [])
        // Prose still fills what structure leaves empty.
        let alone = ExtractionChain.merge([records[0], ExtractedPerson(name: "Ada Lovelace", confidence: 0.6, extractor: "template")],
                                          threshold: 0.56, eventTitle: nil, contributions: [:])
        #expect(alone.people.map(\.primaryAffiliation) == ["the Engine Society"])
    }

    @Test func labelsAreNeverPeopleInAnyLanguage() throws {
        for label in ["Organization", "Event Organizer", "Lieu", "Ponentes", "Veranstalter", "Contact Person", "Venue & Directions"] {
            #expect(StructureWords.isStructure(label), "\(label)")
        }
        for name in ["Ada Lovelace", "Grace Hopper", "Jean Lieu-Martin"] {
            #expect(!StructureWords.isStructure(name), "\(name)")
        }
        let records = ["Organization", "Ada Lovelace"].map { ExtractedPerson(name: $0, confidence: 0.9, extractor: "cards") }
        let merged = ExtractionChain.merge(records, threshold: 0.56, eventTitle: nil, contributions: [:])
        #expect(merged.people.map(\.name) == ["Ada Lovelace"])
        #expect(merged.rejected.contains { $0.hasPrefix("Organization: name is a label") })
        let unfiltered = ExtractionChain.merge(records, threshold: 0.56, eventTitle: nil, contributions: [:], labelFilter: false)
        #expect(unfiltered.people.count == 2)
    }

    /// A programme page: each session's people open a line, then its title; or a line of
    /// only people sits under the session's title. Nothing says "Speakers".
    @Test func programmeLinesNameEachSessionsPeopleAndTheirOrganisations() throws {
        let html = page("""
            <section><h3>13:30</h3><h4>Team culture</h4><ul>
            <li><details><summary>Kalani Tovar
                 (make-work-flow.org): Where communication becomes visible<a href="/s.pdf"><img src="/p.svg" alt="pdf slides"></a></summary>
                 <p>How teams are put together shapes what they make.</p></details></li>
            <li><details><summary>Ilse Brandvold (Quayline) and Marit Sundqvist: Three cultures – how teams interact (with apologies)</summary>
                 <p>A talk in two parts.</p></details></li></ul></section>
            <section><h3>15:30</h3><h4>Tools for councils: two cases</h4>
            <p>Nathanael Philippsen
                 (Saxon Academy of Sciences),
                 Dr. Corinna Blankenfeld
                 (Bach Archive) und Wolfram Ensslin (Saxon Academy of Sciences)<br><p>Discover with us what tools can do.</p></section>
            <section><h3>17:00</h3><h4>Part 2: Results (draft)</h4>
            <p>Python (programming language): an overview of the basics</p><p>Data Science (Leipzig)</p>
            <p>Keynote (main hall): Opening of the week</p><p>Kenji Moribe (JPN)</p></section>
            <dl><dt>Chair</dt><dd>Dr. Grace Adebayo (Chair, Gulf of Guinea Fiscal Board)</dd></dl>
            <h2>Next seminars</h2><p>April 13, 2021, 12:00-14:00, room online<br>
            <a href="https://example.org/team">Christa Tuffield and Grazia Nicolai</a> (Inrap, Louvre Museum)<br>
            <b>Title:</b> <i>Heritage and digital humanities</i><br><b>Abstract:</b> \(String(repeating: "A long abstract about heritage. ", count: 80))</p>
            <p>June 4, 2020, <a href="https://example.org/">Saskia Franssen &amp; Leonard Impetto</a> (Max Planck Institute for Art History)<br>
            <b>Title:</b> <i>Print, code, data</i></p>
            <h2>Scientific Committee</h2><ul><li>Helena Roebuck (Eastbank University)</li><li>Thomas Ellery (Harbour Trust)</li></ul>
            """)
        let people = BylineExtractor().extract(ExtractionInput(document: try HTMLDocument(html: html, url: nil),
                                                               url: URL(string: "https://events.example.org/day1/hall.html")!, language: "en", eventTitle: nil))
        #expect(people.map(\.name) == ["Kalani Tovar", "Ilse Brandvold", "Marit Sundqvist", "Nathanael Philippsen", "Corinna Blankenfeld", "Wolfram Ensslin",
                                       "Grace Adebayo", "Christa Tuffield", "Grazia Nicolai", "Saskia Franssen", "Leonard Impetto"])
        #expect(people.map(\.primaryAffiliation) == ["make-work-flow.org", "Quayline", nil, "Saxon Academy of Sciences", "Bach Archive", "Saxon Academy of Sciences",
                                                     "Gulf of Guinea Fiscal Board", nil, "Inrap, Louvre Museum", nil, "Max Planck Institute for Art History"])
        #expect(people.first { $0.name == "Grace Adebayo" }?.title == "Chair")
        // The chain keeps them when the method is switched on (it is opt-in), and not without it.
        let document = try HTMLDocument(html: html, url: nil)
        let with = ExtractionChain.offline(methods: try ExtractionMethods.defaults(with: "bylines"))
            .run(ExtractionInput(document: document, url: URL(string: "https://events.example.org/day1/hall.html")!, language: "en", eventTitle: nil))
        let names = Set(with.people.map(\.name))
        #expect(names.isSuperset(of: ["Kalani Tovar", "Marit Sundqvist", "Nathanael Philippsen", "Wolfram Ensslin"]), "\(names)")
        #expect(!names.contains("Python") && !names.contains("Data Science"))
        let without = ExtractionChain.offline(methods: try ExtractionMethods.defaults())
            .run(ExtractionInput(document: document, url: URL(string: "https://events.example.org/day1/hall.html")!, language: "en", eventTitle: nil))
        #expect(!without.people.map(\.name).contains("Nathanael Philippsen"), "without the method the line of people is missed")
    }
}
