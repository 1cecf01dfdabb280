import FluentKit
import Foundation
import HTMLParsing
import SpeakerCore
import Storage

/// Stores a fetched event page: the raw body (content-addressed), what the page says about
/// the event, and the fetch outcome. A page whose bytes did not change keeps its
/// extraction; a changed page is queued for extraction again.
public struct EventPageStore: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    /// Returns whether the stored page changed.
    @discardableResult
    public func store(_ result: FetchResult, into event: Event) async throws -> Bool {
        let now = Date()
        event.fetchedAt = now
        event.fetchAttempts += 1
        event.fetchError = nil
        event.nextFetchAt = nil
        event.fetcher = result.fetcher
        event.httpStatus = result.status
        if result.notModified {
            event.fetchState = ItemState.fetched.rawValue
            try await db.writeTransaction { try await event.saveFetchState(on: $0) }
            return false
        }
        event.etag = result.etag
        event.lastModified = result.lastModified
        let bodyHash = PageBodyStore.hash(result.body)
        if bodyHash == event.bodyHash, event.fetchState == ItemState.fetched.rawValue || event.title != nil {
            event.fetchState = ItemState.fetched.rawValue
            try await db.writeTransaction { try await event.saveFetchState(on: $0) }
            return false
        }
        guard let document = try? HTMLDocument(html: result.text, url: result.finalURL) else {
            event.fetchState = ItemState.skipped.rawValue
            event.fetchError = "the page is not HTML"
            try await db.writeTransaction { try await event.saveFetchState(on: $0) }
            return false
        }
        // A redirect names the page's own address ("/a" → "/a/"): store the event under it,
        // or, when that address is already another event, keep only one of them.
        if let final = URLNormalizer.normalized(result.finalURL.absoluteString), final != event.url {
            if let other = try await Event.query(on: db).filter(\.$url == final).first(), other.id != event.id {
                event.fetchState = ItemState.skipped.rawValue
                event.fetchError = "same page as \(final) (redirected)"
                try await db.writeTransaction { try await event.saveFetchState(on: $0) }
                return false
            }
            event.url = final
        }
        let facts = EventPageReader.read(document)
        // The body first, in its own short transaction (an unreferenced body left by a
        // crash in between is collected later); then the event.
        let storedHash = try await PageBodyStore(db).store(result.body.isEmpty ? Data(result.text.utf8) : result.body)
        try await db.writeTransaction { tx in
            event.bodyHash = storedHash
            event.title = facts.title.map { String($0.prefix(500)) }
            event.eventDate = facts.date
            if facts.date == nil { event.dateText = nil }
            event.venue = facts.venue.map { String($0.prefix(300)) }
            event.location = facts.location.map { String($0.prefix(300)) }
            event.language = facts.language
            event.mainText = facts.mainText
            event.contentHash = PageBodyStore.hash(Data(facts.mainText.utf8))
            event.fetchState = ItemState.fetched.rawValue
            event.extractState = ItemState.queued.rawValue
            try await event.saveFetchState(on: tx)
        }
        return true
    }
}
