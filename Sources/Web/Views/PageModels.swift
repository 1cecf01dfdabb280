import SpeakerCore
import Storage
import Vapor

/// A facet value with the link that toggles it, for the HTML lists.
struct FacetLink: Encodable {
    var value: String
    var label: String
    var count: Int
    var href: String
    var selected: Bool
}

struct FacetGroup: Encodable {
    var name: String
    var title: String
    var values: [FacetLink]
}

func facetGroup(_ request: Request, path: String, name: String, title: String,
                values: [FacetValue], selected: String?, label: (String) -> String = { $0 }) -> FacetGroup {
    let query = QueryParameters(request)
    return FacetGroup(name: name, title: title, values: values.map { facet in
        let isSelected = facet.value == selected
        return FacetLink(value: facet.value, label: label(facet.value), count: facet.count,
                         href: query.link(path: path, setting: [name: isSelected ? nil : facet.value, "_page": nil]),
                         selected: isSelected)
    })
}

/// What a list page says above its rows: "51–100 of 127", or, for a page past the last
/// one, that it is empty and where the last page is (never "2499951–127 of 127").
struct ListRange: Encodable {
    var summary: String
    /// The last page's link, when the page asked for lies past it.
    var lastPage: String?

    init(request: Request, path: String, total: Int, page: Int, size: Int, pageCount: Int, shown: Int) {
        if total == 0 {
            summary = "0 of 0"
        } else if shown == 0 {
            summary = "Page \(page) is past the last page (\(pageCount)) · \(total) in all"
            lastPage = QueryParameters(request).link(path: path, setting: ["_page": String(pageCount)])
        } else {
            let first = (page - 1) * size + 1
            summary = "\(first)–\(first + shown - 1) of \(total)"
        }
    }
}

struct HomePage: Encodable {
    var title = "speakerdb"
    var nav = "home"
    var counts: DatabaseCounts
    var recentEvents: [EventSummary]
}

/// The speakers list page. Its result rows and facet links are written by `HTMLBuilder`
/// (escaped there): the list is the most requested page, and Leaf's encoding and
/// per-value rendering of them cost about as much as the search itself. Only what the
/// template uses is encoded.
struct SpeakersPage: Encodable {
    var title: String
    var nav = "speakers"
    var filters: SpeakersController.ListData.Filters
    var sampled: Int?
    var total: Int
    var page: Int
    var pageCount: Int
    var links: PageLinks
    var isEmpty: Bool
    var facetsHTML: String
    var rowsHTML: String
    var sortLinks: [FacetLink]
    var range: ListRange

    init(request: Request, data: SpeakersController.ListData) {
        if let tag = data.filters.tag {
            self.title = data.filters.search.map { "Speakers matching “\($0)” with expertise in \(tag)" } ?? "Speakers with expertise in \(tag)"
        } else {
            self.title = data.filters.search.map { "Speakers matching “\($0)”" } ?? "Speakers"
        }
        filters = data.filters
        sampled = data.facets.sampled
        total = data.total
        page = data.page
        pageCount = data.pageCount
        links = data.links
        isEmpty = data.speakers.isEmpty
        facetsHTML = HTMLBuilder.facets([
            facetGroup(request, path: "/speakers", name: "role", title: "Role", values: data.facets.role, selected: data.filters.role),
            facetGroup(request, path: "/speakers", name: "year", title: "Year", values: data.facets.year, selected: data.filters.year.map(String.init)),
            facetGroup(request, path: "/speakers", name: "affiliation", title: "Affiliation", values: data.facets.affiliation, selected: data.filters.affiliation),
            facetGroup(request, path: "/speakers", name: "location", title: "Location", values: data.facets.location, selected: data.filters.location),
            // Tags are reached from profiles; the chosen one is shown so it can be removed.
            facetGroup(request, path: "/speakers", name: "tag", title: "Expertise",
                       values: data.filters.tag.map { [FacetValue(value: $0, count: data.total)] } ?? [], selected: data.filters.tag),
        ].filter { !$0.values.isEmpty })
        var rows = HTMLBuilder()
        for speaker in data.speakers {
            rows.raw("<tr>\n  <td><a href=\"/speakers/")
            rows.text(speaker.id)
            rows.raw("\">")
            rows.text(speaker.name)
            rows.raw("</a></td>\n  <td>")
            rows.text(speaker.title ?? "")
            rows.raw("</td>\n  <td>")
            rows.text(speaker.affiliation ?? "")
            rows.raw("</td>\n  <td class=\"num\">")
            rows.text(speaker.appearanceCount)
            rows.raw("</td>\n</tr>\n")
        }
        rowsHTML = rows.html
        let query = QueryParameters(request)
        let sorts: [SpeakerSort] = data.filters.search == nil ? [.name, .appearances, .newest] : [.relevance, .name, .appearances, .newest]
        sortLinks = sorts.map { sort in
            FacetLink(value: sort.rawValue, label: sort.rawValue, count: 0,
                      href: query.link(path: "/speakers", setting: ["_sort": sort.rawValue, "_page": nil]),
                      selected: sort.rawValue == data.filters.sort)
        }
        range = ListRange(request: request, path: "/speakers", total: data.total, page: data.page, size: data.size,
                          pageCount: data.pageCount, shown: data.speakers.count)
    }
}

struct SpeakerPage: Encodable {
    var title: String
    var nav = "speakers"
    var speaker: SpeakerProfile
    var jsonLink: String
    var csvLink: String
    /// The photo the app serves (`/speakers/:id/photo`), when the pipeline stored one; a
    /// third-party photo link is never put in the page.
    var photoURL: String?
    /// Enriched facts as shown (the best origin's), each with where it came from.
    var tags: [Fact]
    var based: [Fact]
    var languages: [Fact]
    /// Inferred sensitive values (gender), for editors only, each removable.
    var sensitive: [Sensitive]
    /// The person's own links (website, LinkedIn, X, GitHub, ORCID).
    var links: [Link]

    struct Link: Encodable {
        var label: String
        var href: String
    }

    static let linkLabels = ["website": "Website", "linkedin": "LinkedIn", "x": "X", "github": "GitHub", "orcid": "ORCID"]

    /// The profile's links in the order shown, labelled (Storage keeps only http(s) links).
    static func links(of profile: SpeakerProfile) -> [Link] {
        SpeakerProfile.linkKinds.compactMap { kind in profile.links[kind].map { Link(label: linkLabels[kind] ?? kind, href: $0) } }
    }
    /// The fields a correction may be suggested for, and corrections waiting for review.
    var fields: [String]
    var notice: String?
    var pending: Int

    struct Fact: Encodable {
        var label: String
        var source: String
        /// The speakers list filtered to this value (tags).
        var href: String?
    }

    struct Sensitive: Encodable {
        var kind: String
        var label: String
        var source: String
        var removeAction: String
    }

    init(profile: SpeakerProfile, attributes: [SpeakerAttribute], pending: Int, notice: String?, editor: Bool = false, hasPhoto: Bool = false) {
        title = profile.name
        speaker = profile
        jsonLink = "/speakers/\(profile.id).json"
        csvLink = "/speakers/\(profile.id).csv"
        photoURL = hasPhoto ? "/speakers/\(profile.id)/photo" : nil
        func facts(_ kind: SpeakerAttribute.Kind) -> [Fact] {
            SpeakerAttribute.shown(attributes, kind: kind).map { Fact(label: $0.label, source: Self.source($0)) }
        }
        tags = SpeakerAttribute.shown(attributes, kind: .tag).map {
            Fact(label: $0.label, source: Self.source($0), href: "/speakers?tag=" + ($0.value.addingPercentEncoding(withAllowedCharacters: Self.queryValue) ?? ""))
        }
        // A city's value is "City, CC": shown whole, country code included.
        let cities = SpeakerAttribute.shown(attributes, kind: .city).map { Fact(label: $0.value, source: Self.source($0)) }
        based = cities.isEmpty ? facts(.country) : cities
        languages = facts(.language)
        sensitive = editor ? SpeakerAttribute.shown(attributes, kind: .gender).map {
            Sensitive(kind: $0.kind.rawValue, label: $0.label, source: Self.source($0), removeAction: "/speakers/\(profile.id)/attributes/\($0.kind.rawValue)/remove")
        } : []
        links = Self.links(of: profile)
        fields = Correction.Field.allCases.map(\.rawValue)
        self.pending = pending
        self.notice = notice
    }

    /// Characters a query value keeps as they are (RFC 3986 unreserved).
    static let queryValue = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// "from the event page", "from the bio (confidence 0.8)", "approved correction".
    static func source(_ a: SpeakerAttribute) -> String {
        let confidence = String(format: "%.1f", a.confidence)
        switch a.origin {
        case .user: return "approved correction"
        case .page: return "from the event page"
        case .bio: return "from the profile: \u{201C}\(a.evidence ?? "")\u{201D} (confidence \(confidence))"
        case .event: return "from events: \(a.evidence ?? "") (confidence \(confidence))"
        case .llm: return "LLM reading (confidence \(confidence))"
        }
    }
}

struct EventsPage: Encodable {
    var title: String
    var nav = "events"
    var data: EventsController.ListData
    var facetsHTML: String
    var range: ListRange

    init(request: Request, data: EventsController.ListData) {
        title = data.filters.search.map { "Events matching “\($0)”" } ?? "Events"
        self.data = data
        facetsHTML = HTMLBuilder.facets([
            facetGroup(request, path: "/events", name: "year", title: "Year", values: data.facets.year, selected: data.filters.year.map(String.init)),
            facetGroup(request, path: "/events", name: "location", title: "Location", values: data.facets.location, selected: data.filters.location),
        ].filter { !$0.values.isEmpty })
        range = ListRange(request: request, path: "/events", total: data.total, page: data.page, size: data.size,
                          pageCount: data.pageCount, shown: data.events.count)
    }
}

struct EventPage: Encodable {
    var title: String
    var nav = "events"
    var event: EventDetail
    /// The page's own URL, shown as a link only when it is http(s).
    var sourceLink: String?
    var jsonLink: String
    var csvLink: String

    init(detail: EventDetail) {
        title = detail.title ?? detail.url
        event = detail
        sourceLink = URLNormalizer.webLink(detail.url)
        jsonLink = "/events/\(detail.id).json"
        csvLink = "/events/\(detail.id).csv"
    }
}

struct StatsPage: Encodable {
    var title = "Statistics"
    var nav = "stats"
    var data: StatsController.StatsData
    var eventsChart: String
    var eventsNote: String?
    var speakersChart: String
    var speakersNote: String?
    var affiliationsChart: String
    var binLabel: String
    var speakersBinLabel: String

    init(data: StatsController.StatsData) {
        self.data = data
        func per(_ bin: Timeline.Bin) -> String { bin.rawValue }
        binLabel = per(data.events.bin)
        speakersBinLabel = per(data.newSpeakers.bin)
        let shownEvents = data.events.total - data.events.undated
        eventsChart = SVGChart.columns(data.events.points.map { .init(label: $0.period, value: $0.count) },
                                       title: "Events per \(binLabel)",
                                       description: "\(shownEvents) dated events by the \(binLabel) they start in, from \(data.events.points.first?.period ?? "–") to \(data.events.points.last?.period ?? "–").",
                                       xTitle: "Start date (by \(binLabel))", yTitle: "Events")
        eventsNote = data.events.undated > 0 ? "\(data.events.undated) of \(data.events.total) events have no date and are not on the chart." : nil
        let shownSpeakers = data.newSpeakers.total - data.newSpeakers.undated
        speakersChart = SVGChart.columns(data.newSpeakers.points.map { .init(label: $0.period, value: $0.count) },
                                         title: "New speakers per \(speakersBinLabel)",
                                         description: "\(shownSpeakers) speakers by the \(speakersBinLabel) of their first dated appearance.",
                                         xTitle: "First appearance (by \(speakersBinLabel))", yTitle: "New speakers")
        speakersNote = data.newSpeakers.undated > 0 ? "\(data.newSpeakers.undated) of \(data.newSpeakers.total) speakers have no dated appearance and are not on the chart." : nil
        affiliationsChart = SVGChart.rows(data.topAffiliations.map { .init(label: $0.name, value: $0.speakers) }, title: "Top organisations by speakers")
    }
}

struct LeaderboardPage: Encodable {
    var title: String
    var nav = "stats"
    var board: Leaderboard
    var periods: [PeriodLink]
    var csvLink: String
    var jsonLink: String
    var rows: [Row]

    struct PeriodLink: Encodable {
        var label: String
        var href: String
        var selected: Bool
    }

    struct Row: Encodable {
        var rank: Int
        var tally: SpeakerTally
    }

    init(board: Leaderboard) {
        self.board = board
        title = "Most frequent speakers · \(board.period.label)"
        periods = Leaderboard.Period.allCases.map { period in
            PeriodLink(label: period.label, href: period == .all ? "/stats/leaderboard" : "/stats/leaderboard?period=\(period.rawValue)",
                       selected: period == board.period)
        }
        let query = board.period == .all ? "" : "?period=\(board.period.rawValue)"
        csvLink = "/stats/leaderboard.csv" + query
        jsonLink = "/stats/leaderboard.json" + query
        rows = board.speakers.enumerated().map { Row(rank: $0.offset + 1, tally: $0.element) }
    }
}
