import Vapor

/// Security headers on every response: a Content-Security-Policy with no inline script
/// (scraped text can never run), no MIME sniffing, no framing, a strict referrer policy;
/// `Vary: Accept` (pages negotiate HTML or JSON) and HSTS when the request came over TLS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        // Photos are fetched by the pipeline and served by the app: no third-party images.
        "img-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "strict-origin-when-cross-origin")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        // Pages answer HTML or JSON by the Accept header: caches must key on it.
        if !response.headers[.vary].contains(where: { $0.lowercased().contains("accept") && !$0.lowercased().contains("accept-") }) {
            response.headers.add(name: .vary, value: "Accept")
        }
        // Behind TLS (ours, or a trusted proxy's), browsers keep to https for a year.
        if request.isSecure {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}
