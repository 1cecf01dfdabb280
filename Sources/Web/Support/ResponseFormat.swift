import Vapor

/// What a request asked for: the HTML page, its JSON twin, or a CSV download.
/// Chosen by the path suffix (`/speakers.json`), else by the `Accept` header.
enum ResponseFormat: String, Sendable {
    case html
    case json
    case csv

    static func negotiate(_ request: Request, suffix: String? = nil) -> ResponseFormat {
        switch suffix {
        case "json": return .json
        case "csv": return .csv
        default: break
        }
        let accept = request.headers[.accept].joined(separator: ",").lowercased()
        if accept.contains("application/json") && !accept.contains("text/html") { return .json }
        if accept.contains("text/csv") && !accept.contains("text/html") { return .csv }
        return .html
    }

    /// Splits "12.json" into ("12", "json") for routes like `/speakers/:id`.
    static func splitSuffix(_ component: String) -> (String, String?) {
        for suffix in ["json", "csv"] where component.hasSuffix(".\(suffix)") {
            return (String(component.dropLast(suffix.count + 1)), suffix)
        }
        return (component, nil)
    }
}
