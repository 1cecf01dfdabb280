import Foundation
import Storage

/// A count per period on a continuous time axis: every month (or quarter, or year) from
/// the first to the last with data, empty ones included, so the bars' spacing is time.
/// Long spans are binned wider so the chart stays readable. Values with no usable date
/// are counted in `undated`, never dropped silently.
struct Timeline: Codable, Equatable {
    struct Point: Codable, Equatable {
        var period: String
        var count: Int
    }

    enum Bin: String, Codable {
        case month, quarter, year
    }

    var bin: Bin
    var points: [Point]
    var undated: Int
    /// Everything counted: the points and the undated.
    var total: Int

    /// Months (at most 36) → monthly bars; up to ten years → quarters; longer → years.
    static let monthlyLimit = 36
    static let quarterlyLimit = 120

    init(months: [MonthCount], undated: Int) {
        var parsed: [(index: Int, count: Int)] = []
        var unusable = 0
        for month in months {
            let parts = month.month.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), (1...12).contains(number), (1000...9999).contains(year) else {
                unusable += month.count
                continue
            }
            parsed.append((year * 12 + number - 1, month.count))
        }
        self.undated = undated + unusable
        total = self.undated + parsed.reduce(0) { $0 + $1.count }
        guard let first = parsed.map(\.index).min(), let last = parsed.map(\.index).max() else {
            bin = .month
            points = []
            return
        }
        let span = last - first + 1
        bin = span <= Self.monthlyLimit ? .month : (span <= Self.quarterlyLimit ? .quarter : .year)
        let width = bin == .month ? 1 : (bin == .quarter ? 3 : 12)
        // Bins start on calendar boundaries: quarters in Jan/Apr/Jul/Oct, years in January.
        let start = first - first % width, end = last - last % width
        var counts = [Int](repeating: 0, count: (end - start) / width + 1)
        for (index, count) in parsed { counts[(index - index % width - start) / width] += count }
        let bin = self.bin
        points = counts.enumerated().map { offset, count in
            let index = start + offset * width
            let year = index / 12, month = index % 12 + 1
            let label = switch bin {
            case .month: String(format: "%04d-%02d", year, month)
            case .quarter: "\(year) Q\((month - 1) / 3 + 1)"
            case .year: String(year)
            }
            return Point(period: label, count: count)
        }
    }
}
