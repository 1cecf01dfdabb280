@testable import Identity
import Testing

@Suite("Pair scoring rules")
struct PairScorerTests {
    let scorer = PairScorer()

    @Test func aTitleThatNamesTheOtherOrganisationIsEvidence() {
        let a = IdentityRecord(id: 1, name: "Grace Mwangi", title: "Executive Director of the Savanna Water Alliance")
        let b = IdentityRecord(id: 2, name: "Grace Mwangi", title: "Executive Director", affiliation: "Savanna Water Alliance")
        let score = scorer.score(a, b)
        #expect(score.decision() == .merge, "\(score.reasons)")
        #expect(score.reasons.contains("+2.2 a title names the other's organisation"))
    }

    @Test func handlesMustResembleTheName() {
        #expect(scorer.nameRelation(NameParts("@janedoe"), NameParts("Jane Doe")) == .handle)
        #expect(scorer.nameRelation(NameParts("sva"), NameParts("Rumesh Hapuarachchi")) == .different)
    }

    @Test func templateBiosAreNotEvidence() {
        // The benchmark's synthetic bios: one template, different topics.
        let a = IdentityRecord(id: 1, name: "Ana Lin", bio: "Works on climate, finance and trade policy; previously advised on energy.")
        let b = IdentityRecord(id: 2, name: "Ana Lin", bio: "Works on housing, water and media policy; previously advised on health.")
        #expect(!scorer.score(a, b).reasons.contains("+1.0 similar bios"))
        let long = "Amara leads the trade programme, advises central banks across West Africa on currency unions, and writes a weekly column on sovereign debt."
        let c = IdentityRecord(id: 3, name: "Amara Okafor", bio: long), d = IdentityRecord(id: 4, name: "Amara Okafor", bio: long + " She lives in Accra.")
        #expect(scorer.score(c, d).reasons.contains("+1.0 similar bios"))
    }

    @Test func profileKeysTellPeopleFromOrganisationsAndPages() {
        #expect(PairScorer.profileKey("https://github.com/aselle") == "github:aselle")
        #expect(PairScorer.profileKey("https://github.com/organizations/OpenVillage") == nil)
        #expect(PairScorer.profileKey("https://github.com/orgs/forum/people") == nil)
        #expect(PairScorer.profileKey("https://www.linkedin.com/in/Amara/") == "linkedin:in/amara")
        #expect(PairScorer.profileKey("https://forum.example.org/speakers.html#amara") != PairScorer.profileKey("https://forum.example.org/speakers.html#omar"))
    }
}
