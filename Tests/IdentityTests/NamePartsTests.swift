import Identity
import Testing

@Suite("Names and organisations for matching")
struct NamePartsTests {
    @Test("honorifics go only where they are titles", arguments: [
        ("Dr. Jane Doe", ["jane", "doe"]), ("The Hon. Jane Doe", ["jane", "doe"]), ("H.E. Amara Okafor", ["amara", "okafor"]),
        ("Prof Dr Hans Müller", ["hans", "muller"]), ("Dr. Doe", ["doe"]),
        ("Hon Lam", ["hon", "lam"]), ("Lady Gaga", ["lady", "gaga"]), ("Dragon Ball", ["dragon", "ball"]),
        ("Jane Doe, PhD", ["jane", "doe"]), ("Sir Keir Starmer KCB", ["keir", "starmer"]), ("Okafor, Amara", ["amara", "okafor"]),
    ])
    func honorifics(name: String, tokens: [String]) {
        #expect(NameParts(name).tokens == tokens)
    }

    @Test func familyNamesAndOrders() {
        #expect(NameParts("Ludwig van der Berg").family == "van der berg")
        #expect(NameParts("山田花子").family == "山田")
        #expect(NameParts("山田 花子").tokens == NameParts("山田花子").tokens)
        #expect(NameParts("Martin Luther King Jr.").generation == "jr")
        #expect(NameParts("@janedoe").isHandle)
        #expect(NameParts("José Núñez").tokens == ["jose", "nunez"], "accents fold for matching")
    }

    @Test func organisations() {
        let matcher = AffiliationMatcher(aliases: ["Wexmoor Inst.": "Wexmoor Institute"])
        #expect(matcher.similarity("NYU", "New York University")! >= 0.95)
        #expect(matcher.similarity("Council on Foreign Relations", "CFR")! >= 0.95)
        #expect(matcher.similarity("University of Wexmoor", "Wexmoor University")! >= 0.95)
        #expect(matcher.similarity("Acme GmbH", "Acme")! == 1)
        #expect(matcher.similarity("Wexmoor Inst.", "Wexmoor Institute")! == 1, "the editable alias table")
        #expect(matcher.similarity("Department of Economics, Stanford University", "Stanford University")! >= 0.95)
        #expect(matcher.similarity("Columbia University", "Stanford University")! == 0)
        #expect(matcher.similarity("St. Aldric's Hospital, Dublin", "St. Aldric's Hospital, Boston")! < 0.5)
        #expect(matcher.similarity("Acme", nil) == nil)
    }
}
