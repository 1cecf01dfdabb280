import Vapor

/// Serves the files in `Public/` (the stylesheet, the icon) and nothing else: only GET and
/// HEAD requests for the paths that hold them are looked up on disk. Every other path goes
/// straight to the router, so no request path (overlong, `..`, odd bytes) reaches the file
/// system: an overlong one used to make the file lookup throw and the request answer 500.
struct PublicFilesMiddleware: AsyncMiddleware {
    static let prefixes = ["/css/", "/js/", "/favicon.ico", "/favicon.svg"]
    static let maximumPathLength = 256

    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard request.method == .GET || request.method == .HEAD, path.utf8.count <= Self.maximumPathLength,
              Self.prefixes.contains(where: { path.hasPrefix($0) }) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
