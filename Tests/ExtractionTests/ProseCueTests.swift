import Extraction
import Foundation
import HTMLParsing
import SpeakerCore
import Testing

/// The `prose-cues` method: participation cues in prose beyond the English trigger phrases.
/// Every page here is made up.
@Suite("Prose cues in five languages")
struct ProseCueTests {
    func people(_ body: String, language: String = "es", methods: ExtractionMethods = .all) throws -> [ExtractedPerson] {
        let url = URL(string: "https://events.example.org/2024/charla.html")!
        let html = "<html lang=\"\(language)\"><head><title>Charla</title></head><body><main><h1>Charla</h1>\(body)</main></body></html>"
        let document = try HTMLDocument(html: html, url: url)
        return ExtractionChain.offline(methods: methods).run(ExtractionInput(document: document, url: url, language: language, eventTitle: "Charla")).people
    }

    @Test func aSpanishSubjectWithTitleAndCompanyAndAVerbIsASpeaker() throws {
        let body = "<p>Luego tendremos tres presentaciones.</p><p>Tomás Ibarra CTO de Brillante explicará cómo su equipo etiqueta imágenes médicas.</p>"
        let found = try people(body)
        let tomas = try #require(found.first { $0.name == "Tomás Ibarra" })
        #expect(tomas.title == "CTO")
        #expect(tomas.primaryAffiliation == "Brillante")
        #expect(try people(body, methods: ExtractionMethods.all.subtracting(.proseCues)).isEmpty, "without the method nobody is found")
    }

    @Test func triggersInSpanishPortugueseGermanAndFrench() throws {
        let cases: [(String, String, String)] = [
            ("es", "<p>Una charla a cargo de Elena Robles, cofundadora de Nubeclara, sobre datos abiertos.</p>", "Elena Robles"),
            ("pt", "<p>Uma palestra sobre mapas ministrada por Beatriz Almeida no auditório.</p>", "Beatriz Almeida"),
            ("de", "<p>Ein Abend über Stadtklima, vorgestellt von Martina Keller.</p>", "Martina Keller"),
            ("fr", "<p>Une conférence sur les archives, présentée par Claire Dubois.</p>", "Claire Dubois"),
        ]
        for (language, body, name) in cases {
            let found = try people(body, language: language)
            #expect(found.map(\.name) == [name], "\(language): \(found.map(\.name))")
        }
        let elena = try #require(try people(cases[0].1).first)
        #expect(elena.title == "cofundadora")
        #expect(elena.primaryAffiliation == "Nubeclara")
    }

    @Test func aParticipantNounNamesThePeopleAfterIt() throws {
        let found = try people("""
            <p>New works for strings and voice, played by violinist MARGARET OLSEN and performers Julia Brandt (voice and electronics) and David Chen (piano), with lighting by Sam Ortiz.</p>
            """, language: "en")
        #expect(found.map(\.name).sorted() == ["David Chen", "Julia Brandt", "MARGARET OLSEN"])
        #expect(found.allSatisfy { $0.role == .performer })
        // What sits in the parentheses is an instrument, not an organisation.
        #expect(found.first { $0.name == "Julia Brandt" }?.affiliations == [])
    }

    @Test func aNounFollowedByOtherWordsNamesNobody() throws {
        let found = try people("""
            <p>A speaker from industry and the speaker of the house committee will be announced. Our loudspeaker Maria Lopez edition sold out.</p>
            """, language: "en")
        #expect(found.isEmpty, "\(found.map(\.name))")
    }

    @Test func anApposedNameKeepsOnlyWhatReadsAsATitle() throws {
        let found = try people("<p>Nuestro ponente, Manuel Herrera, ha trabajado cuatro años en Nueva York para varias empresas.</p>")
        let manuel = try #require(found.first { $0.name == "Manuel Herrera" })
        #expect(manuel.title == nil)
        #expect(manuel.affiliations.isEmpty, "\(manuel.affiliations)")
    }

    @Test func bulletsInOneParagraphCountWhenTheLineBeforeSaysTheyAreParticipants() throws {
        let listed = try people("""
            <p>En esta charla participarán las expertas: • Lucía Ferrer: ingeniera en Ondaverde. • Pablo Ortega, periodista.</p>
            """)
        #expect(listed.map(\.name).sorted() == ["Lucía Ferrer", "Pablo Ortega"])
        let notIntroduced = try people("<p>Ganadores de ediciones anteriores: • Lucía Ferrer • Pablo Ortega</p>")
        #expect(notIntroduced.isEmpty, "\(notIntroduced.map(\.name))")
    }

    @Test func aProgrammeLineEndingInByAndANameIsASpeakerButACreditIsNot() throws {
        let found = try people("""
            <p>AGENDA<br>* 10:00 / Bienvenida.<br>* 10:10 / Caché en Python: bueno y barato por Lucía Ferrer<br>* 10:40 / Microservicios con FastAPI, por Pablo Ortega.<br>Foto por Andrea Gil<br>* 11:30 / Pizza.</p>
            """)
        #expect(found.map(\.name).sorted() == ["Lucía Ferrer", "Pablo Ortega"])
        #expect(found.allSatisfy { $0.title == nil })
        let english = try people("<p>Keynote: why maps lie, by Margaret Olsen<br>Photo by David Chen<br>Powered by Jekyll Pages</p>", language: "en")
        #expect(english.map(\.name) == ["Margaret Olsen"])
    }

    @Test func theMethodIsOnByDefaultAndSwitchesLikeTheOthers() throws {
        #expect(ExtractionMethods.defaults.contains(.proseCues), "on by default since it measured no cost on the validation split")
        // Every method but programme lines, which cost the validation split and wait, opt-in.
        let defaults = ExtractionMethods.all.subtracting(.bylines)
        #expect(ExtractionMethods.defaults == defaults)
        #expect(try ExtractionMethods.defaults(with: "bylines") == ExtractionMethods.all)
        #expect(try ExtractionMethods.defaults(without: "prose-cues") == defaults.subtracting(.proseCues))
        #expect(try ExtractionMethods.defaults(with: "prose-cues", without: "heading-bio") == defaults.subtracting(.headingBio))
        #expect(try ExtractionMethods.defaults(with: "", without: "prose-cues,heading-bio") == defaults.subtracting([.proseCues, .headingBio]))
        #expect(throws: ExtractionMethods.UnknownMethod.self) { try ExtractionMethods.defaults(with: "telepathy") }
    }

    @Test func listItemsSplitAtConjunctionsOutsideParentheses() {
        #expect(FreeTextExtractor.listItems("Ana Ruiz (voice and piano) and Jo Lee") == ["Ana Ruiz (voice and piano)", "Jo Lee"])
        #expect(FreeTextExtractor.listItems("Kei Ono, Mia Sato, and Ren Ito") == ["Kei Ono", "Mia Sato", "Ren Ito"])
        #expect(FreeTextExtractor.listItems("Jane Doe, CEO of Acme y Pablo Ortega") == ["Jane Doe, CEO of Acme", "Pablo Ortega"])
    }
}
