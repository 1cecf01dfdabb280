import Foundation
import HTMLParsing
import Testing

@Suite("HTML parsing")
struct HTMLParsingTests {
    @Test func parsesBrokenMarkupWithoutFailing() throws {
        let document = try HTMLDocument(html: "<html><body><div class=a><p>One<p>Two</div><span>unclosed <b>bold</body>")
        #expect(document.select("p").map(\.text) == ["One", "Two"])
        #expect(document.select("div.a > p").count == 2)
        #expect(document.first("b")?.text == "bold")
    }

    @Test func cssSelectorsCoverTheProjectsNeeds() throws {
        let document = try HTMLDocument(html: """
            <div id="main" class="speakers list"><article class="card speaker"><h3>Ana</h3><a href="/x" rel="next">n</a></article>
            <article class="card"><h3 data-role="mod">Bo</h3></article></div><h3>Outside</h3>
            """)
        #expect(document.select("#main h3").map(\.text) == ["Ana", "Bo"])
        #expect(document.select(".card.speaker h3").map(\.text) == ["Ana"])
        #expect(document.select("article > h3[data-role=mod]").map(\.text) == ["Bo"])
        #expect(document.select("a[rel~=next]").count == 1)
        #expect(document.select("a[href^='/']").count == 1)
        #expect(document.select("h3, a").count == 4)
        #expect(throws: CSSSelector.Unsupported.self) { try CSSSelector.xpath(for: "div:hover") }
        let card = try #require(document.first("article"))
        #expect(card.select("h3").map(\.text) == ["Ana"])
    }

    @Test func visibleTextSkipsScriptsStylesAndHiddenBlocks() throws {
        let document = try HTMLDocument(html: """
            <html><head><title>T</title><style>p{}</style></head><body>
            <h1>Title</h1><script>var x = "<p>nope</p>";</script>
            <p>First   line<br>second <b>bold</b> line</p><div hidden>secret</div><div style="display: none">gone</div>
            <ul><li>a</li><li>b</li></ul><noscript>enable js</noscript></body></html>
            """)
        let body = try #require(document.first("body"))
        #expect(body.visibleLines == ["Title", "First line", "second bold line", "a", "b"])
    }

    @Test func metaTitleLanguageAndLinks() throws {
        let document = try HTMLDocument(html: """
            <html lang="de"><head><title>Talk | Site</title><meta property="og:title" content="Talk">
            <base href="https://example.org/events/"></head><body><a href="2024/x.html">x</a></body></html>
            """, url: URL(string: "https://example.org/other/page.html"))
        #expect(document.title == "Talk | Site")
        #expect(document.meta("og:title") == "Talk")
        #expect(document.language == "de")
        #expect(document.resolve("2024/x.html")?.absoluteString == "https://example.org/events/2024/x.html")
        #expect(document.resolve("#top") == nil)
    }

    @Test func entitiesAndNonASCIITextDecode() throws {
        let document = try HTMLDocument(html: "<p>Jos&eacute; N&uacute;&ntilde;ez &amp; 山田 花子 &lt;script&gt;</p>")
        #expect(document.first("p")?.text == "José Núñez & 山田 花子 <script>")
    }

    @Test func hostileAndEmptyInputsAreHandled() {
        #expect(throws: HTMLDocument.Failure.self) { try HTMLDocument(html: "") }
        // Binary garbage parses into some (meaningless) document without crashing.
        let binary = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        do {
            let document = try HTMLDocument(utf8: binary)
            #expect(document.select("body").count <= 1, "one body at most")
        } catch {
            #expect(error is HTMLDocument.Failure, "refused with the parser's own error, not \(error)")
        }
        let deep = String(repeating: "<div>", count: 5000) + "x" + String(repeating: "</div>", count: 5000)
        #expect((try? HTMLDocument(html: deep))?.select("div").count ?? 0 > 0)
    }

    @Test func structuralPathsAreStable() throws {
        let document = try HTMLDocument(html: "<html><body><div><p>a</p><p>b</p></div></body></html>")
        #expect(document.select("p").map(\.structuralPath) == ["html[1]/body[1]/div[1]/p[1]", "html[1]/body[1]/div[1]/p[2]"])
    }
}
