import FluentKit
import Storage
import Vapor

/// `/admin/review/:id/compare`: one pair the resolver was unsure about, both records side by side
/// (titles, affiliations, where based, events, photos, links, bios) with the evidence for
/// and against, and the two decisions.
extension AdminController {
    struct ReviewPairPage: Encodable {
        var title: String
        var nav = "admin"
        var adminNav: [Link] = []
        var csrf: String
        var pairID: Int
        var probability: String
        var status: String
        var pending: Bool
        /// The two records, in the pair's order.
        var sides: [Side]
        var evidenceFor: [String]
        var evidenceAgainst: [String]

        struct Side: Encodable {
            var id: Int
            var name: String
            var title: String?
            var affiliation: String?
            var location: String?
            var bio: String?
            var photoURL: String?
            var links: [SpeakerPage.Link]
            var events: [SpeakerAppearance]
            var eventCount: Int
        }
    }

    /// Events shown per side; the profile links to all of them.
    static let reviewEventLimit = 12

    func reviewPair(_ request: Request) async throws -> Response {
        let pairID = try id(request)
        let database = db(request)
        guard let candidate = try await IdentityCandidate.find(pairID, on: database) else {
            throw Abort(.notFound, reason: "There is no review pair \(pairID).")
        }
        let queries = try SpeakerQueries(database)
        let photos = try PhotoStore(database)
        func side(_ id: Int) async throws -> ReviewPairPage.Side {
            guard let profile = try await queries.profile(id: id) else {
                throw Abort(.gone, reason: "Speaker \(id) of this pair no longer exists.")
            }
            return ReviewPairPage.Side(
                id: id, name: profile.name, title: profile.title, affiliation: profile.affiliation, location: profile.location,
                bio: profile.bio.map { $0.count > 600 ? String($0.prefix(600)) + "…" : $0 },
                photoURL: try await photos.hasPhoto(speakerID: id) ? "/speakers/\(id)/photo" : nil,
                links: SpeakerPage.links(of: profile),
                events: Array(profile.appearances.prefix(Self.reviewEventLimit)), eventCount: profile.appearances.count)
        }
        let reasons = candidate.reasonList
        let role = request.session?.account.role ?? .viewer
        var page = ReviewPairPage(
            title: "Review pair \(pairID)", csrf: request.session?.csrfToken ?? "", pairID: pairID,
            probability: String(format: "%.2f", candidate.probability), status: candidate.status,
            pending: candidate.status == IdentityCandidate.Status.pending.rawValue,
            sides: [try await side(candidate.$speakerA.id), try await side(candidate.$speakerB.id)],
            evidenceFor: reasons.filter { $0.hasPrefix("+") }, evidenceAgainst: reasons.filter { $0.hasPrefix("-") })
        page.adminNav = Self.adminNav(role: role, current: "/admin/review")
        let response = try await request.view.render("review-pair", page).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
