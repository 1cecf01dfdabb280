import AsyncHTTPClient
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOCore

/// Fetches pages with a real headless Chromium through WebDriver: waits for the document
/// and for the network to go quiet (or for a selector), scrolls and clicks "load more",
/// and keeps a pool of sessions, replacing any that crash.
public actor BrowserFetcher: Fetcher {
    public struct Configuration: Sendable {
        public var poolSize = 2
        public var chromedriverPath: String?
        public var chromiumPath: String?
        public var pageLoadTimeout: Duration = .seconds(30)
        public var quietPeriod: Duration = .milliseconds(300)
        public var maxWait: Duration = .seconds(10)
        public var maxLoadMoreClicks = 10
        /// Which addresses pages may be loaded from; checked before navigating and on the
        /// address the page ends on (a script may have moved it).
        public var addresses = AddressPolicy.publicOnly
        /// Whether Chromium runs inside its own sandbox (`BROWSER_SANDBOX`).
        public var sandbox = SandboxMode.auto

        public init(poolSize: Int = 2, chromedriverPath: String? = nil, chromiumPath: String? = nil) {
            self.poolSize = poolSize
            self.chromedriverPath = chromedriverPath
            self.chromiumPath = chromiumPath
        }
    }

    /// Chromium's sandbox: `auto` uses it wherever it can start (not as root, where
    /// Chromium refuses it, and not where user namespaces are blocked, as by Docker's default
    /// seccomp profile), saying so when it cannot; `on` refuses to render without it; `off`
    /// never uses it.
    public enum SandboxMode: String, Sendable, CaseIterable {
        case auto, on, off
    }

    public nonisolated let name = "browser"
    /// Whether the sessions run sandboxed: decided by the first session, nil before.
    public private(set) var sandboxed: Bool?
    let configuration: Configuration
    let logger: Logger
    private var driver: ChromeDriverProcess?
    private var client: WebDriverClient?
    private var http: HTTPClient?
    private var idle: [String] = []
    private var total = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Sessions replaced after a crash, for run statistics and tests.
    public private(set) var replacedSessions = 0

    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "speakerdb.browser")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The start in progress: fetches that arrive while chromedriver starts wait for it
    /// rather than each starting (and leaking) a chromedriver of their own.
    private var starting: Task<WebDriverClient, any Error>?

    /// How many chromedriver processes this fetcher has started (a crashed one is replaced).
    public private(set) var driverLaunches = 0

    /// Starts chromedriver if it is not running yet.
    func start() async throws -> WebDriverClient {
        if let client, let driver, driver.isRunning { return client }
        if let starting { return try await starting.value }
        driver?.stop()
        let task = Task { try await self.launch() }
        starting = task
        defer { starting = nil }
        return try await task.value
    }

    private func launch() async throws -> WebDriverClient {
        guard let driverPath = ChromeDriverProcess.locate(configuration.chromedriverPath, candidates: ["chromedriver"]) else {
            throw ChromeDriverProcess.Missing(what: "chromedriver")
        }
        guard ChromeDriverProcess.locate(configuration.chromiumPath, candidates: ["chromium", "chromium-browser", "google-chrome"]) != nil else {
            throw ChromeDriverProcess.Missing(what: "chromium")
        }
        let process = try ChromeDriverProcess(executable: driverPath)
        driverLaunches += 1
        let http = self.http ?? HTTPClient(eventLoopGroupProvider: .singleton)
        self.http = http
        let client = WebDriverClient(base: process.baseURL, http: http)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while !(await client.isReady()) {
            guard clock.now < deadline, process.isRunning else {
                process.stop()
                throw FetchError.browser("chromedriver did not become ready")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        self.driver = process
        self.client = client
        self.http = http
        self.idle = []
        self.total = 0
        return client
    }

    func capabilities(sandbox: Bool) -> Data {
        var args = ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-extensions", "--no-first-run", "--mute-audio", "--disable-crash-reporter", "--disable-breakpad",
                    "--blink-settings=imagesEnabled=false", "--window-size=1280,2000"]
        if !sandbox { args.insert("--no-sandbox", at: 1) }
        var options: [String: Any] = ["args": args]
        if let path = ChromeDriverProcess.locate(configuration.chromiumPath, candidates: ["chromium", "chromium-browser", "google-chrome"]) {
            options["binary"] = path
        }
        let object: [String: Any] = ["browserName": "chrome", "pageLoadStrategy": "normal", "goog:chromeOptions": options]
        return (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
    }

    func checkOut() async throws -> (WebDriverClient, String) {
        let client = try await start()
        while true {
            if let session = idle.popLast() { return (client, session) }
            if total < configuration.poolSize {
                total += 1
                do {
                    let session = try await newSession(client)
                    try await client.setTimeouts(session, pageLoadMilliseconds: Int(configuration.pageLoadTimeout.components.seconds * 1000), scriptMilliseconds: 15_000)
                    return (client, session)
                } catch let error as FetchError {
                    total -= 1
                    throw error
                } catch {
                    total -= 1
                    throw FetchError.browser("cannot start a browser session: \(error)")
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// A new session, sandboxed as the configuration and the machine allow (decided once).
    func newSession(_ client: WebDriverClient) async throws -> String {
        if let sandboxed { return try await client.newSession(capabilities: capabilities(sandbox: sandboxed)) }
        switch configuration.sandbox {
        case .off:
            logger.warning("Chromium runs without its sandbox (BROWSER_SANDBOX=off)")
            sandboxed = false
        case .on:
            do {
                let session = try await client.newSession(capabilities: capabilities(sandbox: true))
                sandboxed = true
                return session
            } catch {
                throw FetchError.browser("Chromium cannot start with its sandbox here (BROWSER_SANDBOX=on)"
                                         + (getuid() == 0 ? ": it refuses the sandbox when run as root" : ": it needs user namespaces") + ". \(error)")
            }
        case .auto:
            if getuid() == 0 {
                logger.warning("Chromium runs without its sandbox: it refuses the sandbox when run as root; run speakerdb as an unprivileged user")
                sandboxed = false
            } else {
                do {
                    let session = try await client.newSession(capabilities: capabilities(sandbox: true))
                    sandboxed = true
                    return session
                } catch {
                    logger.warning("Chromium cannot start with its sandbox here (user namespaces are blocked, as by Docker's default seccomp profile); pages are rendered without it. BROWSER_SANDBOX=on refuses instead.",
                                   metadata: ["error": .string("\(error)".prefix(200).description)])
                    sandboxed = false
                }
            }
        }
        return try await client.newSession(capabilities: capabilities(sandbox: false))
    }

    func checkIn(_ session: String, healthy: Bool) async {
        if healthy {
            idle.append(session)
        } else {
            total -= 1
            replacedSessions += 1
            if let client { await client.deleteSession(session) }
            logger.warning("browser session lost; it will be replaced")
        }
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    public func fetch(_ request: FetchRequest) async throws -> FetchResult {
        // One retry on a fresh session when the browser crashed under us.
        for attempt in 0..<2 {
            let (client, session) = try await checkOut()
            do {
                let result = try await render(request, client: client, session: session)
                await checkIn(session, healthy: true)
                return result
            } catch let failure as WebDriverClient.Failure {
                await checkIn(session, healthy: !failure.sessionLost)
                if failure.sessionLost && attempt == 0 { continue }
                throw FetchError.browser(failure.description)
            } catch {
                await checkIn(session, healthy: true)
                throw error
            }
        }
        throw FetchError.browser("the browser crashed twice on \(request.url.absoluteString)")
    }

    func render(_ request: FetchRequest, client: WebDriverClient, session: String) async throws -> FetchResult {
        let clock = ContinuousClock()
        let started = clock.now
        try await configuration.addresses.check(request.url)
        try await client.navigate(session, to: request.url.absoluteString)
        try await waitForQuiet(client, session)
        if let selector = request.waitForSelector {
            let deadline = clock.now + configuration.maxWait
            while clock.now < deadline {
                if try await client.execute(session, "return !!document.querySelector(arguments[0]);", args: [selector]) as? Bool == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        // Scroll to the end until the page stops growing (infinite scroll); a page that
        // does not grow costs one short check.
        var height = try await client.execute(session, "return document.body ? document.body.scrollHeight : 0;") as? Int ?? 0
        for _ in 0..<10 {
            _ = try await client.execute(session, "window.scrollTo(0, document.body ? document.body.scrollHeight : 0);")
            try await Task.sleep(for: .milliseconds(120))
            let newHeight = try await client.execute(session, "return document.body ? document.body.scrollHeight : 0;") as? Int ?? 0
            if newHeight <= height { break }
            height = newHeight
            try await waitForQuiet(client, session)
        }
        if let selector = request.loadMoreSelector {
            for _ in 0..<configuration.maxLoadMoreClicks {
                let clicked = try await client.execute(session, """
                    const el = document.querySelector(arguments[0]);
                    if (!el || el.disabled || el.offsetParent === null) { return false; }
                    el.click(); return true;
                    """, args: [selector]) as? Bool ?? false
                if !clicked { break }
                try await waitForQuiet(client, session)
            }
        }
        let html = try await client.execute(session, "return '<!DOCTYPE html>' + document.documentElement.outerHTML;") as? String ?? ""
        let finalURL = (try await client.execute(session, "return location.href;") as? String).flatMap(URL.init(string:)) ?? request.url
        if finalURL.host != request.url.host || !["http", "https"].contains(finalURL.scheme?.lowercased() ?? "") {
            guard ["http", "https"].contains(finalURL.scheme?.lowercased() ?? "") else { throw FetchError.invalidURL(finalURL.absoluteString) }
            try await configuration.addresses.check(finalURL)
        }
        return FetchResult(requestedURL: request.url, finalURL: finalURL, status: 200, contentType: "text/html; charset=utf-8",
                           etag: nil, lastModified: nil, body: Data(html.utf8), text: html, charset: "utf-8", notModified: false,
                           redirects: finalURL == request.url ? [] : [finalURL], fetcher: name, duration: clock.now - started)
    }

    /// Waits until the document is complete and no new resources loaded for a moment.
    func waitForQuiet(_ client: WebDriverClient, _ session: String) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.maxWait
        var lastCount = -1
        var stableSince = clock.now
        while clock.now < deadline {
            let state = try await client.execute(session, "return [document.readyState, performance.getEntriesByType('resource').length];") as? [Any]
            let ready = state?.first as? String == "complete"
            let count = state?.last as? Int ?? 0
            if count != lastCount {
                lastCount = count
                stableSince = clock.now
            } else if ready && clock.now - stableSince >= configuration.quietPeriod {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public func shutdown() async {
        if let starting { _ = try? await starting.value }
        if let client {
            for session in idle { await client.deleteSession(session) }
        }
        idle = []
        total = 0
        driver?.stop()
        driver = nil
        client = nil
        try? await http?.shutdown()
        http = nil
    }

    /// chromedriver's process id followed by those of the browsers it started (empty when
    /// it is not running).
    public func processIDs() -> [Int32] {
        guard let driver, driver.isRunning else { return [] }
        return [driver.pid] + driver.descendantProcesses()
    }

    /// Resident memory of chromedriver and the browsers it started, in MiB.
    public func residentMemoryMiB() -> Double {
        guard let driver else { return 0 }
        var total = 0.0
        for pid in driver.descendantProcesses() + [driver.pid] {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
                total += (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
            }
        }
        return total
    }

    /// Kills every browser process of the pool with SIGKILL, as a crash would; the
    /// sessions are then replaced on their next use.
    public func simulateCrash() async {
        guard let driver else { return }
        for pid in driver.descendantProcesses() { kill(pid, SIGKILL) }
        try? await Task.sleep(for: .milliseconds(300))
    }
}
