import AsyncHTTPClient
import Crawling
import Extraction
import Identity
import FluentKit
import Foundation
import Embeddings
import Search
import LLM
import Logging
import Pipeline
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor

/// Stores a page as the crawler would and returns its event.
func storePage(_ html: String, url: String, in database: TestDatabase) async throws -> Event {
    _ = try await FrontierRepository(database.db).enqueueEvents([url], sourceID: nil, via: "test")
    let event = try #require(try await Event.query(on: database.db).filter(\.$url == url).first())
    let result = FetchResult(requestedURL: URL(string: url)!, finalURL: URL(string: url)!, status: 200, contentType: "text/html", etag: nil,
                             lastModified: nil, body: Data(html.utf8), text: html, charset: "utf-8", notModified: false, redirects: [],
                             fetcher: "http", duration: .zero)
    try await EventPageStore(database.db).store(result, into: event)
    return try #require(try await Event.find(event.id, on: database.db))
}

let panelPage = page("""
    <h2>Speakers</h2><ul><li>Amara Okafor, Chief Economist, Northbridge Institute</li><li>Tomás Ferreira (Halvorsen Lab)</li></ul>
    <p>With a closing reflection.</p>
    """)

@Suite("Extraction service", .serialized)
struct ExtractionServiceTests {
    @Test func aSentenceNeverReplacesTheOrganisationAPageStructureGave() async throws {
        try await TestDatabase.with { database in
            let listed = try await storePage(panelPage, url: "https://events.example.org/2024/panel", in: database)
            let prose = try await storePage(page("<p>A conversation with Amara Okafor, Director of Harbour Trust, about public debt.</p>"),
                                            url: "https://events.example.org/2025/debt", in: database)
            // The sentence's event is the more recent one, which otherwise decides between equals.
            listed.startsOn = "2024-03-01"
            try await listed.save(on: database.db)
            prose.startsOn = "2025-06-01"
            try await prose.save(on: database.db)
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            _ = await service.extract(try #require(try await Event.find(listed.id, on: database.db)))
            _ = await service.extract(try #require(try await Event.find(prose.id, on: database.db)))
            // Two organisations, two records at first; the person is one once they are merged.
            let records = try await Speaker.query(on: database.db).filter(\.$name == "Amara Okafor").sort(\.$id).all()
            if records.count == 2 {
                _ = try await SpeakerResolver(storage: database.context, logger: Logger(label: "test")).merge(keep: records[0].id!, absorb: records[1].id!)
            }
            let amara = try #require(try await Speaker.query(on: database.db).filter(\.$name == "Amara Okafor").first())
            let origins = try await FieldProvenance.query(on: database.db).filter(\.$speaker.$id == amara.id!).filter(\.$field == "affiliation").all()
            #expect(Set(origins.map(\.origin)) == ["extractor", "prose"], "both pages gave an organisation: \(origins.map(\.origin))")
            #expect(amara.affiliation == "Northbridge Institute")
            #expect(amara.title == "Chief Economist")
        }
    }

    /// A concurrent crawl stores pages in a different order on every run. The speaker shown
    /// must be the same whatever that order: the organisation most pages give, and between
    /// equals the same one every time (never the one stored last).
    @Test func theShownDetailsDoNotDependOnTheOrderPagesWereStored() async throws {
        func shown(pages: [(url: String, line: String)]) async throws -> (title: String?, affiliation: String?) {
            try await TestDatabase.with { database in
                let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
                for (url, line) in pages {
                    let event = try await storePage(page("<h2>Speakers</h2><ul><li>\(line)</li><li>Tomás Ferreira (Halvorsen Lab)</li></ul>"),
                                                    url: url, in: database)
                    #expect(await service.extract(event) == .stored(people: 2))
                }
                // Different organisations stay different records until they are merged.
                let records = try await Speaker.query(on: database.db).filter(\.$name == "Amara Okafor").sort(\.$id).all()
                let resolver = SpeakerResolver(storage: database.context, logger: Logger(label: "test"))
                for other in records.dropFirst() { _ = try await resolver.merge(keep: records[0].id!, absorb: other.id!) }
                let amara = try #require(try await Speaker.query(on: database.db).filter(\.$name == "Amara Okafor").first())
                return (amara.title, amara.affiliation)
            }
        }
        let majority = [("https://events.example.org/a", "Amara Okafor, Chief Economist, Northbridge Institute"),
                        ("https://events.example.org/b", "Amara Okafor, Senior Fellow, Harbour Trust"),
                        ("https://events.example.org/c", "Amara Okafor, Chief Economist, Northbridge Institute")]
        for order in [majority, majority.reversed(), [majority[1], majority[0], majority[2]]] {
            let result = try await shown(pages: order)
            #expect(result.affiliation == "Northbridge Institute", "two pages of three agree: \(order.map(\.0))")
            #expect(result.title == "Chief Economist")
        }
        let tie = Array(majority.prefix(2))
        let forward = try await shown(pages: tie), backward = try await shown(pages: tie.reversed())
        #expect(forward.affiliation != nil && forward.affiliation == backward.affiliation, "\(forward) / \(backward)")
        #expect(forward.title == backward.title)
    }

    /// The pages a source's template is induced from, and the order events are extracted
    /// in, are the same whatever order the crawl stored the pages in.
    @Test func templateSampleAndExtractionOrderDoNotDependOnCrawlOrder() async throws {
        let urls = (1...40).map { "https://events.example.org/talks/talk-\($0)" }
        func observed(_ order: [String]) async throws -> (sample: [String], pending: [String]) {
            try await TestDatabase.with { database in
                let source = Source(url: "https://events.example.org/talks", name: "Talks")
                try await source.create(on: database.db)
                for url in order {
                    let event = try await storePage(page("<h2>Speakers</h2><ul><li>Amara Okafor, Chief Economist, Northbridge Institute</li></ul>"),
                                                    url: url, in: database)
                    event.$source.id = source.id
                    try await event.save(on: database.db)
                }
                let sample = try await SiteTemplateStore(storage: database.context).sample(sourceID: source.id!).map(\.url.absoluteString)
                let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
                let pending = try await service.pendingEvents(limit: 100).map(\.url)
                return (sample, pending)
            }
        }
        let forward = try await observed(urls), backward = try await observed(urls.reversed())
        #expect(forward.sample.count == TemplateInducer.samplePages)
        #expect(forward.sample == backward.sample)
        #expect(forward.pending == backward.pending)
        #expect(forward.pending == urls.sorted())
        // A sample spread over the site, not the first or last pages stored.
        #expect(forward.sample != Array(urls.prefix(TemplateInducer.samplePages)))
        #expect(forward.sample != Array(urls.suffix(TemplateInducer.samplePages)))
    }

    @Test func storesPeopleWithProvenanceAndReplacesThemOnReextraction() async throws {
        try await TestDatabase.with { database in
            let event = try await storePage(panelPage, url: "https://events.example.org/2024/panel", in: database)
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            #expect(await service.extract(event) == .stored(people: 2))
            let stored = try #require(try await Event.find(event.id, on: database.db))
            #expect(stored.extractState == "done")
            #expect(stored.extractNote?.hasPrefix("2 people") == true)
            let amara = try #require(try await Speaker.query(on: database.db).filter(\.$name == "Amara Okafor").first())
            #expect(amara.title == "Chief Economist")
            #expect(amara.affiliation == "Northbridge Institute")
            let provenance = try await FieldProvenance.query(on: database.db).filter(\.$speaker.$id == amara.id!).all()
            #expect(Set(provenance.map(\.field)).isSuperset(of: ["name", "title", "affiliation"]))
            #expect(provenance.allSatisfy { $0.$event.id == event.id && $0.origin == "extractor" })
            // Re-extracting the same page changes nothing and leaves no orphans.
            #expect(await service.extract(stored) == .stored(people: 2))
            #expect(try await Speaker.query(on: database.db).count() == 2)
            #expect(try await Appearance.query(on: database.db).count() == 2)
            #expect(try await SpeakerQueries(database.db).list(SpeakerFilter(search: "okafor"), page: PageRequest()).total == 1)
        }
    }

    /// A re-extraction that leaves a speaker with no appearance removes the speaker and
    /// leaves a tombstone, so the speaker's shared link answers 410 rather than 404.
    @Test func aSpeakerNoPageNamesAnyMoreLeavesATombstone() async throws {
        try await TestDatabase.with { database in
            let url = "https://events.example.org/2024/changing"
            let event = try await storePage(panelPage, url: url, in: database)
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            #expect(await service.extract(event) == .stored(people: 2))
            let tomas = try #require(try await Speaker.query(on: database.db).filter(\.$name == "Tomás Ferreira").first()?.id)
            _ = try await storePage(page("<h2>Speakers</h2><ul><li>Amara Okafor, Chief Economist, Northbridge Institute</li></ul>"), url: url, in: database)
            let changed = try #require(try await Event.find(event.id, on: database.db))
            #expect(await service.extract(changed) == .stored(people: 1))
            #expect(try await Speaker.find(tomas, on: database.db) == nil)
            #expect(try await SpeakerLinks(database.db).whereabouts(of: tomas) == .gone("No event page names this speaker any more."))
            let amara = try #require(try await Speaker.query(on: database.db).filter(\.$name == "Amara Okafor").first()?.id)
            #expect(try await SpeakerLinks(database.db).whereabouts(of: amara + 1000) == .unknown)
        }
    }

    @Test func pagesWithoutSpeakersAndBrokenPagesAreRecorded() async throws {
        try await TestDatabase.with { database in
            let empty = try await storePage(page("<p>The exhibition is open daily.</p>"), url: "https://events.example.org/expo", in: database)
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            #expect(await service.extract(empty) == .stored(people: 0))
            #expect(try await Event.find(empty.id, on: database.db)?.extractNote == "no speakers found")
            // An event whose stored page is gone fails with the reason, and the run goes on.
            let lost = try await storePage(panelPage, url: "https://events.example.org/lost", in: database)
            lost.bodyHash = "0000"
            try await lost.save(on: database.db)
            if case .failed(let reason) = await service.extract(lost) { #expect(reason.contains("no stored page")) } else { Issue.record("did not fail") }
            #expect(try await Event.find(lost.id, on: database.db)?.extractState == "failed")
        }
    }

    /// A run stores its pages in batches; when one event of a batch cannot be written
    /// (here it was deleted after the run listed it), the others are still stored one by
    /// one and only that event fails.
    @Test func oneUnwritableEventDoesNotCostItsBatchTheirResults() async throws {
        try await TestDatabase.with { database in
            var events: [Event] = []
            for index in 0..<5 {
                events.append(try await storePage(panelPage, url: "https://events.example.org/2024/panel-\(index)", in: database))
            }
            let service = ExtractionService(storage: database.context, llm: nil, logger: Logger(label: "test"))
            let pending = try await service.pendingEvents(limit: 10)
            #expect(pending.count == 5)
            try await Event.query(on: database.db).filter(\.$id == events[2].id!).delete()
            let stats = await service.run(pending)
            #expect(stats.events == 5)
            #expect(stats.failed == 1)
            #expect(stats.withSpeakers == 4)
            #expect(try await Appearance.query(on: database.db).count() == 8)
            // The same two people across the four events, not eight records.
            #expect(try await Speaker.query(on: database.db).count() == 2)
            for event in [events[0], events[1], events[3], events[4]] {
                #expect(try await Event.find(event.id, on: database.db)?.extractState == "done")
            }
        }
    }

    /// A pipeline run with an LLM configured records what it spent: the sum of its
    /// recorded calls, in the run's stats, not an estimate.
    @Test func aRunRecordsItsSpendFromItsCalls() async throws {
        try await withStandIn(.answer) { _, server, _ in
            try await TestDatabase.with { database in
                _ = try await storePage(panelPage, url: "https://events.example.org/2024/spend", in: database)
                let settings = try Settings(environment: ["ALLOW_PRIVATE_ADDRESSES": "true", "DATABASE_URL": database.settingValue, "ANTHROPIC_API_KEY": secretKey, "ANTHROPIC_BASE_URL": server.base, "LLM_PAGES": "all",
                                                          "LLM_MODEL": "claude-sonnet-4-5"])
                let fetchers = PipelineRunner.makeFetchers(settings: settings)
                var options = PipelineRunner.Options()
                options.stages = [.extract]
                let report = try await PipelineRunner(storage: database.context, settings: settings, fetchers: fetchers, logger: Logger(label: "test"))
                    .run(sources: [], options: options)
                await fetchers.shutdown()
                let expected = 1200 * 3 + 180 * 15
                #expect(report.spentMicros == expected)
                let run = try #require(try await PipelineRun.find(report.runID, on: database.db))
                let stats = try #require(run.stats.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
                #expect(stats["spent_micros"] as? Int == expected)
                #expect(try await APICall.query(on: database.db).filter(\.$run.$id == report.runID).count() == 1)
            }
        }
    }

    /// A huge (or hostile) page costs at most `maxPartsPerPage` calls, and the rolling
    /// daily cap spans runs: what earlier calls spent in the last 24 hours counts.
    @Test func partsPerPageAndTheDailyCapBoundTheSpend() async throws {
        try await withStandIn(.answer) { standIn, server, http in
            try await TestDatabase.with { database in
                // Distinct paragraphs: identical parts would be answered from the cache.
                let paragraphs = (1...400).map { "<p>Paragraph \($0): " + String(repeating: "a long text of the programme that names nobody \($0). ", count: 40) + "</p>" }
                let huge = "<html><head><title>Endless</title></head><body><main><h1>Endless programme</h1>"
                    + paragraphs.joined(separator: "\n") + "</main></body></html>"
                let event = try await storePage(huge, url: "https://events.example.org/2024/endless", in: database)
                let client = AnthropicClient(apiKey: secretKey, model: "claude-sonnet-4-5", baseURL: server.base, http: http)
                var extractor = LLMSpeakerExtractor(client: client)
                extractor.maxPartsPerPage = 3
                #expect(extractor.chunks(Array(repeating: String(repeating: "x", count: 1000), count: 400)).count > 3, "the page has more parts than the cap")
                let service = ExtractionService(storage: database.context, llm: extractor, llmPages: .all, logger: Logger(label: "test"))
                _ = await service.extract(event)
                #expect(standIn.count == 3, "one call per part, at most three parts")

                // The calls so far (3 × $0.0063) plus an old one outside the window.
                let old = APICall()
                old.provider = "anthropic"; old.model = "m"; old.purpose = "extract"; old.inputTokens = 1; old.outputTokens = 1
                old.costMicros = 50_000_000; old.priceVersion = PriceTable.version; old.latencyMilliseconds = 1; old.status = "ok"
                try await old.create(on: database.db)
                try await database.db.sqlDatabase().raw("UPDATE api_calls SET created_at = \(bind: Date().addingTimeInterval(-2 * 86_400)) WHERE id = \(bind: old.id!)").run()
                let spent = 3 * (1200 * 3 + 180 * 15)
                let daily = spent + 1_000
                let capped = try await SpendBudget.capped(runLimitMicros: 5_000_000, dailyLimitMicros: daily, on: database.db)
                #expect(capped.limitMicros == 1_000 && capped.limitName.contains("daily cap"), "only what the day has left: \(capped.limitName)")
                let runFirst = try await SpendBudget.capped(runLimitMicros: 500, dailyLimitMicros: daily, on: database.db)
                #expect(runFirst.limitMicros == 500 && runFirst.limitName.contains("run cap"))
                let partly = try await SpendBudget.capped(runLimitMicros: 5_000, dailyLimitMicros: 20_000_000, alreadySpentInRun: 4_800, on: database.db)
                #expect(partly.limitMicros == 200)
                let spentDay = try await SpendBudget.capped(runLimitMicros: 5_000_000, dailyLimitMicros: spent, on: database.db)
                #expect(await spentDay.exhausted, "a spent day stops paid calls in the next run too")
                // A run then extracts offline and says why.
                let next = try await storePage(panelPage, url: "https://events.example.org/2024/after-cap", in: database)
                let stats = await ExtractionService(storage: database.context, llm: extractor, llmPages: .all, budget: spentDay, logger: Logger(label: "test")).run([next])
                #expect(stats.llmStoppedBecause?.contains("daily cap") == true, "\(stats.llmStoppedBecause ?? "")")
                #expect(standIn.count == 3)
            }
        }
    }

    @Test func llmCallsAreRecordedWithTheirCostCachedAndBudgeted() async throws {
        try await withStandIn(.answer) { standIn, server, http in
            try await TestDatabase.with { database in
                let event = try await storePage(panelPage, url: "https://events.example.org/2024/llm", in: database)
                let client = AnthropicClient(apiKey: secretKey, model: "claude-sonnet-4-5", baseURL: server.base, http: http)
                let run = PipelineRun(kind: "extract", trigger: "test")
                try await run.create(on: database.db)
                let service = ExtractionService(storage: database.context, llm: LLMSpeakerExtractor(client: client), llmPages: .all, runID: run.id, logger: Logger(label: "test"))
                #expect(await service.extract(event) == .stored(people: 3))
                // The model found Ines Carvalho, whom the offline extractors did not.
                #expect(try await Speaker.query(on: database.db).filter(\.$name == "Ines Carvalho").count() == 1)
                let calls = try await APICall.query(on: database.db).all()
                #expect(calls.count == 1)
                let call = try #require(calls.first)
                #expect(call.provider == "anthropic" && call.inputTokens == 1200 && call.outputTokens == 180)
                #expect(call.costMicros == 1200 * 3 + 180 * 15)
                #expect(call.priceVersion == PriceTable.version)
                #expect(call.$event.id == event.id && call.$run.id == run.id)
                // Again: the answer comes from the cache, at no cost.
                let again = try #require(try await Event.find(event.id, on: database.db))
                #expect(await service.extract(again) == .stored(people: 3))
                #expect(standIn.count == 1)
                #expect(try await APICall.query(on: database.db).count() == 1)
                // A spent budget stops LLM use; offline extraction goes on.
                let other = try await storePage(panelPage.replacingOccurrences(of: "closing", with: "final"), url: "https://events.example.org/2024/llm2", in: database)
                let capped = ExtractionService(storage: database.context, llm: LLMSpeakerExtractor(client: client), llmPages: .all, budget: SpendBudget(limitMicros: 0), logger: Logger(label: "test"))
                let stats = await capped.run([other])
                #expect(stats.people == 2)
                #expect(stats.llmStoppedBecause?.contains("budget") == true)
                #expect(standIn.count == 1)
            }
        }
    }

    /// With `LLM_PAGES=unsure` (the default) a page whose people all come from its
    /// structure is not sent; a page where the chain found nobody, or found someone only in
    /// a sentence, is. With `all`, every page is.
    @Test func onlyPagesTheChainIsUnsureOfReachTheModel() async throws {
        let proseBody = "<p>Join economist Amara Okafor for an evening on ocean finance and what it costs coastal towns.</p>"
        // What makes each page sure or unsure, as the chain sees it offline.
        #expect(ExtractionChain.isSure(try run(panelPage)))
        let fromProse = try run(page(proseBody))
        #expect(fromProse.people.map(\.name) == ["Amara Okafor"] && fromProse.people.allSatisfy { $0.extractor == "free-text" })
        #expect(!ExtractionChain.isSure(fromProse), "someone named only in a sentence is not sure")
        #expect(!ExtractionChain.isSure(try run(page("<p>An evening on ocean finance.</p>"))))
        try await withStandIn(.answer) { standIn, server, http in
            try await TestDatabase.with { database in
                let structured = try await storePage(panelPage, url: "https://events.example.org/2024/structured", in: database)
                let prose = try await storePage(page(proseBody),
                                                url: "https://events.example.org/2024/prose", in: database)
                let nobody = try await storePage(page("<p>An evening on ocean finance, with questions from the floor.</p>"),
                                                 url: "https://events.example.org/2024/nobody", in: database)
                let client = AnthropicClient(apiKey: secretKey, model: "claude-sonnet-4-5", baseURL: server.base, http: http)
                let unsure = ExtractionService(storage: database.context, llm: LLMSpeakerExtractor(client: client), logger: Logger(label: "test"))
                let first = await unsure.run([structured])
                #expect(standIn.count == 0, "a page read from its structure costs nothing")
                #expect(first.llmPagesSure == 1 && first.llmCalls == 0 && first.people == 2)
                let rest = await ExtractionService(storage: database.context, llm: LLMSpeakerExtractor(client: client), logger: Logger(label: "test"))
                    .run([prose, nobody])
                #expect(rest.llmPagesSure == 0 && rest.llmCalls == 2, "prose-only and empty pages are sent: \(rest)")
                #expect(standIn.count == 2)
                // The model's answer counts on the pages it read.
                #expect(try await Speaker.query(on: database.db).filter(\.$name == "Ines Carvalho").count() == 1)
                // `all` sends the structured page too.
                let again = try #require(try await Event.find(structured.id, on: database.db))
                let all = await ExtractionService(storage: database.context, llm: LLMSpeakerExtractor(client: client), llmPages: .all, logger: Logger(label: "test"))
                    .run([again])
                #expect(all.llmPagesSure == 0 && standIn.count == 3)
            }
        }
    }

    @Test func unusableLLMAnswersNeverReachTheDatabase() async throws {
        try await withStandIn(.malformed) { _, server, http in
            try await TestDatabase.with { database in
                let event = try await storePage(panelPage, url: "https://events.example.org/2024/bad", in: database)
                let client = AnthropicClient(apiKey: secretKey, model: nil, baseURL: server.base, http: http)
                let service = ExtractionService(storage: database.context, llm: LLMSpeakerExtractor(client: client), llmPages: .all, logger: Logger(label: "test"))
                #expect(await service.extract(event) == .stored(people: 2))
                #expect(try await Speaker.query(on: database.db).filter(\.$name == "Ines").count() == 0)
                // The failed call is still recorded (it may have cost tokens).
                #expect(try await APICall.query(on: database.db).count() == 1)
            }
        }
    }
}

@Suite("The bundled sample site end to end", .serialized)
struct SampleSiteEndToEndTests {
    /// Crawl (HTTP and the real browser), extract and export; score with the eval measures.
    @Test func extractionMeetsTheQualityBar() async throws {
        try await FixtureServer.with(directory: PackageRoot.url.appendingPathComponent("SampleSite").path) { server in
            try await TestDatabase.with { database in
                let settings = try Settings(environment: ["ALLOW_PRIVATE_ADDRESSES": "true"])
                let fetchers = PipelineRunner.makeFetchers(settings: settings)
                let runner = PipelineRunner(storage: database.context, settings: settings, fetchers: fetchers, logger: Logger(label: "test"))
                let source = try await SourceRepository(database.db).upsert(SourceSpec(url: server.base + "/events/index.html"))
                var options = PipelineRunner.Options()
                options.crawl.mode = .backfill
                options.noDelayOnLoopback = true
                _ = try await runner.run(sources: [source], options: options)
                await fetchers.shutdown()
                var text = ""
                try await SpeakerExporter(database.db).export(format: .json) { text += $0 }
                let export = try JSONDecoder().decode(ExportDocument.self, from: Data(text.utf8))
                let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: PackageRoot.url.appendingPathComponent("SampleSite/truth.json"))) as! [String: Any]
                let score = EvalScorer.score(export: export, truth: truth)
                #expect(score.pairF1 >= 0.9, "pair F1 \(score.pairF1)")
                #expect((score.titleAccuracy ?? 0) >= 0.8, "title accuracy \(score.titleAccuracy ?? 0)")
                #expect((score.affiliationAccuracy ?? 0) >= 0.8, "affiliation accuracy \(score.affiliationAccuracy ?? 0)")
                // No organisations, staff or passing mentions among the people.
                let truthNames = Set(((truth["speakers"] as? [[String: Any]]) ?? []).flatMap { person in
                    ["name", "full_public_name", "public_name"].compactMap { person[$0] as? String }.flatMap(EvalScorer.nameKeys)
                })
                // ("A. Okafor" is a real person written with an initial; identity resolution joins her to her full name.)
                let strangers = export.speakers.filter { EvalScorer.nameKeys($0.name).isDisjoint(with: truthNames) && !$0.name.contains(".") }
                #expect(strangers.isEmpty, "non-person records: \(strangers.map(\.name))")
                // Hostile text from the sample site stays text.
                #expect(!text.contains("href=\\\"javascript") && !export.speakers.contains { ($0.bio ?? "").contains("<script") })

                // Search quality on the golden set (Tests/SearchTests/Fixtures): the pipeline
                // enriched and embedded every speaker; hybrid ranking must beat both of its parts.
                let status = try await AttributeStore(database.db).status()
                #expect(status.pending == 0 && (status.byKind["tag"] ?? 0) > 100, "the pipeline's enrich stage ran: \(status)")
                let encoder = try MiniLMEncoder(location: ModelLocation())
                let index = try await SemanticIndex.load(from: EmbeddingStore(database.db))
                #expect(index.count == export.speakers.count, "the pipeline's embed stage ran")
                let golden = try SearchQuality.GoldenSet.load(PackageRoot.url.appendingPathComponent("Tests/SearchTests/Fixtures/golden-queries.json"))
                let scores = try await SearchQuality.evaluate(golden, database: database.db,
                                                              hybrid: HybridSearch(database: database.db, index: index, embedder: encoder))
                let ndcg = Dictionary(uniqueKeysWithValues: scores.map { ($0.mode, $0.ndcg) })
                #expect(scores.first?.missingSpeakers.isEmpty == true, "every golden speaker was crawled: \(scores.first?.missingSpeakers ?? [])")
                #expect(ndcg[.hybrid]! > ndcg[.keyword]! && ndcg[.hybrid]! > ndcg[.semantic]!, "nDCG@10 \(ndcg)")
                #expect(ndcg[.hybrid]! >= 0.8, "hybrid nDCG@10 \(ndcg[.hybrid]!)")
                // Weak matches: queries nobody answers get only results marked weak (at most
                // one in ten answered falsely), and few relevant results are marked weak.
                let negatives = try SearchQuality.NegativeSet.load(PackageRoot.url.appendingPathComponent("Tests/SearchTests/Fixtures/negative-queries.json"))
                #expect(negatives.queries.count >= 20)
                let weak = try #require(try await SearchQuality.weakness(golden, negatives: negatives, database: database.db,
                                                                         hybrid: HybridSearch(database: database.db, index: index, embedder: encoder),
                                                                         floors: [HybridSearch.weakCosine]).first)
                #expect(weak.falseAnswerRate <= 0.1, "false answers \(weak.falseAnswers)/\(weak.negativeQueries)")
                #expect(Double(weak.relevantMarkedWeak) <= 0.15 * Double(weak.relevantShown), "relevant marked weak \(weak.relevantMarkedWeak)/\(weak.relevantShown)")
            }
        }
    }
}

/// The pipeline's embed stage with `EMBEDDINGS=openai`: the run's calls are recorded with
/// it and counted in its spend; a failing API is a recorded stage error, not a failed run.
@Suite("Pipeline embeddings through the API")
struct PipelineAPIEmbeddingTests {
    static let key = "sk-test-PIPELINE-EMBED-SECRET-9"

    func run(_ behaviour: StandInEmbeddings.Behaviour) async throws -> (PipelineReport, Int, [String]) {
        let standIn = StandInEmbeddings(behaviour)
        return try await FixtureServer.with(routes: { standIn.routes($0) }) { server in
            try await TestDatabase.with { database in
                try await Fixtures.importSpeakers(into: database)
                let settings = try Settings(environment: ["ALLOW_PRIVATE_ADDRESSES": "true", "DATABASE_URL": database.settingValue, "EMBEDDINGS": "openai", "OPENAI_API_KEY": Self.key,
                                                          "LLM_BASE_URL": server.base + "/v1"])
                let fetchers = PipelineRunner.makeFetchers(settings: settings)
                var options = PipelineRunner.Options()
                options.stages = [.embed]
                let report = try await PipelineRunner(storage: database.context, settings: settings, fetchers: fetchers, logger: Logger(label: "test"))
                    .run(sources: [], options: options)
                await fetchers.shutdown()
                let stored = try await EmbeddingStore(database.db).status(model: "openai-compatible/text-embedding-3-small").count
                let purposes = try await APICall.query(on: database.db).filter(\.$run.$id == report.runID).all().map(\.purpose)
                return (report, stored, purposes)
            }
        }
    }

    @Test func theEmbedStageUsesTheAPIWithinTheRun() async throws {
        let (report, stored, purposes) = try await run(.normal)
        let stage = try #require(report.stages.first { $0.name == "embed" })
        #expect(stage.counts["embedded"] == 4 && stored == 4 && stage.errors.isEmpty)
        #expect(purposes == ["embed"], "one batch of four, recorded with the run")
    }

    @Test func aFailingAPIIsAStageErrorWithoutTheKey() async throws {
        let (report, stored, purposes) = try await run(.unauthorized)
        let stage = try #require(report.stages.first { $0.name == "embed" })
        #expect(stored == 0 && stage.counts["embedded"] == 0)
        #expect(stage.errors.count == 1 && stage.errors[0].contains("401") && !stage.errors[0].contains(Self.key), "\(stage.errors)")
        #expect(purposes == ["embed"], "the failed call is recorded too")
    }
}
