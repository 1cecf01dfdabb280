import Foundation
import Search
import SpeakerCore
import Testing

/// The offline request parser, one constraint type at a time, then whole requests.
@Suite("Request parser")
struct RequestParserTests {
    let parser = RequestParser(today: LocalDate(year: 2026, month: 11, day: 29)!)

    func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test func theIssuesExampleIsReadWhole() {
        let r = parser.parse("3 speakers on the Chinese economy, ideally women based in Europe")
        #expect(r.count == 3)
        #expect(r.topic == "Chinese economy", "a demonym before a thing is part of the topic")
        #expect(r.locations.count == 1)
        #expect(r.locations[0].value.place.kind == .region)
        #expect(r.locations[0].value.place.label == "Europe")
        #expect(r.locations[0].value.place.countries.contains("DE") && r.locations[0].value.place.countries.contains("PL"))
        #expect(!r.locations[0].value.place.countries.contains("CN"))
        #expect(r.locations[0].value.scope == .based)
        #expect(r.locations[0].strength == .preferred)
        #expect(r.genders.map(\.value) == ["woman"])
        #expect(r.genders[0].strength == .preferred)
        #expect(r.languages.isEmpty && r.roles.isEmpty && r.dates == nil && r.affiliations.isEmpty)
    }

    @Test func counts() {
        #expect(parser.parse("5 experts on water").count == 5)
        #expect(parser.parse("five experts on water").count == 5)
        #expect(parser.parse("a few moderators on housing").count == 3)
        #expect(parser.parse("a couple of economists").count == 2)
        #expect(parser.parse("top 4 on tax").count == 4)
        #expect(parser.parse("speakers on water").count == nil)
        // A year is a date, not a count; a number not about people is not a count.
        #expect(parser.parse("2023 speakers on water").count == nil)
        #expect(parser.parse("the 2 degree target").count == nil)
    }

    @Test func placesAreNormalisedToISOCodesAndRegions() throws {
        let city = try #require(parser.parse("speakers based in Nairobi on water").locations.first)
        #expect(city.value.place.kind == .city && city.value.place.countries == ["KE"] && city.value.place.city == "Nairobi")
        #expect(city.value.scope == .based && city.strength == .required)
        let country = try #require(parser.parse("climate experts from Kenya").locations.first)
        #expect(country.value.place.kind == .country && country.value.place.countries == ["KE"] && country.value.scope == .based)
        let hyphen = try #require(parser.parse("Berlin-based economists").locations.first)
        #expect(hyphen.value.place.countries == ["DE"] && hyphen.value.scope == .based)
        let demonym = parser.parse("Kenyan economists on trade")
        #expect(demonym.locations.first?.value.place.countries == ["KE"])
        #expect(demonym.topic == "economists on trade" || demonym.topic == "economists trade", "\(demonym.topic)")
        let region = try #require(parser.parse("African women in finance").locations.first)
        #expect(region.value.place.kind == .region && region.value.place.countries.contains("NG"))
        let southeast = try #require(parser.parse("experts on shipping based in Southeast Asia").locations.first)
        #expect(Set(southeast.value.place.countries).isSuperset(of: ["SG", "MY", "ID", "VN"]) && !southeast.value.place.countries.contains("CN"))
        // Where they spoke, not where they live.
        let spoke = try #require(parser.parse("moderators who talked about water in Nairobi").locations.first)
        #expect(spoke.value.scope == .events && spoke.value.place.city == "Nairobi")
        // Plain "in": either.
        #expect(parser.parse("speakers in Singapore on urban heat").locations.first?.value.scope == .either)
        // A place word that is the topic stays in the topic.
        let topic = parser.parse("the Chinese economy")
        #expect(topic.locations.isEmpty && topic.topic == "Chinese economy")
        #expect(parser.parse("experts on Kenya").locations.isEmpty)
    }

    @Test func languages() throws {
        let mandarin = parser.parse("climate finance experts who speak Mandarin")
        #expect(mandarin.languages.map(\.value.code) == ["zh"])
        #expect(mandarin.topic == "climate finance", "\(mandarin.topic)")
        #expect(parser.parse("Japanese-speaking experts on disaster resilience").languages.map(\.value.code) == ["ja"])
        #expect(parser.parse("someone fluent in Arabic").languages.map(\.value.code) == ["ar"])
        #expect(parser.parse("a talk in French on cities").languages.map(\.value.code) == ["fr"])
        #expect(parser.parse("Swahili speakers on farming").languages.map(\.value.code) == ["sw"])
        let both = parser.parse("economists who speak Spanish and Portuguese")
        #expect(both.languages.map(\.value.code) == ["es", "pt"] && !both.languagesAny)
        let either = parser.parse("economists who speak Spanish or Portuguese")
        #expect(either.languagesAny)
        // "in France" is a place, not a language.
        let france = parser.parse("speakers in France on wine")
        #expect(france.languages.isEmpty && france.locations.first?.value.place.countries == ["FR"])
    }

    @Test func roles() {
        #expect(parser.parse("moderators for a panel on technology").roles.map(\.value) == [.moderator])
        #expect(parser.parse("keynote speakers on climate finance").roles.map(\.value) == [.keynote])
        #expect(parser.parse("panelists who discussed housing").roles.map(\.value) == [.panelist])
        #expect(parser.parse("who chaired a session on tax").roles.map(\.value) == [.moderator])
        // A title, not a role.
        #expect(parser.parse("chair of the board of a bank").roles.isEmpty)
    }

    @Test func dateRanges() throws {
        let year = try #require(parser.parse("experts on energy who spoke in 2025").dates)
        #expect(year.value == DateRange(from: d("2025-01-01"), to: d("2025-12-31")))
        #expect(parser.parse("tax experts who spoke before 2023").dates?.value == DateRange(from: nil, to: d("2022-12-31")))
        #expect(parser.parse("water since 2022").dates?.value == DateRange(from: d("2022-01-01"), to: nil))
        #expect(parser.parse("water after 2022").dates?.value == DateRange(from: d("2023-01-01"), to: nil))
        #expect(parser.parse("water between 2021 and 2023").dates?.value == DateRange(from: d("2021-01-01"), to: d("2023-12-31")))
        #expect(parser.parse("water 2021-2023").dates?.value == DateRange(from: d("2021-01-01"), to: d("2023-12-31")))
        #expect(parser.parse("water in March 2024").dates?.value == DateRange(from: d("2024-03-01"), to: d("2024-03-31")))
        #expect(parser.parse("water last year").dates?.value == DateRange(from: d("2025-01-01"), to: d("2025-12-31")))
        #expect(parser.parse("water this year").dates?.value == DateRange(from: d("2026-01-01"), to: d("2026-12-31")))
        #expect(parser.parse("water in the past 2 years").dates?.value == DateRange(from: d("2024-11-29"), to: d("2026-11-29")))
        #expect(parser.parse("water recently").dates?.value == DateRange(from: d("2024-11-29"), to: d("2026-11-29")))
        #expect(parser.parse("water in the past 2 years").topic == "water")
    }

    @Test func affiliations() {
        let r = parser.parse("someone from Meridian Forum on development finance")
        #expect(r.affiliations.map(\.value) == ["Meridian Forum"])
        #expect(r.topic == "development finance")
        #expect(parser.parse("economists at the World Bank").affiliations.map(\.value) == ["World Bank"])
        #expect(parser.parse("researchers working at London School of Economics").affiliations.map(\.value) == ["London School of Economics"])
        // A capitalised place after "from" is a place.
        #expect(parser.parse("speakers from Brazil").affiliations.isEmpty)
    }

    @Test func genders() {
        #expect(parser.parse("women economists").genders.map(\.value) == ["woman"])
        #expect(parser.parse("male panelists").genders.map(\.value) == ["man"])
    }

    @Test func mustAndIdeally() {
        let r = parser.parse("energy experts who must speak German, ideally based in Berlin")
        #expect(r.languages.first?.strength == .required)
        #expect(r.locations.first?.strength == .preferred)
        let suffix = parser.parse("water experts, moderators if possible")
        #expect(suffix.roles.first?.strength == .preferred)
        let reset = parser.parse("Ideally moderators. Based in Kenya.")
        #expect(reset.roles.first?.strength == .preferred && reset.locations.first?.strength == .required, "a sentence ends a qualifier")
        #expect(parser.parse("we need 3 speakers on tax").count == 3)
        #expect(parser.parse("we prefer keynotes on tax").roles.first?.strength == .preferred)
    }

    @Test func plainQueriesAreLeftAlone() {
        for query in ["Amara Okafor", "okafor", "central bank independence", "Halvorsen Climate Lab", "blue carbon and kelp"] {
            let r = parser.parse(query)
            #expect(!r.hasConstraints && r.count == nil, "\(query)")
            #expect(r.topic.lowercased() == query.lowercased(), "\(query) → \(r.topic)")
        }
    }

    @Test func hostileInputParsesToSomethingHarmless() {
        for query in ["", "   ", ",,,;;", "<script>alert(1)</script> in 2024", String(repeating: "in ", count: 3000), "speak speak speak", "from", "between 2024 and",
                      "\u{0}\u{1}", "🙂 experts"] {
            let r = parser.parse(query)
            #expect(r.query == query)
        }
        #expect(parser.parse("<script>alert(1)</script>").topic.contains("script"))
    }
}

@Suite("Gazetteer")
struct GazetteerTests {
    let g = Gazetteer.shared

    @Test func freeTextLocationsResolveToTheMostSpecificPlace() {
        #expect(g.resolve(location: "London, GB")?.city == "London")
        #expect(g.resolve(location: "Berlin, DE")?.countries == ["DE"])
        #expect(g.resolve(location: "Meridian House, 14 Carrow Street, London")?.city == "London")
        #expect(g.resolve(location: "Nairobi")?.countries == ["KE"])
        // The country decides between two cities of one name.
        let paris = g.resolve(location: "Paris, US")
        #expect(paris?.countries == ["US"] && paris?.kind == .country)
        #expect(g.resolve(location: "notice") == nil)
        #expect(g.resolve(location: "") == nil)
    }

    @Test func chineseJapaneseAndKoreanPlaceNamesAreFoundInsideText() {
        #expect(g.resolve(location: "青葉ホール（東京都千代田区内幸町2-1-8）")?.city == "Tokyo")
        #expect(g.resolve(location: "京都市左京区")?.city == "Kyoto", "Kyoto is not Tokyo although 京都 is inside 東京都")
        #expect(g.resolve(location: "北京市朝阳区建国路")?.city == "Beijing")
        #expect(g.resolve(location: "서울특별시 중구")?.city == "Seoul")
        #expect(g.resolve(location: "日本のどこか")?.countries == ["JP"])
    }

    @Test func regionsAndLanguages() throws {
        let europe = try #require(g.place("Europe"))
        #expect(europe.kind == .region && europe.countries.contains("PL") && !europe.countries.contains("CN"))
        #expect(g.place("Southeast Asia")?.countries.contains("VN") == true)
        #expect(g.language("Mandarin")?.code == "zh" && g.language("farsi")?.code == "fa")
        #expect(g.language(code: "pt-BR")?.code == "pt")
        #expect(g.language(code: "Klingon") == nil && g.language(code: "xx") == nil)
    }
}
