import FluentKit
import Foundation
import SQLKit
import SpeakerCore

/// The fetcher a source asks for.
public enum FetcherChoice: String, Codable, Sendable, CaseIterable {
    case http
    case browser
    case auto
}

/// What a source should look like; validated before it is stored.
public struct SourceSpec: Sendable, Equatable, Codable {
    public var url: String
    public var name: String?
    public var eventURLPattern: String?
    public var fetcher: FetcherChoice
    public var maxPages: Int?

    public init(url: String, name: String? = nil, eventURLPattern: String? = nil, fetcher: FetcherChoice = .auto, maxPages: Int? = nil) {
        self.url = url
        self.name = name
        self.eventURLPattern = eventURLPattern
        self.fetcher = fetcher
        self.maxPages = maxPages
    }

    enum CodingKeys: String, CodingKey {
        case url, name, fetcher
        case eventURLPattern = "event_url_pattern"
        case maxPages = "max_pages"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        eventURLPattern = try c.decodeIfPresent(String.self, forKey: .eventURLPattern)
        fetcher = try c.decodeIfPresent(FetcherChoice.self, forKey: .fetcher) ?? .auto
        maxPages = try c.decodeIfPresent(Int.self, forKey: .maxPages)
    }

    /// The spec with its URL normalised, or an error naming what is wrong.
    public func validated() throws -> SourceSpec {
        var result = self
        do {
            result.url = try URLNormalizer.normalize(url)
        } catch {
            throw StorageError.invalid("source URL: \(error)")
        }
        if let pattern = eventURLPattern {
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw StorageError.invalid("--event-url-pattern is not a valid regular expression: \(pattern)")
            }
        }
        if let maxPages, maxPages < 1 {
            throw StorageError.invalid("--max-pages must be at least 1")
        }
        return result
    }
}

public struct SourceRepository: Sendable {
    let db: any Database

    public init(_ db: any Database) {
        self.db = db
    }

    /// Adds the source, or updates the existing source with the same URL; returns it.
    @discardableResult
    public func upsert(_ spec: SourceSpec) async throws -> Source {
        let spec = try spec.validated()
        return try await db.writeTransaction { tx in
            if let existing = try await Source.query(on: tx).filter(\.$url == spec.url).first() {
                existing.name = spec.name ?? existing.name
                existing.eventURLPattern = spec.eventURLPattern ?? existing.eventURLPattern
                existing.fetcher = spec.fetcher.rawValue
                existing.maxPages = spec.maxPages ?? existing.maxPages
                try await existing.save(on: tx)
                return existing
            }
            let source = Source(url: spec.url, name: spec.name, eventURLPattern: spec.eventURLPattern,
                                fetcher: spec.fetcher.rawValue, maxPages: spec.maxPages)
            try await source.create(on: tx)
            return source
        }
    }

    public func all() async throws -> [Source] {
        try await Source.query(on: db).sort(\.$id).all()
    }

    /// Finds a source by id ("3") or URL.
    public func find(_ reference: String) async throws -> Source? {
        if let id = Int(reference) {
            return try await Source.find(id, on: db)
        }
        guard let url = URLNormalizer.normalized(reference) else { return nil }
        return try await Source.query(on: db).filter(\.$url == url).first()
    }

    /// Removes a source and its crawl pages; its events stay (with no source).
    public func remove(_ source: Source) async throws {
        try await db.writeTransaction { tx in
            try await source.delete(on: tx)
        }
    }
}
