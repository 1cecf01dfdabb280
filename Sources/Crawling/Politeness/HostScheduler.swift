import Foundation

/// Politeness per host: at most `perHost` requests at once, at least `delay` (with
/// ±30 % jitter) between request starts, a pause when a host says Retry-After, and a
/// global cap across hosts. Delays are off only for loopback hosts, and only when asked.
public actor HostScheduler {
    public struct Configuration: Sendable {
        public var perHost: Int = 2
        public var delay: TimeInterval = 1.0
        public var globalLimit: Int = 8
        /// Skips delays for 127.0.0.1, ::1 and localhost (tests and benchmarks).
        public var noDelayOnLoopback = false

        public init(perHost: Int = 2, delay: TimeInterval = 1.0, globalLimit: Int = 8, noDelayOnLoopback: Bool = false) {
            self.perHost = perHost
            self.delay = delay
            self.globalLimit = globalLimit
            self.noDelayOnLoopback = noDelayOnLoopback
        }
    }

    struct HostState {
        var active = 0
        var nextStart = Date.distantPast
        var crawlDelay: TimeInterval?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let configuration: Configuration
    private var hosts: [String: HostState] = [:]
    private var globalActive = 0
    private var globalWaiters: [CheckedContinuation<Void, Never>] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
    }

    func delay(for host: String) -> TimeInterval {
        if configuration.noDelayOnLoopback && Self.isLoopback(host) { return 0 }
        return max(configuration.delay, hosts[host]?.crawlDelay ?? 0)
    }

    /// robots.txt Crawl-delay, honoured when longer than the configured delay.
    public func setCrawlDelay(_ seconds: TimeInterval?, for host: String) {
        hosts[host, default: HostState()].crawlDelay = seconds.map { min($0, 60) }
    }

    /// Pauses a host until `date` (Retry-After, backoff after 429/503).
    public func pause(_ host: String, until date: Date) {
        var state = hosts[host, default: HostState()]
        state.nextStart = max(state.nextStart, date)
        hosts[host] = state
    }

    /// Waits for a slot on `host`; call `release(host)` when the request is done.
    public func acquire(_ host: String) async {
        while globalActive >= configuration.globalLimit {
            await withCheckedContinuation { globalWaiters.append($0) }
        }
        globalActive += 1
        while (hosts[host]?.active ?? 0) >= configuration.perHost {
            await withCheckedContinuation { hosts[host, default: HostState()].waiters.append($0) }
        }
        hosts[host, default: HostState()].active += 1
        while true {
            let now = Date()
            let next = hosts[host]?.nextStart ?? .distantPast
            if next <= now { break }
            try? await Task.sleep(for: .seconds(next.timeIntervalSince(now)))
        }
        let spacing = delay(for: host)
        let jitter = spacing > 0 ? spacing * Double.random(in: -0.3...0.3) : 0
        hosts[host, default: HostState()].nextStart = Date().addingTimeInterval(spacing + jitter)
    }

    public func release(_ host: String) {
        if var state = hosts[host] {
            state.active = max(0, state.active - 1)
            if !state.waiters.isEmpty { state.waiters.removeFirst().resume() }
            hosts[host] = state
        }
        globalActive = max(0, globalActive - 1)
        if !globalWaiters.isEmpty { globalWaiters.removeFirst().resume() }
    }
}
