import FluentKit
import Foundation
import Identity
import SpeakerCore
import SQLKit
import Search
import Storage
import Vapor

/// The identity review queue and submitted corrections: accept, reject, approve.
extension AdminController {
    func review(_ request: Request) async throws -> Page {
        let pending = try await IdentityCandidate.query(on: db(request)).filter(\.$status == IdentityCandidate.Status.pending.rawValue)
            .with(\.$speakerA).with(\.$speakerB).sort(\.$probability, .descending).limit(100).all()
        let rows = pending.map { candidate -> Row in
            let id = candidate.id ?? 0
            return Row(cells: [.link("\(id): compare", "/admin/review/\(id)/compare"), .link(candidate.speakerA.name, "/speakers/\(candidate.$speakerA.id)"),
                               .link(candidate.speakerB.name, "/speakers/\(candidate.$speakerB.id)"),
                               .text(String(format: "%.2f", candidate.probability)), .text(candidate.reasonList.joined(separator: "; ")),
                               .destructive("Same person: merge", "/admin/review/\(id)/accept"), .button("Different people", "/admin/review/\(id)/reject")])
        }
        return Page(title: "Identity review", sections: [
            Section(title: "Pairs the resolver was unsure about", note: "A merge can be undone with `speakerdb speakers split`.",
                    columns: ["Pair", "Speaker", "Speaker", "Probability", "Evidence", "", ""], rows: rows, empty: "No pair waits for review."),
        ])
    }

    func corrections(_ request: Request) async throws -> Page {
        let store = try CorrectionStore(db(request))
        let pending = try await store.list(status: .pending, limit: 200)
        let rows = pending.map { c in
            Row(cells: [.number(c.id), .link(c.speakerName ?? "speaker \(c.speakerID)", "/speakers/\(c.speakerID)"), .text(c.field.rawValue),
                        .text(c.previous ?? ""), .text(c.value), .text(c.note ?? ""), .text(c.suggestedBy ?? ""), .text(Self.iso(c.createdAt)),
                        .button("Approve", "/admin/corrections/\(c.id)/approve"), .button("Reject", "/admin/corrections/\(c.id)/reject")])
        }
        return Page(title: "Corrections", sections: [
            Section(title: "Suggested corrections", note: "Approved values are stored with provenance user and win over every extracted or enriched value.",
                    columns: ["#", "Speaker", "Field", "Now", "Suggested", "Why", "By", "When (UTC)", "", ""], rows: rows, empty: "No correction waits for review."),
        ])
    }

    func review(correction request: Request, approve: Bool) async throws -> Response {
        let correctionID = try id(request)
        let reviewer = request.session?.account.id
        do {
            if approve {
                try await Corrections.approve(on: db(request), id: correctionID, reviewerID: reviewer)
            } else {
                try await Corrections.reject(on: db(request), id: correctionID, reviewerID: reviewer)
            }
        } catch let error as CorrectionError {
            if case .notFound = error { throw Abort(.notFound, reason: error.description) }
            throw Abort(.conflict, reason: "The correction was not applied: \(error.description).")
        }
        request.logger.notice(approve ? "correction approved" : "correction rejected",
                              metadata: ["correction": .stringConvertible(correctionID), "by": .string(actor(request))])
        return back(request, "/admin/corrections", notice: approve ? "correction-approved" : "correction-rejected")
    }

    func decide(_ request: Request, accept: Bool) async throws -> Response {
        let pairID = try id(request)
        let resolver = SpeakerResolver(storage: request.application.storageContext, logger: request.logger)
        do {
            if accept { _ = try await resolver.accept(candidateID: pairID) } else { try await resolver.reject(candidateID: pairID) }
        } catch let error as MergeError {
            throw Abort(.conflict, reason: "\(error)")
        }
        request.logger.notice("review decision", metadata: ["by": .string(actor(request)), "pair": .stringConvertible(pairID), "accepted": .stringConvertible(accept)])
        return back(request, "/admin/review", notice: accept ? "accepted" : "rejected")
    }
}
