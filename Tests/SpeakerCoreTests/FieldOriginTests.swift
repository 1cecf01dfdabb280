import SpeakerCore
import Testing

@Suite("Field origin precedence")
struct FieldOriginTests {
    @Test func oneTableOrdersEveryOrigin() {
        #expect(FieldOrigin.user.rank < FieldOrigin.page.rank)
        #expect(Set([FieldOrigin.page, .structured, .import].map(\.rank)).count == 1, "a page, its structured data and an import rank alike")
        #expect(FieldOrigin.page.rank < FieldOrigin.extractor.rank)
        #expect(FieldOrigin.extractor.rank < FieldOrigin.prose.rank, "a page's structure beats a sentence")
        #expect(FieldOrigin.prose.rank < FieldOrigin.llm.rank && FieldOrigin.llm.rank < FieldOrigin.enrichment.rank)
        #expect(FieldOrigin.rank(of: "something-new") > FieldOrigin.allCases.map(\.rank).max()!)
        #expect(FieldOrigin.rank(of: "import") == FieldOrigin.import.rank)
    }
}
