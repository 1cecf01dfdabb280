import SpeakerCore
import Storage
import Vapor

/// Reads and validates query parameters; a bad value is a 400 that names the parameter.
struct QueryParameters {
    let request: Request

    init(_ request: Request) {
        self.request = request
    }

    func string(_ name: String, maxLength: Int = 500) throws -> String? {
        guard let value = request.query[String.self, at: name] else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maxLength else {
            throw Abort(.badRequest, reason: "Parameter '\(name)' is longer than \(maxLength) characters.")
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(name, maxLength: 20) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Abort(.badRequest, reason: "Parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, of type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try string(name, maxLength: 40) else { return nil }
        guard let value = T(rawValue: text.lowercased()) else {
            throw Abort(.badRequest, reason: "Parameter '\(name)' must be one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }

    func date(_ name: String) throws -> LocalDate? {
        guard let text = try string(name, maxLength: 20) else { return nil }
        guard let value = LocalDate(iso: text), text.count == 10 else {
            throw Abort(.badRequest, reason: "Parameter '\(name)' must be a date written YYYY-MM-DD.")
        }
        return value
    }

    func pageRequest() throws -> PageRequest {
        PageRequest(page: try int("_page", in: 1...100_000) ?? 1,
                    size: try int("_size", in: 1...PageRequest.maxSize) ?? PageRequest.defaultSize)
    }

    /// The current URL's path and query with some parameters replaced (nil removes).
    func link(path: String? = nil, setting changes: [String: String?]) -> String {
        var components = URLComponents()
        components.path = path ?? request.url.path
        var items = (URLComponents(string: request.url.string)?.queryItems ?? [])
        for (key, value) in changes {
            items.removeAll { $0.name == key }
            if let value { items.append(URLQueryItem(name: key, value: value)) }
        }
        items.sort { $0.name < $1.name }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? (path ?? request.url.path)
    }
}
