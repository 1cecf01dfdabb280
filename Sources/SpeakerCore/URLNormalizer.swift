import Foundation

/// Normalises URLs so one page is stored once: lower-case scheme and host, no default
/// port, no fragment, no tracking parameters, sorted query, "/" for an empty path, dot
/// segments resolved and a doubled trailing slash collapsed. A single trailing slash is
/// kept: "/a" and "/a/" can be different pages, and servers that treat them as one
/// redirect one to the other, which the crawler follows and records (see
/// `EventPageStore`).
public enum URLNormalizer {
    /// Query parameters that identify a campaign or a click, never a page.
    public static let trackingParameters: Set<String> = [
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
        "gclid", "dclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid",
        "ref_src", "yclid", "_hsenc", "_hsmi", "mkt_tok",
    ]

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unparsable(String)
        case unsupportedScheme(String)
        case missingHost(String)

        public var description: String {
            switch self {
            case .unparsable(let url): "not a URL: \(url.prefix(200))"
            case .unsupportedScheme(let url): "only http and https URLs are supported: \(url.prefix(200))"
            case .missingHost(let url): "URL has no host: \(url.prefix(200))"
            }
        }
    }

    /// The normalised absolute form of `text`, resolved against `base` when relative.
    public static func normalize(_ text: String, relativeTo base: URL? = nil) throws -> String {
        let trimmed = text.trimmed()
        guard !trimmed.isEmpty,
              let url = URL(string: trimmed, relativeTo: base)?.absoluteURL
                ?? URL(string: trimmed.addingPercentEncoding(withAllowedCharacters: .urlAllowed) ?? "", relativeTo: base)?.absoluteURL,
              var components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        else { throw Failure.unparsable(text) }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw Failure.unsupportedScheme(text)
        }
        guard let host = components.host, !host.isEmpty else { throw Failure.missingHost(text) }
        components.scheme = scheme
        components.host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        components.fragment = nil
        components.user = nil
        components.password = nil
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        path = removeDotSegments(path)
        while path.hasSuffix("//") { path.removeLast() }
        components.percentEncodedPath = path
        if let items = components.queryItems {
            let kept = items.filter { !trackingParameters.contains($0.name.lowercased()) }
                .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            components.queryItems = kept.isEmpty ? nil : kept
        }
        guard let result = components.string else { throw Failure.unparsable(text) }
        return result
    }

    /// Like `normalize`, but nil for anything that is not a fetchable http(s) URL.
    /// `text` when it is an absolute http(s) link with a host, else nil: the only links a
    /// page may show from scraped data (never javascript:, data: or a relative path).
    public static func webLink(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else { return nil }
        return text
    }

    public static func normalized(_ text: String, relativeTo base: URL? = nil) -> String? {
        try? normalize(text, relativeTo: base)
    }

    static func removeDotSegments(_ path: String) -> String {
        guard path.contains("/.") else { return path }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            switch segment {
            case ".": continue
            case "..": if !output.isEmpty { output.removeLast() }
            default: output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }
}

extension CharacterSet {
    static let urlAllowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.formUnion(.urlPathAllowed)
        set.insert(charactersIn: "#%")
        return set
    }()
}
