import Vapor

/// Durations of a request's phases, sent as a `Server-Timing` header (shown by browsers'
/// developer tools and by `curl -D -`), so where a slow page spends its time can be read
/// from the outside. Only phase names and milliseconds: nothing about the data.
struct ServerTiming: Sendable {
    private(set) var phases: [(name: String, milliseconds: Double)] = []

    mutating func record(_ name: String, since start: ContinuousClock.Instant, until end: ContinuousClock.Instant = .now) {
        let elapsed = end - start
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        phases.append((name, milliseconds))
    }

    /// `name;dur=1.2, other;dur=0.4`
    var headerValue: String {
        phases.map { "\($0.name);dur=\(String(format: "%.1f", $0.milliseconds))" }.joined(separator: ", ")
    }

    func apply(to response: Response) -> Response {
        if !phases.isEmpty { response.headers.replaceOrAdd(name: "Server-Timing", value: headerValue) }
        return response
    }
}
