import Foundation
import SpeakerCore

/// The measures of ../shared/eval/score.py, in Swift, so `speakerdb eval` prints the same
/// figures: precision/recall/F1 of (speaker, event page) pairs on the truth's event pages,
/// of distinct people, duplicates, and title/affiliation accuracy on matched people.
public struct EvalScore: Codable, Sendable, Equatable {
    public var site: String
    public var pairPrecision: Double
    public var pairRecall: Double
    public var pairF1: Double
    public var pairTruePositives: Int
    public var pairFalsePositives: Int
    public var truthPairs: Int
    public var speakerPrecision: Double
    public var speakerRecall: Double
    public var speakerF1: Double
    public var databaseSpeakers: Int
    public var truthSpeakers: Int
    public var duplicates: Int
    public var titleAccuracy: Double?
    public var titleScored: Int
    public var affiliationAccuracy: Double?
    public var affiliationScored: Int
    public var pairsOnNonEventPages: Int
    /// Automatic identity merges in the run, and how many joined two different true people
    /// (not a score.py measure; filled in by `speakerdb eval`).
    public var merges: Int? = nil
    public var wrongMerges: Int? = nil

    enum CodingKeys: String, CodingKey {
        case site
        case pairPrecision = "pair_precision", pairRecall = "pair_recall", pairF1 = "pair_f1"
        case pairTruePositives = "pair_tp", pairFalsePositives = "pair_fp", truthPairs = "truth_pairs"
        case speakerPrecision = "speaker_precision", speakerRecall = "speaker_recall", speakerF1 = "speaker_f1"
        case databaseSpeakers = "db_speakers", truthSpeakers = "truth_speakers", duplicates
        case titleAccuracy = "title_accuracy", titleScored = "title_scored"
        case affiliationAccuracy = "affiliation_accuracy", affiliationScored = "affiliation_scored"
        case pairsOnNonEventPages = "pairs_on_non_event_pages"
        case merges, wrongMerges = "wrong_merges"
    }
}

public enum EvalScorer {
    static let honorifics: Set<String> = ["dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "ambassador", "amb",
                                          "h.e.", "he", "hon", "rev", "fr", "phd", "ph.d", "md", "jr", "sr", "ii", "iii", "obe", "mbe", "cbe", "frs"]

    public static func normText(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        let decomposed = text.precomposedStringWithCompatibilityMapping.decomposedStringWithCompatibilityMapping
        let stripped = String(String.UnicodeScalarView(decomposed.unicodeScalars.filter { !($0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .spacingMark || $0.properties.generalCategory == .enclosingMark) }))
        let folded = stripped.lowercased()
        var scalars = String.UnicodeScalarView()
        var space = false
        for scalar in folded.unicodeScalars {
            if ["\u{2018}", "\u{2019}", "'", "`", "\u{00B4}"].contains(scalar) { continue }
            let word = scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "@"
                || scalar.properties.generalCategory == .decimalNumber
            if word {
                scalars.append(scalar)
                space = false
            } else if !space {
                scalars.append(" ")
                space = true
            }
        }
        return String(scalars).split(separator: " ").joined(separator: " ")
    }

    public static func normName(_ text: String?) -> String {
        var tokens = normText(text).split(separator: " ").map(String.init)
        while tokens.count > 1, honorifics.contains(tokens[0].trimmingCharacters(in: CharacterSet(charactersIn: "."))) { tokens.removeFirst() }
        while tokens.count > 1, honorifics.contains(tokens.last!.trimmingCharacters(in: CharacterSet(charactersIn: "."))) { tokens.removeLast() }
        return tokens.joined(separator: " ")
    }

    public static func nameKeys(_ text: String?) -> Set<String> {
        let name = normName(text)
        guard !name.isEmpty else { return [] }
        return [name, name.split(separator: " ").sorted().joined(separator: " ")]
    }

    static func fieldMatch(_ got: String?, _ want: String?) -> Bool? {
        let g = normText(got), w = normText(want)
        if w.isEmpty { return nil }
        if g.isEmpty { return false }
        if g == w || w.contains(g) || g.contains(w) { return true }
        let gs = Set(g.split(separator: " ")), ws = Set(w.split(separator: " "))
        return Double(gs.intersection(ws).count) / Double(max(1, ws.count)) >= 0.8
    }

    public static func path(of url: String) -> String {
        if url.contains("://"), let components = URLComponents(string: url) {
            let path = components.percentEncodedPath.removingPercentEncoding ?? components.path
            return path.isEmpty ? "/" : path
        }
        let path = String(url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        return (path.removingPercentEncoding ?? path).isEmpty ? "/" : (path.removingPercentEncoding ?? path)
    }

    /// The paths a static server answers with the same file: "/a/" and "/a/index.html";
    /// "/a.html" and "/a" (GitHub Pages serves both).
    public static func variants(_ path: String) -> [String] {
        if path.hasSuffix("/index.html") { return [path, String(path.dropLast("index.html".count))] }
        if path.hasSuffix("/") { return [path, path + "index.html"] }
        if path.hasSuffix(".html") { return [path, String(path.dropLast(5))] }
        return [path, path + ".html"]
    }

    static func f1(_ p: Double, _ r: Double) -> Double { p + r == 0 ? 0 : 2 * p * r / (p + r) }

    static func round4(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// Name key → indexes of the truth people with that name (any of their spellings), in
    /// truth order.
    static func peopleByNameKey(_ people: [[String: Any]]) -> [String: [Int]] {
        var keyToPeople: [String: [Int]] = [:]
        for (index, person) in people.enumerated() {
            for field in ["name", "full_public_name", "public_name"] {
                for key in nameKeys(person[field] as? String) where !(keyToPeople[key]?.contains(index) ?? false) {
                    keyToPeople[key, default: []].append(index)
                }
            }
        }
        return keyToPeople
    }

    /// How many merges (kept name, merged name) joined two different people of the truth:
    /// both names belong to truth people and to no person in common.
    public static func wrongMerges(_ merges: [(String, String)], truth: [String: Any]) -> Int {
        let keyToPeople = peopleByNameKey(truth["speakers"] as? [[String: Any]] ?? [])
        func persons(_ name: String) -> Set<Int> { nameKeys(name).reduce(into: Set<Int>()) { $0.formUnion(keyToPeople[$1] ?? []) } }
        return merges.filter { kept, merged in
            let a = persons(kept), b = persons(merged)
            return !a.isEmpty && !b.isEmpty && a.isDisjoint(with: b)
        }.count
    }

    public static func score(export: ExportDocument, truth: [String: Any]) -> EvalScore {
        let truthEvents = truth["events"] as? [[String: Any]] ?? []
        var truthPages: [String: String] = [:]
        for event in truthEvents {
            guard let path = event["path"] as? String else { continue }
            for variant in variants(path) { truthPages[variant] = path }
        }
        let people = truth["speakers"] as? [[String: Any]] ?? []
        let keyToPeople = peopleByNameKey(people)
        let personPages = people.map { Set(($0["events"] as? [String]) ?? []) }
        var ignored = Set<String>()
        for entry in truth["ignore"] as? [[String: Any]] ?? [] {
            for key in nameKeys(entry["name"] as? String) {
                for page in entry["events"] as? [String] ?? [] { ignored.insert(key + "\u{1}" + page) }
            }
        }
        var truthPairs = Set<String>()
        for (index, person) in people.enumerated() {
            for page in person["events"] as? [String] ?? [] { truthPairs.insert("\(index)\u{1}\(page)") }
        }
        var gotPairs = Set<String>()
        var offPages = 0
        var unmatchedPairs = 0
        var databaseToPerson: [Int: Int?] = [:]
        for (index, speaker) in export.speakers.enumerated() {
            var candidates: [Int] = []
            let keys = nameKeys(speaker.name)
            // Keys in the order Python's set would give is irrelevant for the usual case of one candidate.
            for key in keys.sorted() {
                for person in keyToPeople[key] ?? [] where !candidates.contains(person) { candidates.append(person) }
            }
            var person = candidates.first
            var onSite = false
            for event in speaker.events {
                let eventPath = path(of: event.url)
                guard let canonical = variants(eventPath).lazy.compactMap({ truthPages[$0] }).first else {
                    offPages += 1
                    continue
                }
                if person == nil && keys.contains(where: { ignored.contains($0 + "\u{1}" + canonical) }) { continue }
                onSite = true
                guard let current = person else {
                    unmatchedPairs += 1
                    continue
                }
                let owner = candidates.first { personPages[$0].contains(canonical) } ?? current
                gotPairs.insert("\(owner)\u{1}\(canonical)")
                if owner != current && candidates.count > 1 { person = owner }
            }
            if onSite || speaker.events.isEmpty { databaseToPerson[index] = person }
        }
        let tp = gotPairs.intersection(truthPairs).count
        let fp = gotPairs.subtracting(truthPairs).count + unmatchedPairs
        let pairP = tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0
        let pairR = truthPairs.isEmpty ? 0 : Double(tp) / Double(truthPairs.count)
        let matched = databaseToPerson.values.compactMap { $0 }
        let found = Set(matched)
        let speakerP = databaseToPerson.isEmpty ? 0 : Double(matched.count) / Double(databaseToPerson.count)
        let speakerR = people.isEmpty ? 0 : Double(found.count) / Double(people.count)
        let duplicates = found.filter { person in matched.filter { $0 == person }.count > 1 }.count
        var titleOK = 0, titleN = 0, affiliationOK = 0, affiliationN = 0
        for (index, person) in databaseToPerson {
            guard let person else { continue }
            let speaker = export.speakers[index], want = people[person]
            if let match = fieldMatch(speaker.title, want["title"] as? String) {
                titleN += 1
                if match { titleOK += 1 }
            }
            if let match = fieldMatch(speaker.affiliation, want["affiliation"] as? String) {
                affiliationN += 1
                if match { affiliationOK += 1 }
            }
        }
        return EvalScore(site: truth["site"] as? String ?? "?", pairPrecision: round4(pairP), pairRecall: round4(pairR), pairF1: round4(f1(pairP, pairR)),
                         pairTruePositives: tp, pairFalsePositives: fp, truthPairs: truthPairs.count,
                         speakerPrecision: round4(speakerP), speakerRecall: round4(speakerR), speakerF1: round4(f1(speakerP, speakerR)),
                         databaseSpeakers: databaseToPerson.count, truthSpeakers: people.count, duplicates: duplicates,
                         titleAccuracy: titleN > 0 ? round4(Double(titleOK) / Double(titleN)) : nil, titleScored: titleN,
                         affiliationAccuracy: affiliationN > 0 ? round4(Double(affiliationOK) / Double(affiliationN)) : nil,
                         affiliationScored: affiliationN, pairsOnNonEventPages: offPages)
    }
}
