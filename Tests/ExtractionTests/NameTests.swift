import Names
import Extraction
import SpeakerCore
import Testing

@Suite("Person names")
struct NameTests {
    let detector = PersonNameDetector()
    let lines = PersonLineParser()

    @Test(arguments: ["Amara Okafor", "José Núñez", "Jean-Pierre Dubois", "Mary O'Brien", "Ludwig van Beethoven", "A. Okafor",
                      "Hanako Yamada", "Chinedu Okeke", "Priya Raman", "Lin Wei", "Kuo-Lien Huang", "Ana das Neves", "Des Walsh"])
    func acceptsNamesInSectionContext(_ name: String) {
        #expect(detector.parse(name, context: .section)?.display == name)
    }

    @Test(arguments: ["Northbridge Institute", "Register Now", "Ocean Finance Summit", "Speakers", "Add to calendar", "Media Office",
                      "Halvorsen Climate Lab", "The Future of Work", "Read more", "TBA", "Photo credits", "https://example.org",
                      "jane@example.org", "<b>Jane</b>", "Info", "Henrik Aalto Director", "12345",
                      // Headings of other languages the chain claims: an article never begins a name.
                      "Das Programm", "Unsere Partner", "Les Intervenants", "Die Referentinnen"])
    func rejectsNonNames(_ text: String) {
        #expect(detector.parse(text, context: .section) == nil, "\(text) taken for a name")
    }

    @Test func honorificsAndPostNominalsAreKeptAsData() throws {
        let doctor = try #require(detector.parse("Dr. Amara Okafor, PhD", context: .section))
        #expect(doctor.display == "Amara Okafor")
        #expect(doctor.honorific == "Dr.")
        #expect(doctor.postNominals == ["PhD"])
        let excellency = try #require(detector.parse("H.E. Ambassador Maria Santos", context: .section))
        #expect(excellency.display == "Maria Santos")
        // Spanish "D." (don) before a full name; an initial before a surname stays.
        let don = try #require(detector.parse("D. Miguel Ángel de Prada", context: .section))
        #expect(don.display == "Miguel Ángel de Prada")
        #expect(don.honorific == "D.")
        #expect(detector.parse("D. Bernardino Benito López", context: .section)?.display == "Bernardino Benito López")
        #expect(detector.parse("D. Okafor", context: .section)?.display != "Okafor")
        // Titles that are also words of a name stay.
        #expect(detector.parse("Hon Lam", context: .structured)?.display == "Hon Lam")
        #expect(detector.parse("Lady Gaga", context: .structured)?.display == "Lady Gaga")
        #expect(detector.parse("Herr Flupke", context: .structured)?.display == "Herr Flupke")
    }

    @Test func freeTextNeedsMoreEvidenceThanStructure() {
        #expect(detector.parse("Zyx Qwerty", context: .freeText) == nil)
        #expect(detector.parse("Zyx Qwerty", context: .section) != nil)
        #expect(detector.parse("Amara Okafor", context: .freeText) != nil)
        // A single word is a name only where the page marks it as a person.
        #expect(detector.parse("ijon", context: .section) == nil)
        #expect(detector.parseLinkedName("ijon")?.display == "ijon")
        #expect(detector.parseLinkedName("Daniel Lange (DLange)")?.display == "Daniel Lange (DLange)")
        #expect(detector.parseLinkedName("View profile") == nil)
        #expect(detector.parse("@ReinhardRemfort", context: .card)?.display == "@ReinhardRemfort")
        #expect(detector.parse("@ReinhardRemfort", context: .freeText) == nil)
    }

    @Test func cjkNames() {
        #expect(detector.parse("山田 花子", context: .section)?.display == "山田 花子")
        #expect(detector.parse("田中 恵子（Keiko Tanaka）", context: .card)?.display == "田中 恵子")
        #expect(detector.parse("坪田 朋", context: .structured)?.display == "坪田 朋")
        #expect(detector.parse("株式会社メルカリ", context: .card) == nil)
        #expect(detector.parse("日時", context: .card) == nil)
        #expect(detector.parse("プロダクトマネージャー", context: .structured) == nil)
        #expect(detector.parse("登壇者のご紹介", context: .section) == nil)
    }

    @Test func linesSplitIntoNameTitleAndOrganisation() throws {
        let a = try #require(lines.parse("Dr. Amara Okafor, Chief Economist, Northbridge Institute", context: .section))
        #expect(a.name.display == "Amara Okafor")
        #expect(a.title == "Chief Economist")
        #expect(a.affiliation == "Northbridge Institute")
        let b = try #require(lines.parse("Moderator: Tomás Ferreira – Senior Fellow at Halvorsen Climate Lab", context: .section))
        #expect(b.role == .moderator)
        #expect(b.title == "Senior Fellow")
        #expect(b.affiliation == "Halvorsen Climate Lab")
        let c = try #require(lines.parse("Sophie Marchand (Observatoire Saint-Aubin des Territoires)", context: .section))
        #expect(c.affiliation == "Observatoire Saint-Aubin des Territoires")
        #expect(lines.splitDetails("Software Engineer Apache Software Foundation") == ("Software Engineer", "Apache Software Foundation"))
        #expect(lines.splitDetails("Professor of Economics") == ("Professor of Economics", nil))
        // One word of occupation, then the employer; a title that takes a department stays whole.
        #expect(lines.splitDetails("periodista de Crónica Urbana") == ("periodista", "Crónica Urbana"))
        #expect(lines.splitDetails("CEO of the Harbour Trust") == ("CEO", "Harbour Trust"))
        #expect(lines.splitDetails("Director de Movilidad Urbana") == ("Director de Movilidad Urbana", nil))
        #expect(lines.splitDetails("Head of Engineering") == ("Head of Engineering", nil))
        // Parentheses that belong to the organisation stay; wrapping ones go.
        #expect(lines.splitDetails("Urbanista principal, Atlântica Urban Studio (Lisboa)") == ("Urbanista principal", "Atlântica Urban Studio (Lisboa)"))
        #expect(lines.splitDetails("(Halvorsen Lab)") == (nil, "Halvorsen Lab"))
        #expect(lines.parse("Jane Doe (moderator)", context: .section)?.role == .moderator)
        // A talk title after the organisation's parenthesis is not the person's detail.
        let talk = try #require(lines.parse("Thomas Schmidt (Saxon Ministry for Regional Development): Welcoming address", context: .section))
        #expect(talk.affiliation == "Saxon Ministry for Regional Development")
        #expect(talk.title == nil)
    }
}
