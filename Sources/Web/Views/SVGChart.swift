import Foundation

/// Bar charts drawn on the server as SVG: no JavaScript, no CDN, works with the strict
/// Content-Security-Policy (presentation attributes only, no inline styles). Every label
/// is XML-escaped because labels are scraped text (affiliations).
enum SVGChart {
    struct Bar {
        var label: String
        var value: Int
    }

    /// Vertical bars over time, one per period of a continuous axis, with titled axes, a
    /// scale of round ticks and gridlines, and a description for screen readers (the page
    /// adds a table of the same numbers).
    static func columns(_ bars: [Bar], title: String, description: String, xTitle: String, yTitle: String,
                        width: Int = 720, height: Int = 260) -> String {
        let margin = (top: 16, right: 12, bottom: 58, left: 58)
        let plotWidth = Double(width - margin.left - margin.right)
        let plotHeight = Double(height - margin.top - margin.bottom)
        let ticks = Self.ticks(maximum: bars.map(\.value).max() ?? 0)
        let top = Double(ticks.last ?? 1)
        let step = bars.isEmpty ? 0 : plotWidth / Double(bars.count)
        let bottom = height - margin.bottom
        var svg = header(width: width, height: height, title: title, description: description)
        for tick in ticks {
            let y = Double(margin.top) + plotHeight - plotHeight * Double(tick) / top
            svg += "<line x1=\"\(margin.left)\" y1=\"\(f(y))\" x2=\"\(width - margin.right)\" y2=\"\(f(y))\" stroke=\"\(tick == 0 ? "#999" : "#e6e6e6")\"/>"
            svg += "<text x=\"\(margin.left - 6)\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(tick)</text>"
        }
        svg += "<line x1=\"\(margin.left)\" y1=\"\(margin.top)\" x2=\"\(margin.left)\" y2=\"\(bottom)\" stroke=\"#999\"/>"
        let labelEvery = max(1, Int((Double(bars.count) / 10).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * Double(bar.value) / top
            let x = Double(margin.left) + Double(index) * step + step * 0.1
            let y = Double(margin.top) + plotHeight - barHeight
            svg += "<rect class=\"bar\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(1, step * 0.8)))\" height=\"\(f(barHeight))\" fill=\"#3867d6\">"
            svg += "<title>\(escape(bar.label)): \(bar.value)</title></rect>"
            if index % labelEvery == 0 {
                svg += "<text x=\"\(f(x + step * 0.4))\" y=\"\(bottom + 16)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(escape(bar.label))</text>"
            }
        }
        svg += "<text x=\"\(margin.left + Int(plotWidth / 2))\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">\(escape(xTitle))</text>"
        let middle = margin.top + Int(plotHeight / 2)
        svg += "<text x=\"14\" y=\"\(middle)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 14 \(middle))\">\(escape(yTitle))</text>"
        if bars.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"\(height / 2)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#777\">No data yet</text>"
        }
        return svg + "</svg>"
    }

    /// Round tick values from 0 to at least `maximum` (steps of 1, 2 or 5 × 10ⁿ, about
    /// five of them).
    static func ticks(maximum: Int) -> [Int] {
        guard maximum > 0 else { return [0, 1] }
        let raw = Double(maximum) / 5
        let magnitude = pow(10, floor(log10(max(raw, 1))))
        let step = max(1, Int([1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude))
        let top = Int((Double(maximum) / Double(step)).rounded(.up)) * step
        return Array(stride(from: 0, through: top, by: step))
    }

    /// Horizontal bars with a label each (top affiliations).
    static func rows(_ bars: [Bar], title: String, width: Int = 720) -> String {
        let rowHeight = 24, labelWidth = 260, top = 8
        let height = max(60, top * 2 + rowHeight * bars.count)
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        let plotWidth = Double(width - labelWidth - 60)
        var svg = header(width: width, height: height, title: title, description: title)
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

    private static func header(width: Int, height: Int, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" aria-label=\"\(escape(title))\">"
            + "<title>\(escape(title))</title><desc>\(escape(description))</desc>"
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
