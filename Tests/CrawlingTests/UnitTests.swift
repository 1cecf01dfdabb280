@testable import Crawling
import Foundation
import HTMLParsing
import SpeakerCore
import Testing
import TestSupport

@Suite("Crawling building blocks")
struct CrawlingUnitTests {
    @Test func robotsTxtFollowsRFC9309() {
        let robots = RobotsTxt("""
            User-agent: *
            Disallow: /private/
            Allow: /private/open
            Disallow: /*.pdf$
            Crawl-delay: 3

            User-agent: otherbot
            Disallow: /
            Sitemap: /sitemap.xml
            """)
        #expect(robots.allows("/events/1.html"))
        #expect(!robots.allows("/private/x"))
        #expect(robots.allows("/private/open/y"))
        #expect(!robots.allows("/files/a.pdf"))
        #expect(robots.allows("/files/a.pdf?x=1"))
        #expect(robots.crawlDelay == 3)
        #expect(robots.sitemaps == ["/sitemap.xml"])
        let specific = RobotsTxt("User-agent: speakerdb\nDisallow: /events/\n\nUser-agent: *\nDisallow:\n")
        #expect(!specific.allows("/events/1"))
        #expect(RobotsTxt("").allows("/anything"))
    }

    @Test func charsetsAreDetectedFromHeaderMetaAndBOM() {
        let latin = "Café Müller – Zoë".data(using: .windowsCP1252)!
        #expect(CharsetDetector.decode(latin, contentType: "text/html; charset=ISO-8859-1").text == "Café Müller – Zoë")
        let sjisText = "<html><head><meta charset=\"Shift_JIS\"></head><body>山田 花子</body></html>"
        let sjis = sjisText.data(using: .shiftJIS)!
        #expect(CharsetDetector.decode(sjis, contentType: "text/html").text.contains("山田 花子"))
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("José".utf8)
        #expect(CharsetDetector.decode(bom, contentType: "text/html; charset=iso-8859-1").text == "José")
        // Undeclared and not UTF-8: browsers' Windows-1252 fallback.
        #expect(CharsetDetector.decode("Núñez".data(using: .windowsCP1252)!, contentType: nil).text == "Núñez")
    }

    @Test func urlShapesGroupPagesOfOneKind() {
        func shape(_ s: String) -> String { URLShape.of(URL(string: "https://x.org" + s)!) }
        #expect(shape("/events/2024/ocean-finance.html") == shape("/events/2023/kelp-forests.html"))
        #expect(shape("/congress/2016/Fahrplan/events/7811.html") == "/congress/{n}/Fahrplan/events/{n}.html")
        #expect(shape("/event/sessions/session_2797.html") == "/event/sessions/session_{n}.html")
        #expect(shape("/sessions/2019/11/12/S1-001/") == shape("/sessions/2019/11/13/S2-028/"))
        #expect(shape("/about") != shape("/events/2024/x-y.html"))
        // Talk codes of conference systems are one family, with or without digits.
        #expect(shape("/talks/MLCQQL/") == "/talks/{id}")
        #expect(shape("/talks/DASHT7/") == shape("/talks/7BXY7G/"))
        #expect(shape("/talks/DASHT7/") == shape("/talks/MLCQQL/"))
        #expect(shape("/FAQ") == "/FAQ")
        // Pages of one room-by-day template, whether a room is named or numbered.
        #expect(shape("/2024-04-15/Room259.html") == shape("/2024-04-16/Festsaal.html"))
        #expect(shape("/rooms/Room259/") != shape("/rooms/Festsaal/"))
    }

    @Test func aHubsTargetIsTheMostLinkedFamilyAndTiesGoToTheFirstShape() {
        #expect(EventPageClassifier.hubTarget(["/talks/{slug}": 3, "/speakers/{slug}": 5]) == "/speakers/{slug}")
        // Equal counts: the same answer whatever order the dictionary was built in.
        var forward: [String: Int] = [:], backward: [String: Int] = [:]
        let shapes = (0..<40).map { "/family\($0)/{slug}" }
        for shape in shapes { forward[shape] = 4 }
        for shape in shapes.reversed() { backward[shape] = 4 }
        #expect(EventPageClassifier.hubTarget(forward) == "/family0/{slug}")
        #expect(EventPageClassifier.hubTarget(backward) == "/family0/{slug}")
        #expect(EventPageClassifier.hubTarget([:]) == nil)
    }

    @Test func sitemapsAndCalendarsYieldEventURLs() {
        let base = URL(string: "http://127.0.0.1:9/sitemap.xml")!
        let sitemap = SitemapReader.read("""
            <?xml version="1.0"?><urlset><url><loc>/events/2024/a.html</loc></url>
            <url><loc>http://127.0.0.1:9/events/2024/b.html</loc><lastmod>2024-01-01</lastmod></url></urlset>
            """, base: base)
        #expect(sitemap.pages.map(\.path) == ["/events/2024/a.html", "/events/2024/b.html"])
        let index = SitemapReader.read("<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>", base: base)
        #expect(index.sitemaps.map(\.path) == ["/s1.xml"])
        let ics = ICalendarReader.eventURLs("""
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            SUMMARY:Talk\r
            URL;VALUE=URI:http://127.0.0.1:9/events/2024/very-long-\r
             name.html\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            URL:/events/2024/c.html\r
            END:VEVENT\r
            END:VCALENDAR\r
            """, base: base)
        #expect(ics.map(\.path) == ["/events/2024/very-long-name.html", "/events/2024/c.html"])
    }

    @Test func paginationAndPageEvidenceAreReadFromTheSampleSite() throws {
        let path = PackageRoot.url.appendingPathComponent("SampleSite/events/index.html").path
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let pageURL = URL(string: "http://127.0.0.1:9/events/index.html")!
        let document = try HTMLDocument(html: html, url: pageURL)
        let (summary, links) = PageSummarizer().summarize(document, url: pageURL, depth: 0)
        #expect(links.first(where: \.isNextPage)?.url.path == "/events/page/2.html")
        // A listing: mostly links, ten of them to events in the content.
        #expect(links.filter { !$0.inChrome && $0.url.path.hasPrefix("/events/20") }.count == 10)
        #expect(summary.linkTextShare > 0.15)
        #expect(!summary.headingIsPerson)

        let eventPath = PackageRoot.url.appendingPathComponent("SampleSite/events/2025/ocean-finance-summit.html").path
        if let eventHTML = try? String(contentsOfFile: eventPath, encoding: .utf8) {
            let eventURL = URL(string: "http://127.0.0.1:9/events/2025/ocean-finance-summit.html")!
            let (event, _) = PageSummarizer().summarize(try HTMLDocument(html: eventHTML, url: eventURL), url: eventURL, depth: 1)
            #expect(event.hasDate)
            #expect(event.personNames >= 1)
        }
    }

    @Test func eventPageFactsComeFromTheSampleSite() throws {
        func facts(_ path: String) throws -> EventPageFacts {
            let html = try String(contentsOfFile: PackageRoot.url.appendingPathComponent("SampleSite" + path).path, encoding: .utf8)
            return EventPageReader.read(try HTMLDocument(html: html, url: URL(string: "http://127.0.0.1:9" + path)))
        }
        let live = try facts("/events/live/rendered-panel.html")
        #expect(live.title == "Live: Cooling Cities Without Warming the Planet")
        #expect(live.date?.start.iso == "2025-06-25")
        #expect(live.date?.startTime?.iso == "18:00")
        #expect(live.date?.timeZone == "+01:00")
        #expect(live.venue?.contains("Meridian House") == true)
        #expect(live.location == "London")
        #expect(live.language == "en")
        #expect(!live.mainText.contains("Newsletter"))
        let root = PackageRoot.url.appendingPathComponent("SampleSite/events")
        var dated = 0, total = 0
        for year in ["2022", "2023", "2024", "2025"] {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(year).path)) ?? [] where file.hasSuffix(".html") {
                total += 1
                let page = try facts("/events/\(year)/\(file)")
                #expect(page.title != nil && !(page.title ?? "").contains("| Meridian Forum"), "\(file): \(page.title ?? "nil")")
                if let date = page.date {
                    dated += 1
                    #expect(date.start.iso.hasPrefix(year) || file.contains("closed"), "\(file): \(date.start.iso)")
                }
            }
        }
        #expect(dated >= total - 2, "\(dated) of \(total) sample pages have a date")
    }

    @Test func javascriptShellsAndChallengesAskForTheBrowser() {
        func result(_ html: String) -> FetchResult {
            FetchResult(requestedURL: URL(string: "http://x.org/")!, finalURL: URL(string: "http://x.org/")!, status: 200,
                        contentType: "text/html", etag: nil, lastModified: nil, body: Data(html.utf8), text: html, charset: "utf-8",
                        notModified: false, redirects: [], fetcher: "http", duration: .zero)
        }
        #expect(PageSignals.needsBrowser(result("<html><body><div id=root></div><script src=app.js></script></body></html>")) != nil)
        #expect(PageSignals.needsBrowser(result("<html><title>Just a moment...</title><body>Checking your browser</body></html>")) != nil)
        let article = "<html><body><main><h1>Talk</h1><p>" + String(repeating: "Real content about the event. ", count: 40) + "</p></main><script src=a.js></script></body></html>"
        #expect(PageSignals.needsBrowser(result(article)) == nil)
    }
}
