import Vapor

/// Turns every error into a page or a JSON body, as the request asked. Client errors say
/// what was wrong; server errors say only that something failed (details go to the log,
/// never to the response, so no SQL, path or secret leaks).
struct ErrorPageMiddleware: AsyncMiddleware {
    struct ErrorBody: Content {
        struct Detail: Content {
            var status: Int
            var message: String
        }
        var error: Detail
    }

    struct ErrorPage: Encodable {
        var title: String
        var status: Int
        var message: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPResponseStatus
            let message: String
            if let abort = error as? any AbortError {
                status = abort.status
                message = status.code < 500 ? abort.reason : "The server could not complete this request."
            } else {
                status = .internalServerError
                message = "The server could not complete this request."
            }
            if status.code >= 500 {
                request.logger.error("request failed", metadata: ["path": .string(request.url.path), "error": .string(String(describing: error))])
            }
            let lastComponent = request.url.path.split(separator: "/").last.map(String.init) ?? ""
            let wantsJSON = lastComponent.hasSuffix(".json") || request.url.path.hasPrefix("/api/")
                || ResponseFormat.negotiate(request) == .json
            if wantsJSON {
                let response = Response(status: status)
                try response.content.encode(ErrorBody(error: .init(status: Int(status.code), message: message)))
                return response
            }
            let title = status == .notFound ? "Not found" : (status.code < 500 ? "Bad request" : "Something went wrong")
            let view = try await request.view.render("error", ErrorPage(title: title, status: Int(status.code), message: message))
            let response = try await view.encodeResponse(for: request)
            response.status = status
            return response
        }
    }
}
