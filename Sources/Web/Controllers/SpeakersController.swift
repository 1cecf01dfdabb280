import SpeakerCore
import Search
import Storage
import Vapor

/// `/speakers`: the searchable, faceted list and each speaker's profile, as HTML, JSON and CSV.
struct SpeakersController {
    let facetCache: TTLCache<SpeakerFilter, SpeakerFacets>
    /// A search's match counts, kept as long as its facets: paging through one search, or
    /// asking for its JSON twin, does not count the same matches again.
    let countCache: TTLCache<SpeakerFilter, SpeakerQueries.MatchCounts>
    /// Search analytics, written in batches.
    let searchLog: SearchLogBuffer

    func register(on routes: any RoutesBuilder) {
        routes.get("speakers") { try await self.list($0, suffix: nil) }
        routes.get("speakers.json") { try await self.list($0, suffix: "json") }
        routes.get("speakers.csv") { try await self.list($0, suffix: "csv") }
        routes.get("speakers", ":id") { try await self.show($0) }
        routes.get("speakers", ":id", "photo") { try await self.photo($0) }
        routes.post("speakers", ":id", "corrections") { try await self.suggest($0) }
        routes.post("speakers", ":id", "attributes", ":kind", "remove") { try await self.withhold($0) }
    }

    struct ListData: Content {
        var speakers: [SpeakerSummary]
        var total: Int
        var page: Int
        var size: Int
        var pageCount: Int
        var filters: Filters
        var facets: SpeakerFacets
        var links: PageLinks

        struct Filters: Content {
            var search: String?
            var affiliation: String?
            var location: String?
            var role: String?
            var year: Int?
            var tag: String?
            var sort: String
        }

        enum CodingKeys: String, CodingKey {
            case speakers, total, page, size, filters, facets, links
            case pageCount = "page_count"
        }
    }

    static func filter(from request: Request) throws -> (SpeakerFilter, SpeakerSort?) {
        let query = QueryParameters(request)
        let filter = SpeakerFilter(
            search: try query.string("_search"),
            affiliation: try query.string("affiliation"),
            location: try query.string("location"),
            role: try query.choice("role", of: Role.self),
            year: try query.int("year", in: 1000...9999),
            tag: try query.string("tag"))
        return (filter, try query.choice("_sort", of: SpeakerSort.self))
    }

    func list(_ request: Request, suffix: String?) async throws -> Response {
        let started = ContinuousClock.now
        let format = ResponseFormat.negotiate(request, suffix: suffix)
        let (filter, sort) = try Self.filter(from: request)
        let query = QueryParameters(request)
        let db = request.application.storageContext.database
        let queries = try SpeakerQueries(db)
        if format == .csv {
            // One pass: the ids in order, then their rows in batches (no OFFSET, no recount).
            return CSVResponse.stream(filename: "speakers.csv", header: CSVColumns.speakers) { emit in
                let ids = try await queries.orderedIDs(filter, sort: sort)
                for batch in ids.chunked(into: 500) {
                    let rows = try await queries.summaries(ids: batch)
                    try await emit(rows.map { [String($0.id), $0.name, $0.title, $0.affiliation, $0.location, String($0.appearanceCount)] })
                }
            }
        }
        let pageRequest = try query.pageRequest()
        var timing = ServerTiming()
        var phase = ContinuousClock.now
        let counts: SpeakerQueries.MatchCounts? = filter.search == nil ? nil
            : try await countCache.value(for: filter) { try await queries.matchCounts(filter)! }
        if counts != nil { timing.record("match", since: phase) }
        phase = ContinuousClock.now
        async let facetsTimed = { () async throws -> (SpeakerFacets, ContinuousClock.Instant) in
            (try await facetCache.value(for: filter) { try await queries.facets(filter, counts: counts) }, ContinuousClock.now)
        }()
        let result = try await queries.list(filter, sort: sort, page: pageRequest, counts: counts)
        timing.record("list", since: phase)
        let (facets, facetsDone) = try await facetsTimed
        timing.record("facets", since: phase, until: facetsDone)
        if let search = filter.search {
            // Search analytics: the query, its result count and latency; nothing about who
            // asked. Buffered and written in batches, never delaying the response.
            let latency = ContinuousClock.now - started
            let filters = [filter.affiliation.map { "affiliation=\($0)" }, filter.location.map { "location=\($0)" },
                           filter.role.map { "role=\($0.rawValue)" }, filter.year.map { "year=\($0)" },
                           filter.tag.map { "tag=\($0)" }].compactMap { $0 }
            await searchLog.add(SearchLog.Entry(query: search, filters: filters.isEmpty ? nil : filters.joined(separator: "&"),
                                                results: result.total, latency: latency, format: format == .json ? "json" : "html"))
        }
        let data = ListData(
            speakers: result.items, total: result.total, page: result.page, size: result.size, pageCount: result.pageCount,
            filters: .init(search: filter.search, affiliation: filter.affiliation, location: filter.location,
                           role: filter.role?.rawValue, year: filter.year, tag: filter.tag,
                           sort: (sort ?? (filter.search == nil ? .name : .relevance)).rawValue),
            facets: facets,
            links: PageLinks(request: request, path: "/speakers", page: result, asJSON: format == .json))
        phase = ContinuousClock.now
        if format == .json {
            let response = try await data.encodeResponse(for: request)
            timing.record("encode", since: phase)
            return timing.apply(to: response)
        }
        let response = try await request.view.render("speakers", SpeakersPage(request: request, data: data)).encodeResponse(for: request)
        timing.record("render", since: phase)
        return timing.apply(to: response)
    }

    func show(_ request: Request) async throws -> Response {
        let (idText, suffix) = ResponseFormat.splitSuffix(request.parameters.get("id") ?? "")
        guard let id = Int(idText), id > 0 else {
            throw Abort(.notFound, reason: "There is no speaker \(idText.prefix(40)).")
        }
        let format = ResponseFormat.negotiate(request, suffix: suffix)
        guard let profile = try await SpeakerQueries(request.application.storageContext.database).profile(id: id) else {
            // Shared links outlive records: a merged speaker's link leads to the speaker kept
            // (301, in the same format), a removed one's says so (410).
            switch try await SpeakerLinks(request.application.storageContext.database).whereabouts(of: id) {
            case .mergedInto(let kept):
                let suffixText = suffix.map { ".\($0)" } ?? ""
                return request.redirect(to: "/speakers/\(kept)\(suffixText)", redirectType: .permanent)
            case .gone(let why):
                throw Abort(.gone, reason: "Speaker \(id) was removed. \(why)")
            case .unknown:
                throw Abort(.notFound, reason: "There is no speaker \(id).")
            }
        }
        let db = request.application.storageContext.database
        let editor = (request.session?.account.role ?? .viewer) >= .editor
        let attributes = Self.visible(try await AttributeStore(db).attributes(speakerIDs: [id])[id] ?? [], editor: editor)
        switch format {
        case .json:
            return try await ProfileData(profile, attributes: attributes).encodeResponse(for: request)
        case .csv:
            let appearances = profile.appearances
            return CSVResponse.stream(filename: "speaker-\(id)-appearances.csv", header: CSVColumns.speakerAppearances) { emit in
                try await emit(appearances.map { [String($0.eventID), $0.url, $0.title, $0.date, $0.location, $0.role] })
            }
        case .html:
            let pending = try await CorrectionStore(db).list(status: .pending, speakerID: id).count
            let notice = try QueryParameters(request).string("notice").flatMap { Self.notices[$0] }
            let hasPhoto = try await PhotoStore(db).hasPhoto(speakerID: id)
            return try await request.view.render("speaker", SpeakerPage(profile: profile, attributes: attributes, pending: pending, notice: notice,
                                                                        editor: editor, hasPhoto: hasPhoto))
                .encodeResponse(for: request)
        }
    }

    static let notices = ["suggested": "Thank you: your correction waits for an editor's review."]

    struct Suggestion: Content {
        var field: String
        var value: String
        var note: String?
    }

    /// A speaker's photo as the pipeline stored it (checked JPEG, PNG, GIF or WebP), served
    /// by the app so readers never contact the site it came from.
    func photo(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self), id > 0,
              let photo = try await PhotoStore(request.application.storageContext.database).photo(speakerID: id) else {
            throw Abort(.notFound, reason: "There is no photo of this speaker.")
        }
        let response = Response(status: .ok, body: .init(data: photo.bytes))
        response.headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: request.application.speakerdbSettings.publicRead ? "public, max-age=86400" : "private, max-age=86400")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        return response
    }

    /// Kinds of inferred attribute that only editors see (and may remove).
    static let sensitive: Set<SpeakerAttribute.Kind> = [.gender]

    /// What a reader may see: sensitive inferences only for editors, and nothing of a kind
    /// an editor withheld (a later enrichment may have inferred it again).
    static func visible(_ attributes: [SpeakerAttribute], editor: Bool) -> [SpeakerAttribute] {
        let withheld = Set(attributes.filter { $0.origin == .user && $0.value == AttributeStore.withheld }.map(\.kind))
        return attributes.filter { (editor || !sensitive.contains($0.kind)) && !withheld.contains($0.kind) }
    }

    /// An editor removes an inferred sensitive attribute; it stays removed after later enrichment.
    func withhold(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self), id > 0 else { throw Abort(.notFound, reason: "There is no such speaker.") }
        guard let kind = request.parameters.get("kind").flatMap(SpeakerAttribute.Kind.init(rawValue:)), Self.sensitive.contains(kind) else {
            throw Abort(.badRequest, reason: "Only an inferred gender can be removed here.")
        }
        let db = request.application.storageContext.database
        guard try await SpeakerQueries(db).profile(id: id) != nil else { throw Abort(.notFound, reason: "There is no speaker \(id).") }
        try await AttributeStore.withhold(speakerID: id, kind: kind, on: db)
        request.logger.notice("inferred attribute removed", metadata: ["speaker": .stringConvertible(id), "kind": .string(kind.rawValue),
                                                                       "by": .string(request.session?.account.username ?? "")])
        return request.redirect(to: "/speakers/\(id)", redirectType: .normal)
    }

    /// A signed-in user's suggested correction (stored pending; an editor decides).
    func suggest(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self), id > 0 else { throw Abort(.notFound, reason: "There is no such speaker.") }
        let form = try request.content.decode(Suggestion.self)
        guard let field = Correction.Field(rawValue: form.field) else {
            throw Abort(.badRequest, reason: "field must be one of \(Correction.Field.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard form.value.count <= CorrectionStore.maxValueLength else { throw Abort(.badRequest, reason: "The value is too long.") }
        let db = request.application.storageContext.database
        guard try await SpeakerQueries(db).profile(id: id) != nil else { throw Abort(.notFound, reason: "There is no speaker \(id).") }
        do {
            let account = request.session?.account
            let correction = try await Corrections.suggest(on: db, speakerID: id, field: field, value: form.value, note: form.note,
                                                           userID: account?.id, username: account?.username)
            request.logger.notice("correction suggested", metadata: ["correction": .stringConvertible(correction), "speaker": .stringConvertible(id)])
        } catch let error as CorrectionError {
            throw Abort(.badRequest, reason: "The correction was not stored: \(error.description).")
        }
        return request.redirect(to: "/speakers/\(id)?notice=suggested", redirectType: .normal)
    }
}

/// The JSON twin of a profile page.
struct ProfileData: Content {
    var speaker: SpeakerProfile
    /// Every enriched value (tags, where based, languages) with its origin, confidence and evidence.
    var attributes: [SpeakerAttribute]

    init(_ profile: SpeakerProfile, attributes: [SpeakerAttribute]) {
        self.speaker = profile
        self.attributes = attributes
    }
}

/// Links to neighbouring pages of a list, keeping every other parameter.
struct PageLinks: Content {
    var next: String?
    var previous: String?
    var csv: String
    var json: String

    /// `asJSON`: next and previous point at the JSON twin, so an API client that follows
    /// them keeps getting JSON (the HTML page's links stay on HTML pages).
    init<T>(request: Request, path: String, page: Page<T>, asJSON: Bool = false) {
        let query = QueryParameters(request)
        let pagePath = asJSON ? path + ".json" : path
        next = page.hasNext ? query.link(path: pagePath, setting: ["_page": String(page.page + 1)]) : nil
        previous = page.hasPrevious ? query.link(path: pagePath, setting: ["_page": page.page == 2 ? nil : String(page.page - 1)]) : nil
        csv = query.link(path: path + ".csv", setting: ["_page": nil, "_size": nil])
        json = query.link(path: path + ".json", setting: [:])
    }
}
