import Foundation

/// Bar charts drawn on the server as SVG: no JavaScript, no CDN, works with the strict
/// Content-Security-Policy (presentation attributes only, no inline styles). Every label
/// is XML-escaped because labels are scraped text (affiliations).
enum SVGChart {
    struct Bar {
        var label: String
        var value: Int
    }

    /// Vertical bars over time (months), labelled on the x axis every few bars.
    static func columns(_ bars: [Bar], title: String, width: Int = 720, height: Int = 220) -> String {
        let margin = (top: 24, right: 12, bottom: 40, left: 44)
        let plotWidth = Double(width - margin.left - margin.right)
        let plotHeight = Double(height - margin.top - margin.bottom)
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        let step = bars.isEmpty ? 0 : plotWidth / Double(bars.count)
        var svg = header(width: width, height: height, title: title)
        svg += axis(x: margin.left, top: margin.top, bottom: height - margin.bottom, maxValue: maxValue, right: width - margin.right)
        let labelEvery = max(1, bars.count / 8)
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * Double(bar.value) / Double(maxValue)
            let x = Double(margin.left) + Double(index) * step + step * 0.1
            let y = Double(margin.top) + plotHeight - barHeight
            svg += "<rect class=\"bar\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(1, step * 0.8)))\" height=\"\(f(barHeight))\" fill=\"#3867d6\">"
            svg += "<title>\(escape(bar.label)): \(bar.value)</title></rect>"
            if index % labelEvery == 0 {
                svg += "<text x=\"\(f(x + step * 0.4))\" y=\"\(height - margin.bottom + 16)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(escape(bar.label))</text>"
            }
        }
        if bars.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"\(height / 2)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#777\">No data yet</text>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars with a label each (top affiliations).
    static func rows(_ bars: [Bar], title: String, width: Int = 720) -> String {
        let rowHeight = 24, labelWidth = 260, top = 8
        let height = max(60, top * 2 + rowHeight * bars.count)
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        let plotWidth = Double(width - labelWidth - 60)
        var svg = header(width: width, height: height, title: title)
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            let barWidth = plotWidth * Double(bar.value) / Double(maxValue)
            let label = bar.label.count > 38 ? String(bar.label.prefix(37)) + "…" : bar.label
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 16)\" font-size=\"12\" text-anchor=\"end\" fill=\"#333\">\(escape(label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(f(max(1, barWidth)))\" height=\"\(rowHeight - 8)\" fill=\"#20bf6b\"><title>\(escape(bar.label)): \(bar.value)</title></rect>"
            svg += "<text x=\"\(f(Double(labelWidth) + barWidth + 6))\" y=\"\(y + 16)\" font-size=\"12\" fill=\"#333\">\(bar.value)</text>"
        }
        if bars.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"34\" font-size=\"13\" text-anchor=\"middle\" fill=\"#777\">No data yet</text>"
        }
        return svg + "</svg>"
    }

    private static func header(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
    }

    private static func axis(x: Int, top: Int, bottom: Int, maxValue: Int, right: Int) -> String {
        var svg = "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(bottom)\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(x)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"#999\"/>"
        svg += "<text x=\"\(x - 6)\" y=\"\(top + 4)\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(maxValue)</text>"
        svg += "<text x=\"\(x - 6)\" y=\"\(bottom)\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">0</text>"
        return svg
    }

    private static func f(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// Escapes by UTF-8 byte (`HTMLBuilder.escape`), never by `Character`: a grapheme
    /// cluster such as U+0600 followed by `<` is one `Character` that is not `<`.
    static func escape(_ text: String) -> String {
        HTMLBuilder.escape(text)
    }
}
