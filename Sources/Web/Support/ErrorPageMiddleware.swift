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

    /// The error page's heading: what happened, in words (never "Bad request" for a refusal).
    static func heading(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Bad request"
        case 401: "Sign-in required"
        case 403: "Not allowed"
        case 404: "Not found"
        case 405: "Not available this way"
        case 410: "Gone"
        case 413: "Too large"
        case 429: "Too many requests"
        case 500...: "Something went wrong"
        default: status.reasonPhrase.isEmpty ? "Request refused" : status.reasonPhrase
        }
    }

    /// The reason under the heading. Vapor's default reason only repeats the status
    /// ("Not Found"), so those say what to do instead.
    static func explanation(_ status: HTTPResponseStatus, message: String) -> String {
        guard message.caseInsensitiveCompare(status.reasonPhrase) == .orderedSame || message.isEmpty else { return message }
        switch status.code {
        case 401: return "Sign in to see this page."
        case 403: return "Your account may not do this. An administrator can change its role."
        case 404: return "There is no page at this address. It may have moved, or the link may be mistyped."
        case 405: return "This address does not accept that kind of request."
        default: return status.code >= 500 ? "The server could not complete this request." : "The request could not be completed."
        }
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
            let view = try await request.view.render("error", ErrorPage(title: Self.heading(status), status: Int(status.code),
                                                                    message: Self.explanation(status, message: message)))
            let response = try await view.encodeResponse(for: request)
            response.status = status
            return response
        }
    }
}
