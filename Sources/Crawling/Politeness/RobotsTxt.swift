import SpeakerCore
import Foundation

/// robots.txt as RFC 9309 reads it: the group for our user agent (else `*`), longest
/// match wins between Allow and Disallow, `*` and `$` wildcards, plus Crawl-delay and
/// Sitemap lines.
public struct RobotsTxt: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var allow: Bool
        var pattern: String
    }

    var rules: [Rule]
    public var crawlDelay: TimeInterval?
    public var sitemaps: [String]

    /// Allows everything (no robots.txt, or it could not be fetched with a 4xx).
    public static let allowAll = RobotsTxt(rules: [], crawlDelay: nil, sitemaps: [])

    public init(_ text: String, userAgent: String = "speakerdb") {
        var groups: [(agents: [String], rules: [Rule], delay: TimeInterval?)] = []
        var sitemaps: [String] = []
        var currentAgents: [String] = []
        var currentRules: [Rule] = []
        var currentDelay: TimeInterval?
        var lastWasAgent = false
        func closeGroup() {
            if !currentAgents.isEmpty { groups.append((currentAgents, currentRules, currentDelay)) }
            currentAgents = []
            currentRules = []
            currentDelay = nil
        }
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace().lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            switch key {
            case "user-agent":
                if !lastWasAgent { closeGroup() }
                currentAgents.append(value.lowercased())
                lastWasAgent = true
                continue
            case "allow", "disallow":
                if !value.isEmpty || key == "allow" { currentRules.append(Rule(allow: key == "allow", pattern: value)) }
            case "crawl-delay":
                currentDelay = TimeInterval(value)
            case "sitemap":
                if !value.isEmpty { sitemaps.append(value) }
            default:
                break
            }
            lastWasAgent = false
        }
        closeGroup()
        let token = userAgent.lowercased()
        let specific = groups.filter { $0.agents.contains { $0 != "*" && token.contains($0) } }
        let chosen = specific.isEmpty ? groups.filter { $0.agents.contains("*") } : specific
        self.rules = chosen.flatMap(\.rules).filter { !$0.pattern.isEmpty }
        self.crawlDelay = chosen.compactMap(\.delay).first
        self.sitemaps = sitemaps
    }

    init(rules: [Rule], crawlDelay: TimeInterval?, sitemaps: [String]) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// Whether `path` (with its query) may be fetched.
    public func allows(_ path: String) -> Bool {
        var best: (length: Int, allow: Bool)?
        for rule in rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    public func allows(_ url: URL) -> Bool {
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        return allows(path)
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        let anchored = pattern.hasSuffix("$")
        let body = anchored ? String(pattern.dropLast()) : pattern
        let parts = body.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var index = path.startIndex
        for (offset, part) in parts.enumerated() {
            if offset == 0 {
                guard path.hasPrefix(part) else { return false }
                index = path.index(path.startIndex, offsetBy: part.count)
                continue
            }
            if part.isEmpty { continue }
            guard let range = path.range(of: part, range: index..<path.endIndex) else { return false }
            index = range.upperBound
        }
        if anchored {
            if let last = parts.last, !last.isEmpty { return path.hasSuffix(last) && index == path.endIndex }
            return parts.count > 1 || index == path.endIndex
        }
        return true
    }
}

/// robots.txt per host, fetched once and kept for the run.
public actor RobotsCache {
    private var entries: [String: RobotsTxt] = [:]
    private let fetcher: any Fetcher
    private let userAgent: String

    public init(fetcher: any Fetcher, userAgent: String = "speakerdb") {
        self.fetcher = fetcher
        self.userAgent = userAgent
    }

    public func robots(for url: URL) async -> RobotsTxt {
        guard let host = url.host?.lowercased(), let scheme = url.scheme else { return .allowAll }
        let key = "\(scheme)://\(host):\(url.port ?? 0)"
        if let cached = entries[key] { return cached }
        var components = URLComponents()
        components.scheme = scheme
        components.host = host
        components.port = url.port
        components.path = "/robots.txt"
        var robots = RobotsTxt.allowAll
        if let robotsURL = components.url {
            do {
                let result = try await fetcher.fetch(FetchRequest(url: robotsURL))
                robots = RobotsTxt(result.text, userAgent: userAgent)
            } catch let error as FetchError {
                // RFC 9309: 4xx means no rules; 5xx means assume everything is disallowed for now.
                if case .status(let code, _) = error, code >= 500 {
                    robots = RobotsTxt("User-agent: *\nDisallow: /", userAgent: userAgent)
                }
            } catch {}
        }
        entries[key] = robots
        return robots
    }
}
