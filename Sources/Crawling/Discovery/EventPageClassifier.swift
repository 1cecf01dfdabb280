import Foundation
import SpeakerCore

/// Decides which of a site's pages are event pages, from what discovery read.
///
/// A site is many pages of a few templates, and pages of one template share a URL shape
/// ("/talks/{slug}/"). Each shape is judged as a family, on the evidence of the pages of it
/// that were read:
/// - for: schema.org Event data, a date, times of day, words of taking part (speaker,
///   moderator, Vortrag…), person names, titles that differ page to page, and event words
///   in the URL (talk, session, event…);
/// - against: a person's name as the heading (a profile), a page made of links (a listing),
///   notice titles, and non-event words in the URL (speakers, news, tag…);
/// - and by the links between families: a family whose pages mostly link to another event
///   family is its listing (schedule days, tracks, year archives), not events itself.
/// Pages that are not in an event family but hold a whole programme (many times of day and
/// many people, and no links to event pages) are event pages on their own.
public struct EventPageClassifier: Sendable {
    /// Path words of event pages.
    static let eventWords: Set<String> = [
        "event", "events", "talk", "talks", "session", "sessions", "lecture", "lectures", "seminar", "seminars", "colloquium",
        "colloquia", "workshop", "workshops", "keynote", "keynotes", "webinar", "webinars", "panel", "panels", "presentation",
        "presentations", "programme", "program", "agenda", "schedule", "conference", "symposium", "meetup", "meetups",
        "veranstaltung", "veranstaltungen", "vortrag", "vortraege", "vorträge", "termine", "evenement", "evenements", "événement",
        "événements", "conference", "conferences", "charla", "charlas", "conferencia", "conferencias", "evento", "eventos",
        "actividad", "actividades", "incontro", "incontri", "lezione", "palestra", "palestras", "lezing", "lezingen",
        "activiteit", "activiteiten", "fahrplan", "contribution", "contributions", "slot", "slots", "activity", "activities",
    ]
    /// Path words of pages that are about people, taxonomies or the site, never events.
    static let nonEventWords: Set<String> = [
        "speaker", "speakers", "people", "person", "persons", "author", "authors", "tag", "tags", "category", "categories",
        "page", "login", "signup", "register", "contact", "about", "privacy", "imprint", "impressum", "search", "feed",
        "newsletter", "staff", "team", "sponsor", "sponsors", "partners", "jobs", "careers", "referenten", "intervenants",
        "ponentes", "news", "blog", "post", "posts", "article", "articles", "press", "venue", "venues", "location",
        "locations", "room", "rooms", "track", "tracks", "member", "members", "profile", "profiles", "user", "users",
        "organizer", "organizers", "organiser", "organisers", "committee", "gallery", "photos", "video", "videos",
        "sprecher", "redner", "aktuelles", "nachrichten", "actualites", "actualités", "noticias", "notizie", "nieuws",
        "bio", "bios", "faq", "code-of-conduct", "coc", "legal", "terms", "cookies", "shop", "donate", "membership",
    ]

    public init() {}

    /// The family a hub's pages lead to most (target shape → pages linking); between equals,
    /// the first shape in code-point order, so the choice does not follow a dictionary's
    /// per-process order.
    static func hubTarget(_ targets: [String: Int]) -> String? {
        targets.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key
    }

    public struct Input: Sendable {
        public var start: URL
        public var summaries: [PageSummary]
        /// Content links (not navigation) of each page read, by normalised URL.
        public var contentLinks: [String: [String]]
        /// How many pages read link to each URL from their navigation, header or footer.
        public var navigationLinks: [String: Int]
        /// Every URL found on the host, read or only linked.
        public var known: [String]
        public var pattern: NSRegularExpression?
        public var patternText: String?
        /// Links that redirected, by the URL they landed on: a pattern written for the
        /// link still picks the page.
        public var redirectedFrom: [String: [String]] = [:]

        public init(start: URL, summaries: [PageSummary], contentLinks: [String: [String]], navigationLinks: [String: Int] = [:],
                    known: [String], pattern: NSRegularExpression? = nil, patternText: String? = nil) {
            self.start = start
            self.summaries = summaries
            self.contentLinks = contentLinks
            self.navigationLinks = navigationLinks
            self.known = known
            self.pattern = pattern
            self.patternText = patternText
        }
    }

    public struct Decision: Sendable {
        public var plan: DiscoveryPlan
        /// Event page URLs, in the order found.
        public var eventURLs: [String]
    }

    public func classify(_ input: Input) -> Decision {
        let shapeOf = Self.shapes(of: input.known)
        var members: [String: [String]] = [:]
        for url in input.known {
            if let shape = shapeOf[url] { members[shape, default: []].append(url) }
        }
        var summaryList = input.summaries
        for index in summaryList.indices { summaryList[index].shape = shapeOf[summaryList[index].url] ?? summaryList[index].shape }
        let readByShape = Dictionary(grouping: summaryList, by: \.shape)
        let noticeURLs = Set(summaryList.filter { $0.noticeTitle && !$0.eventData }.map(\.url))

        if let pattern = input.pattern {
            var families: [DiscoveryPlan.Family] = []
            var events: [String] = []
            for url in input.known where ([url] + (input.redirectedFrom[url] ?? [])).contains(where: { candidate in
                URL(string: candidate).map { ListingAnalyzer.matches(pattern, $0) } == true
            }) {
                events.append(url)
            }
            let eventShapes = Set(events.compactMap { shapeOf[$0] })
            for shape in eventShapes.sorted() {
                families.append(.init(shape: shape, kind: .event, score: 1, pages: members[shape]?.count ?? 0,
                                      read: readByShape[shape]?.count ?? 0, reasons: ["matches the source's pattern"],
                                      examples: Array((members[shape] ?? []).prefix(3))))
            }
            let plan = DiscoveryPlan(pattern: input.patternText, families: families, pagesRead: input.summaries.count)
            return Decision(plan: plan, eventURLs: events)
        }

        // Pass 1: each family on its own evidence, and on how the site links to it: from the
        // start page's content as a list (what the user pointed at), or from every page's
        // navigation (the site's sections, not its events).
        let startLinks = Set(summaryList.filter { $0.depth == 0 }.flatMap { input.contentLinks[$0.url] ?? [] })
        let navigationThreshold = max(2, input.summaries.count * 3 / 10)
        var scored: [String: (score: Double, reasons: [String])] = [:]
        for (shape, pages) in readByShape {
            let urls = members[shape] ?? []
            var (score, reasons) = familyScore(shape: shape, pages: pages, members: urls.count)
            if urls.filter(startLinks.contains).count >= 2 {
                score += 0.7
                reasons.append("listed on the start page")
            }
            let navigation = Double(urls.filter { (input.navigationLinks[$0] ?? 0) >= navigationThreshold }.count) / Double(max(1, urls.count))
            if navigation > 0 {
                score -= 1.5 * navigation
                reasons.append(String(format: "in the site's navigation %.0f%%", navigation * 100))
            }
            scored[shape] = (score, reasons)
        }
        func isEventLike(_ shape: String) -> Bool { (scored[shape]?.score ?? -1) > 0 && (members[shape]?.count ?? 0) >= 2 }

        // Pass 2: families whose pages lead to another event-like family are its listings.
        var linksTo: [String: [String: Int]] = [:]   // shape → target shape → pages linking
        for (shape, pages) in readByShape {
            for page in pages {
                let targets = Set((input.contentLinks[page.url] ?? []).compactMap { shapeOf[$0] }).subtracting([shape])
                for target in targets {
                    let count = (input.contentLinks[page.url] ?? []).filter { shapeOf[$0] == target }.count
                    if count >= 2 || (count >= 1 && page.linkTextShare > 0.5) { linksTo[shape, default: [:]][target, default: 0] += 1 }
                }
            }
        }
        var kinds: [String: DiscoveryPlan.Kind] = [:]
        for (shape, pages) in readByShape {
            var (score, reasons) = scored[shape] ?? (-1, [])
            let hubTargets = (linksTo[shape] ?? [:]).filter { target, count in
                isEventLike(target) && Double(count) >= 0.6 * Double(pages.count)
                    && (members[target]?.count ?? 0) >= 2
            }
            if score > 0, let target = Self.hubTarget(hubTargets) {
                // Mutual links (talks ↔ speakers): the family headed by people's names is the profiles.
                let back = Double((linksTo[target] ?? [:])[shape] ?? 0) / Double(max(1, readByShape[target]?.count ?? 1))
                let ownHeading = share(pages) { $0.headingIsPerson }
                let targetHeading = share(readByShape[target] ?? []) { $0.headingIsPerson }
                let targetMembers = members[target]?.count ?? 0
                let ownMembers = members[shape]?.count ?? 0
                if back < 0.5 || ownHeading > targetHeading || (ownHeading == targetHeading && ownMembers < targetMembers) {
                    score -= 2.5
                    reasons.append("its pages lead to \(target)")
                }
            }
            scored[shape] = (score, reasons)
            let kind: DiscoveryPlan.Kind
            if score > 0 && (members[shape]?.count ?? 0) >= 2 {
                kind = .event
            } else if share(pages, { $0.headingIsPerson }) >= 0.5 {
                kind = .profile
            } else if (linksTo[shape] ?? [:]).keys.contains(where: isEventLike) || pages.contains(where: { $0.depth == 0 }) {
                kind = .listing
            } else {
                kind = .other
            }
            kinds[shape] = kind
        }
        // Shapes only linked, never read: events only by their URL words, when nothing was read of them.
        var families: [DiscoveryPlan.Family] = []
        for (shape, urls) in members {
            if let pages = readByShape[shape] {
                let (score, reasons) = scored[shape] ?? (0, [])
                families.append(.init(shape: shape, kind: kinds[shape] ?? .other, score: score, pages: urls.count, read: pages.count,
                                      reasons: reasons, examples: Array(urls.prefix(3))))
            }
        }
        let eventShapes = Set(families.filter { $0.kind == .event }.map(\.shape))
        var events = input.known.filter { url in shapeOf[url].map(eventShapes.contains) == true && !noticeURLs.contains(url) }
        let notices = input.known.filter { url in shapeOf[url].map(eventShapes.contains) == true && noticeURLs.contains(url) }

        // Pages outside event families that present events themselves, without linking to
        // event pages: a whole programme (many times of day and many people), or one event
        // described on its own page (a time, a date, a person and words of taking part).
        var programmes: [String] = []
        for page in summaryList where !eventShapes.contains(page.shape) && !noticeURLs.contains(page.url) {
            let linksToEvents = (input.contentLinks[page.url] ?? []).filter { shapeOf[$0].map(eventShapes.contains) == true }.count
            guard kinds[page.shape] != .profile, !page.headingIsPerson, linksToEvents < 3 else { continue }
            let words = Set(page.shape.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init))
            guard words.isDisjoint(with: Self.nonEventWords) else { continue }
            let eventWord = !words.isDisjoint(with: Self.eventWords)
            // Many sessions with their people: by times or dates, or (a list of sessions with
            // no times) by many people, words of taking part and an event word in the URL.
            let programme = (page.clockTimes >= 3 && page.personNames >= 3)
                || (page.dateLines >= 3 && page.personNames >= 3 && page.roleCues >= 1)
                || (eventWord && page.personNames >= 5 && page.roleCues >= 3 && page.linkTextShare < 0.6)
            let single = linksToEvents == 0 && page.clockTimes >= 1 && (page.hasDate || page.eventData) && page.personNames >= 1
                && page.roleCues >= 1
            if programme || single { programmes.append(page.url) }
        }
        // Nothing else found: the start page itself, when it names people among times or roles.
        if events.isEmpty && programmes.isEmpty, let start = summaryList.first(where: { $0.depth == 0 }),
           start.personNames >= 1 && (start.roleCues >= 1 || start.clockTimes >= 1 || start.eventData) {
            programmes.append(start.url)
        }
        events.append(contentsOf: programmes.filter { !events.contains($0) })
        let plan = DiscoveryPlan(families: families.sorted { $0.shape < $1.shape }, programmePages: programmes, notices: notices,
                                 pagesRead: input.summaries.count)
        return Decision(plan: plan, eventURLs: events)
    }

    /// Each URL's shape (`URLShape`), with one refinement a single URL cannot give: where
    /// several URLs differ only in one plain word ("/talks/keynote", "/talks/opening",
    /// "/talks/closing"), that word is a variable part too.
    static func shapes(of urls: [String]) -> [String: String] {
        var shapeOf: [String: String] = [:]
        var bySkeleton: [String: Set<String>] = [:]
        var counts: [String: Int] = [:]
        for url in urls {
            guard let parsed = URL(string: url) else { continue }
            let shape = URLShape.of(parsed)
            shapeOf[url] = shape
            counts[shape, default: 0] += 1
        }
        // For every shape with a plain last segment, its skeleton with that segment open.
        func skeleton(_ shape: String) -> String? {
            var parts = shape.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard let index = parts.lastIndex(where: { !$0.isEmpty }), !parts[index].contains("{"), !parts[index].contains("?") else { return nil }
            parts[index] = "{slug}"
            return parts.joined(separator: "/")
        }
        for (shape, count) in counts where count == 1 {
            if let key = skeleton(shape), key.split(separator: "/").count >= 2 { bySkeleton[key, default: []].insert(shape) }
        }
        for (key, shapes) in bySkeleton where shapes.count >= 4 {
            for (url, shape) in shapeOf where shapes.contains(shape) { shapeOf[url] = key }
        }
        return shapeOf
    }

    func share(_ pages: [PageSummary], _ predicate: (PageSummary) -> Bool) -> Double {
        pages.isEmpty ? 0 : Double(pages.filter(predicate).count) / Double(pages.count)
    }

    /// A family's score from its own pages: above zero reads as events.
    func familyScore(shape: String, pages: [PageSummary], members: Int) -> (Double, [String]) {
        var score = -1.2
        var reasons: [String] = []
        func add(_ weight: Double, _ value: Double, _ reason: String) {
            guard value > 0 else { return }
            score += weight * value
            reasons.append(String(format: "%@ %.0f%%", reason, value * 100))
        }
        add(2.0, share(pages) { $0.eventData }, "schema.org Event")
        add(0.9, share(pages) { $0.hasDate }, "a date")
        add(0.7, share(pages) { $0.clockTimes >= 1 }, "a time of day")
        add(0.7, share(pages) { $0.roleCues >= 1 }, "words of taking part")
        let people = share(pages) { $0.personNames >= 1 }
        add(0.5, people, "person names")
        if people < 0.3 {
            // Speakers' pages name people; a family where few pages do is something else
            // (transcripts, documents, venues), even when it has dates.
            score -= 0.8
            reasons.append("few pages name anyone")
        }
        let titles = pages.compactMap(\.title)
        if pages.count >= 2 {
            add(0.4, Double(Set(titles).count) / Double(pages.count), "distinct titles")
        }
        let words = Set(shape.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init))
        if !words.isDisjoint(with: Self.eventWords) {
            score += 0.6
            reasons.append("event word in the URL")
        }
        if !words.isDisjoint(with: Self.nonEventWords) {
            score -= 1.2
            reasons.append("non-event word in the URL")
        }
        let profile = share(pages) { $0.headingIsPerson }
        if profile > 0 {
            score -= 2.2 * profile
            reasons.append(String(format: "headed by a person's name %.0f%%", profile * 100))
        }
        let listing = share(pages) { $0.contentLinks >= 8 && $0.linkTextShare >= 0.5 }
        if listing > 0 {
            score -= 1.6 * listing
            reasons.append(String(format: "made of links %.0f%%", listing * 100))
        }
        let notice = share(pages) { $0.noticeTitle }
        if notice > 0.5 {
            score -= 1.2 * notice
            reasons.append("notice titles")
        }
        if members < 2, let page = pages.first {
            reasons.append("a single page: \(page.clockTimes) times of day, \(page.dateLines) dated lines, \(page.personNames) names, "
                           + "\(page.roleCues) words of taking part, \(page.contentLinks) links")
        }
        return (score, reasons)
    }
}
