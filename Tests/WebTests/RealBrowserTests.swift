import Crawling
import Foundation
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

/// The app served on a real port and driven by headless Chromium through WebDriver, as a
/// reader would use it: a search leads to a profile and on to an event, and at a phone's
/// width (390 px) no page is wider than the screen and the speakers' results come before
/// their facets.
@Suite("Pages in a real browser", .serialized)
struct RealBrowserTests {
    /// Runs `body` with the seeded app listening on loopback and a browser session;
    /// `phone` emulates a 390 × 844 screen.
    func withBrowser(phone: Bool, _ body: (_ base: String, _ browser: WebDriverClient, _ session: String) async throws -> Void) async throws {
        let driverPath = try #require(ChromeDriverProcess.locate(ProcessInfo.processInfo.environment["CHROMEDRIVER_PATH"], candidates: ["chromedriver"]),
                                      "chromedriver is needed (scripts/bootstrap.sh installs chromium and chromium-driver)")
        try await withSeededApp { app, _ in
            let port = try LoopbackPort.free()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let driver = try ChromeDriverProcess(executable: driverPath)
            let client = WebDriverClient(base: driver.baseURL, http: app.http.client.shared)
            var session: String?
            do {
                for _ in 0..<100 where !(await client.isReady()) { try await Task.sleep(for: .milliseconds(100)) }
                // Our own pages, not hostile ones: the sandbox (which Chromium refuses as
                // root) is not needed here.
                var options: [String: Any] = ["args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                       "--no-first-run", "--window-size=1280,900"]]
                if let chromium = ChromeDriverProcess.locate(ProcessInfo.processInfo.environment["CHROMIUM_PATH"],
                                                             candidates: ["chromium", "chromium-browser", "google-chrome"]) {
                    options["binary"] = chromium
                }
                if phone {
                    options["mobileEmulation"] = ["deviceMetrics": ["width": 390, "height": 844, "pixelRatio": 3.0]]
                }
                let capabilities = try JSONSerialization.data(withJSONObject: ["browserName": "chrome", "goog:chromeOptions": options])
                let id = try await client.newSession(capabilities: capabilities)
                session = id
                try await client.setTimeouts(id, pageLoadMilliseconds: 30_000, scriptMilliseconds: 10_000)
                try await body("http://127.0.0.1:\(port)", client, id)
            } catch {
                if let session { await client.deleteSession(session) }
                driver.stop()
                await app.server.shutdown()
                throw error
            }
            if let session { await client.deleteSession(session) }
            driver.stop()
            await app.server.shutdown()
        }
    }

    func script<T>(_ browser: WebDriverClient, _ session: String, _ source: String, as: T.Type) async throws -> T {
        let value = try await browser.execute(session, source)
        return try #require(value as? T, "\(source) returned \(String(describing: value))")
    }

    @Test func aSearchLeadsToAProfileAndOnToAnEvent() async throws {
        try await withBrowser(phone: false) { base, browser, session in
            try await browser.navigate(session, to: base + "/search?q=ocean&mode=keyword")
            let profile = try #require(try await script(browser, session, """
                return Array.from(document.querySelectorAll('main a[href^="/speakers/"]')).map(a => a.getAttribute('href'))
                    .find(h => /^\\/speakers\\/\\d+$/.test(h)) || null;
                """, as: String?.self), "a search result links to a profile")
            try await browser.navigate(session, to: base + profile)
            let name = try await script(browser, session, "return document.querySelector('h1').textContent.trim();", as: String.self)
            #expect(!name.isEmpty)
            let title = try await script(browser, session, "return document.title;", as: String.self)
            #expect(title == "\(name) · speakerdb")
            let event = try #require(try await script(browser, session, """
                return Array.from(document.querySelectorAll('main a[href^="/events/"]')).map(a => a.getAttribute('href'))
                    .find(h => /^\\/events\\/\\d+$/.test(h)) || null;
                """, as: String?.self), "the profile links to an event")
            try await browser.navigate(session, to: base + event)
            let backLink = try await script(browser, session, "return !!document.querySelector('main a[href=\"\(profile)\"]');", as: Bool.self)
            #expect(backLink, "the event lists the speaker we came from")
            // The stylesheet and the icon load under the Content-Security-Policy.
            let styled = try await script(browser, session, "return getComputedStyle(document.querySelector('header.site')).display;", as: String.self)
            #expect(styled == "flex")
        }
    }

    @Test func noPageIsWiderThanAPhone() async throws {
        try await withBrowser(phone: true) { base, browser, session in
            for path in ["/", "/speakers", "/speakers/1", "/events", "/events/2", "/stats", "/stats/leaderboard", "/search?q=ocean"] {
                try await browser.navigate(session, to: base + path)
                let widths = try await script(browser, session,
                                              "return [document.documentElement.scrollWidth, window.innerWidth];", as: [Int].self)
                #expect(widths.count == 2 && widths[1] == 390, "\(path): the viewport is a phone's (\(widths))")
                #expect(widths.count == 2 && widths[0] <= widths[1], "\(path) is \(widths.first ?? 0) px wide on a \(widths.last ?? 0) px screen")
            }
            try await browser.navigate(session, to: base + "/speakers")
            let resultsFirst = try await script(browser, session, """
                return document.querySelector('section.results').getBoundingClientRect().top
                     < document.querySelector('aside.facets').getBoundingClientRect().top;
                """, as: Bool.self)
            #expect(resultsFirst, "on a phone the results come before the facets")
        }
    }
}
