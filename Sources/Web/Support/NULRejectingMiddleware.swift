import Vapor

/// Refuses a request whose path or query carries a NUL character (`%00`) with a clear 400.
/// No page has a use for one, and PostgreSQL refuses NUL in text, so it would otherwise
/// surface as a database error (a 500) deep in a query.
struct NULRejectingMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let target = request.url.path + "?" + (request.url.query ?? "")
        if target.utf8.contains(0) || Self.encodesNUL(target) {
            throw Abort(.badRequest, reason: "The address contains a NUL character (%00), which no page accepts.")
        }
        return try await next.respond(to: request)
    }

    /// Whether the text has `%00` (any case).
    static func encodesNUL(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 2) where bytes[index] == UInt8(ascii: "%") && bytes[index + 1] == UInt8(ascii: "0") && bytes[index + 2] == UInt8(ascii: "0") {
            return true
        }
        return false
    }
}
