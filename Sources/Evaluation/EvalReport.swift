import Extraction
import Foundation

/// One site's figures.
public struct SiteResult: Sendable, Codable {
    public var site: String
    public var kind: CorpusManifest.Kind
    public var split: CorpusManifest.Split
    public var generator: String?
    public var truthPages: Int
    public var score: EvalScore?
    /// Truth event pages stored when crawling with the site's pattern, and without one.
    public var reachPattern: Reach?
    public var reachAuto: Reach?
    /// Event pages stored in the scored run, and how many of them are not truth event pages.
    public var storedPages = 0
    public var nonEventPagesStored = 0
    public var pagesRead = 0
    public var seconds = 0.0
    public var pagesPerSecond = 0.0
    public var discovery: String?
    public var error: String?

    public init(site: String, kind: CorpusManifest.Kind, split: CorpusManifest.Split, generator: String?, truthPages: Int) {
        self.site = site
        self.kind = kind
        self.split = split
        self.generator = generator
        self.truthPages = truthPages
    }

    enum CodingKeys: String, CodingKey {
        case site, kind, split, generator, score, seconds, discovery, error
        case truthPages = "truth_pages"
        case reachPattern = "reach_pattern"
        case reachAuto = "reach_auto"
        case storedPages = "stored_pages"
        case nonEventPagesStored = "non_event_pages_stored"
        case pagesRead = "pages_read"
        case pagesPerSecond = "pages_per_second"
    }
}

/// Pooled figures over a set of sites: pairs and people summed (micro), and the mean of the
/// sites' pair F1 (macro).
public struct PooledFigures: Sendable, Codable, Equatable {
    public var sites = 0
    public var pairPrecision = 0.0
    public var pairRecall = 0.0
    public var pairF1 = 0.0
    public var macroPairF1 = 0.0
    public var minPairF1 = 0.0
    public var peoplePrecision = 0.0
    public var peopleRecall = 0.0
    public var peopleF1 = 0.0
    public var titleAccuracy: Double?
    public var affiliationAccuracy: Double?
    public var duplicates = 0
    /// Sites whose reach without a pattern is at least 95%, of those measured.
    public var sitesReachedAuto = 0
    public var sitesMeasuredAuto = 0
    public var sitesReachedPattern = 0
    public var sitesMeasuredPattern = 0

    enum CodingKeys: String, CodingKey {
        case sites, duplicates
        case pairPrecision = "pair_precision", pairRecall = "pair_recall", pairF1 = "pair_f1"
        case macroPairF1 = "macro_pair_f1", minPairF1 = "min_pair_f1"
        case peoplePrecision = "people_precision", peopleRecall = "people_recall", peopleF1 = "people_f1"
        case titleAccuracy = "title_accuracy", affiliationAccuracy = "affiliation_accuracy"
        case sitesReachedAuto = "sites_reached_auto", sitesMeasuredAuto = "sites_measured_auto"
        case sitesReachedPattern = "sites_reached_pattern", sitesMeasuredPattern = "sites_measured_pattern"
    }

    public static func pool(_ results: [SiteResult]) -> PooledFigures {
        var figures = PooledFigures()
        let scores = results.compactMap(\.score)
        figures.sites = results.count
        let tp = scores.reduce(0) { $0 + $1.pairTruePositives }
        let fp = scores.reduce(0) { $0 + $1.pairFalsePositives }
        let truth = scores.reduce(0) { $0 + $1.truthPairs }
        figures.pairPrecision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        figures.pairRecall = truth == 0 ? 0 : Double(tp) / Double(truth)
        figures.pairF1 = f1(figures.pairPrecision, figures.pairRecall)
        figures.macroPairF1 = scores.isEmpty ? 0 : scores.reduce(0) { $0 + $1.pairF1 } / Double(scores.count)
        figures.minPairF1 = scores.map(\.pairF1).min() ?? 0
        let matched = scores.reduce(0.0) { $0 + $1.speakerPrecision * Double($1.databaseSpeakers) }
        let database = scores.reduce(0) { $0 + $1.databaseSpeakers }
        let found = scores.reduce(0.0) { $0 + $1.speakerRecall * Double($1.truthSpeakers) }
        let people = scores.reduce(0) { $0 + $1.truthSpeakers }
        figures.peoplePrecision = database == 0 ? 0 : matched / Double(database)
        figures.peopleRecall = people == 0 ? 0 : found / Double(people)
        figures.peopleF1 = f1(figures.peoplePrecision, figures.peopleRecall)
        let titles = scores.reduce(0) { $0 + $1.titleScored }
        let titleOK = scores.reduce(0.0) { $0 + ($1.titleAccuracy ?? 0) * Double($1.titleScored) }
        figures.titleAccuracy = titles == 0 ? nil : titleOK / Double(titles)
        let affiliations = scores.reduce(0) { $0 + $1.affiliationScored }
        let affiliationOK = scores.reduce(0.0) { $0 + ($1.affiliationAccuracy ?? 0) * Double($1.affiliationScored) }
        figures.affiliationAccuracy = affiliations == 0 ? nil : affiliationOK / Double(affiliations)
        figures.duplicates = scores.reduce(0) { $0 + $1.duplicates }
        let auto = results.compactMap(\.reachAuto)
        figures.sitesMeasuredAuto = auto.count
        figures.sitesReachedAuto = auto.filter { $0.share >= 0.95 }.count
        let patterned = results.compactMap(\.reachPattern)
        figures.sitesMeasuredPattern = patterned.count
        figures.sitesReachedPattern = patterned.filter { $0.share >= 0.95 }.count
        return figures
    }

    static func f1(_ p: Double, _ r: Double) -> Double { p + r == 0 ? 0 : 2 * p * r / (p + r) }
}

/// Everything one `speakerdb eval` run measured, as JSON that later runs compare with.
public struct EvalReport: Sendable, Codable {
    public var measuredAt: Date
    public var commit: String?
    public var manifest: String?
    public var split: String
    public var noPattern: Bool
    public var sites: [SiteResult]
    public var conference: PooledFigures
    public var freetext: PooledFigures
    public var seconds: Double
    public var pagesPerSecond: Double
    public var peakMemoryBytes: Int
    /// Extraction methods switched off for the run (`--without`), if any.
    public var methodsOff: [String]?
    /// Opt-in extraction methods switched on for the run (`--with`), if any.
    public var methodsOn: [String]?

    enum CodingKeys: String, CodingKey {
        case commit, manifest, split, sites, conference, freetext, seconds
        case methodsOff = "methods_off"
        case methodsOn = "methods_on"
        case measuredAt = "measured_at"
        case noPattern = "no_pattern"
        case pagesPerSecond = "pages_per_second"
        case peakMemoryBytes = "peak_memory_bytes"
    }

    public init(measuredAt: Date = Date(), commit: String?, manifest: String?, split: String, noPattern: Bool, sites: [SiteResult],
                seconds: Double, peakMemoryBytes: Int) {
        self.measuredAt = measuredAt
        self.commit = commit
        self.manifest = manifest
        self.split = split
        self.noPattern = noPattern
        self.sites = sites
        self.conference = .pool(sites.filter { $0.kind == .conference })
        self.freetext = .pool(sites.filter { $0.kind == .freetext })
        self.seconds = seconds
        let pages = sites.reduce(0) { $0 + $1.pagesRead }
        let siteSeconds = sites.reduce(0.0) { $0 + $1.seconds }
        self.pagesPerSecond = siteSeconds > 0 ? Double(pages) / siteSeconds : 0
        self.peakMemoryBytes = peakMemoryBytes
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public static func load(_ path: String) throws -> EvalReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(EvalReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The process's peak resident memory so far (Linux reports kilobytes).
    public static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}

/// What got better and worse between two reports, site by site.
public enum EvalComparison {
    public struct Change: Sendable, Equatable {
        public var site: String
        public var measure: String
        public var before: Double
        public var after: Double
        public var better: Bool { after > before }
    }

    /// Changes of at least `threshold` in pair F1, precision, recall, and reach, per site and pooled.
    public static func changes(from old: EvalReport, to new: EvalReport, threshold: Double = 0.005) -> [Change] {
        var changes: [Change] = []
        let before = Dictionary(old.sites.map { ($0.site, $0) }, uniquingKeysWith: { first, _ in first })
        for site in new.sites {
            guard let previous = before[site.site] else { continue }
            let pairs: [(String, Double?, Double?)] = [
                ("pair F1", previous.score?.pairF1, site.score?.pairF1),
                ("pair precision", previous.score?.pairPrecision, site.score?.pairPrecision),
                ("pair recall", previous.score?.pairRecall, site.score?.pairRecall),
                ("title accuracy", previous.score?.titleAccuracy, site.score?.titleAccuracy),
                ("affiliation accuracy", previous.score?.affiliationAccuracy, site.score?.affiliationAccuracy),
                ("reach (no pattern)", previous.reachAuto?.share, site.reachAuto?.share),
                ("reach (pattern)", previous.reachPattern?.share, site.reachPattern?.share),
            ]
            for (measure, a, b) in pairs {
                if let a, let b, abs(a - b) >= threshold { changes.append(Change(site: site.site, measure: measure, before: a, after: b)) }
            }
        }
        for (name, a, b) in [("conference", old.conference, new.conference), ("freetext", old.freetext, new.freetext)] {
            for (measure, x, y) in [("pooled pair F1", a.pairF1, b.pairF1), ("macro pair F1", a.macroPairF1, b.macroPairF1)] where abs(x - y) >= threshold {
                changes.append(Change(site: "(\(name))", measure: measure, before: x, after: y))
            }
        }
        return changes
    }
}
