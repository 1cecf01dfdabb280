import Testing
@testable import Web

/// The speakers list's rows and facets are written by `HTMLBuilder` and placed unescaped
/// into the page, so its escaping is checked directly here (the pages' hostile-content
/// tests check them end to end).
@Suite("HTML builder")
struct HTMLBuilderTests {
    @Test func everyValueIsEscapedAndPlainTextIsUnchanged() {
        #expect(HTMLBuilder.escape(#"<script>alert("x")</script> & 'y'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(HTMLBuilder.escape("José Núñez, 山田 花子") == "José Núñez, 山田 花子")
        #expect(HTMLBuilder.escape("") == "")
        #expect(HTMLBuilder.escape("a&b") == "a&amp;b")
        var builder = HTMLBuilder()
        builder.raw("<td>")
        builder.text("\" onfocus=\"alert(1)")
        builder.raw("</td>")
        builder.text(42)
        #expect(builder.html == "<td>&quot; onfocus=&quot;alert(1)</td>42")
    }

    /// Output built by hand escapes by byte: a scalar that joins with the next one into a
    /// single grapheme cluster (U+0600 then `<` is one `Character`) must not shield the `<`.
    @Test func graphemeJoiningPrefixesDoNotShieldMarkup() {
        for joiner in RouteFuzzTests.joiners {
            let hostile = "\(joiner)<meta http-equiv=refresh content=0;url=https://evil.example.org/>"
            for escaped in [HTMLBuilder.escape(hostile), SVGChart.escape(hostile),
                            SVGChart.rows([SVGChart.Bar(label: hostile, value: 3)], title: hostile),
                            SVGChart.columns([SVGChart.Bar(label: hostile, value: 3)], title: hostile, description: hostile, xTitle: hostile, yTitle: hostile)] {
                #expect(!escaped.contains("<meta"), "U+\(String(joiner.unicodeScalars.first!.value, radix: 16, uppercase: true)) let markup through")
                #expect(escaped.contains("&lt;meta"))
            }
        }
    }

    @Test func facetLinksEscapeLabelsAndHrefs() {
        let html = HTMLBuilder.facets([FacetGroup(name: "affiliation", title: "Affiliation", values: [
            FacetLink(value: "<b>", label: "<b onmouseover=x>", count: 3, href: "/speakers?affiliation=%3Cb%3E&x=\"", selected: true),
        ])])
        #expect(html.contains("<li class=\"selected\"><a href=\"/speakers?affiliation=%3Cb%3E&amp;x=&quot;\">&lt;b onmouseover=x&gt;</a> <span class=\"count\">3</span></li>"), "\(html)")
        #expect(!html.contains("<b "))
    }
}
