import Foundation

/// One setting: defined once, with its default and the help text that `speakerdb config`
/// and docs/CONFIGURATION.md show. A test fails when a definition is missing from the docs.
public struct SettingDefinition: Sendable, Hashable {
    public let key: String
    public let defaultValue: String?
    public let help: String
    /// Secrets are masked by `speakerdb config` and never logged.
    public let isSecret: Bool

    public init(_ key: String, default defaultValue: String?, secret: Bool = false, help: String) {
        self.key = key
        self.defaultValue = defaultValue
        self.help = help
        self.isSecret = secret
    }
}

/// A setting that could not be read, named with the key and what was wrong.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "invalid setting \(key): \(message)" }
}

/// Where the data lives: an embedded SQLite file or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `DATABASE_URL`: `postgres://`/`postgresql://` URLs, `sqlite:PATH`,
    /// `sqlite://PATH`, `file:PATH` or a bare file path.
    public static func parse(_ text: String) throws -> DatabaseLocation {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw SettingsError(key: "DATABASE_URL", message: "is empty")
        }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
                throw SettingsError(key: "DATABASE_URL", message: "is not a valid PostgreSQL URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
            }
            return .postgres(url: trimmed)
        }
        for prefix in ["sqlite://", "sqlite:", "file:"] where lower.hasPrefix(prefix) {
            let path = String(trimmed.dropFirst(prefix.count))
            guard !path.isEmpty else {
                throw SettingsError(key: "DATABASE_URL", message: "names no SQLite file after '\(prefix)'")
            }
            return .sqlite(path: path)
        }
        if let schemeEnd = trimmed.range(of: "://") {
            let scheme = trimmed[..<schemeEnd.lowerBound]
            throw SettingsError(key: "DATABASE_URL", message: "uses an unsupported scheme '\(scheme)' (use postgres://, postgresql:// or a SQLite file path)")
        }
        return .sqlite(path: trimmed)
    }

    public var engineName: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// The location with any password replaced by `****`, safe for logs and pages.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return Redaction.redactURLPassword(url)
        }
    }
}

public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// The effective configuration of one process, read from the environment and `.env`.
public struct Settings: Sendable {
    /// Every setting speakerdb reads. Add new ones here, and to docs/CONFIGURATION.md.
    public static let definitions: [SettingDefinition] = [
        SettingDefinition("HOST", default: "127.0.0.1",
                          help: "Address the web server listens on. Use 0.0.0.0 inside containers and on platforms that route traffic to the process."),
        SettingDefinition("PORT", default: "5001",
                          help: "TCP port of the web server (1-65535). Platforms such as Render, Heroku and Railway set it for you."),
        SettingDefinition("DATA_DIR", default: "./data",
                          help: "Folder for the SQLite database (DATA_DIR/speakers.db), backups and caches. Put it on a persistent disk."),
        SettingDefinition("DATABASE_URL", default: nil, secret: true,
                          help: "Database to use instead of DATA_DIR/speakers.db: postgres://USER:PASSWORD@HOST:PORT/DB (postgresql:// also accepted) or a SQLite file path (sqlite:PATH or a bare path)."),
        SettingDefinition("LOG_LEVEL", default: "info",
                          help: "Minimum log level: trace, debug, info, notice, warning, error or critical."),
        SettingDefinition("LOG_FORMAT", default: "text",
                          help: "Log line format: text (for people) or json (one JSON object per line, for log collectors)."),
        SettingDefinition("EMBEDDINGS", default: "auto",
                          help: "auto: after each pipeline run, embed new and changed speakers for semantic search with the local all-MiniLM-L6-v2 model when its files are installed (scripts/fetch-model.sh; folder SPEAKERDB_MODEL_DIR). openai: with the OpenAI embeddings API (OPENAI_API_KEY), or an OpenAI-compatible server (LLM_BASE_URL); every call is recorded with its cost, and on the web only signed-in admins' searches embed their query (it costs money), others rank by words. off: never (search by words only until `speakerdb embed`)."),
        SettingDefinition("EMBEDDINGS_MODEL", default: "text-embedding-3-small",
                          help: "The embeddings API's model when EMBEDDINGS=openai (for a local server, its model name, such as nomic-embed-text). Changing it embeds every speaker again."),
        SettingDefinition("ENRICH_MAX_AGE_DAYS", default: "30",
                          help: "Speakers are enriched (expertise tags, where they are based, languages) when new or changed, and again once their enrichment is older than this many days, oldest first. A whole number of days, at least 1."),
        SettingDefinition("SPEAKERDB_MODEL_DIR", default: nil,
                          help: "Folder with the all-MiniLM-L6-v2 files (model.safetensors, vocab.txt, config.json). Default: ~/.cache/speakerdb/models/all-MiniLM-L6-v2 (XDG_CACHE_HOME is honoured)."),
        SettingDefinition("ANTHROPIC_API_KEY", default: nil, secret: true,
                          help: "Anthropic API key. When set, extraction and query parsing may use Claude; every call and its cost is recorded."),
        SettingDefinition("OPENAI_API_KEY", default: nil, secret: true,
                          help: "OpenAI API key (or the key of an OpenAI-compatible server). When set, extraction may use the Chat Completions API."),
        SettingDefinition("LLM_BASE_URL", default: nil,
                          help: "Base URL of an OpenAI-compatible server (for example http://127.0.0.1:11434/v1 for Ollama). Needs no key when the server needs none."),
        SettingDefinition("LLM_MODEL", default: nil,
                          help: "Model name for the configured LLM provider. Defaults to the provider's recommended model."),
        SettingDefinition("ANTHROPIC_BASE_URL", default: "https://api.anthropic.com",
                          help: "Base URL of the Anthropic API (a proxy or gateway that speaks the Messages API)."),
        SettingDefinition("LLM_MAX_COST_USD", default: "5",
                          help: "Most a single pipeline run (or extract, enrich or embed command) may spend on paid model calls, in US dollars; then it continues offline. `--max-cost` overrides it."),
        SettingDefinition("LLM_DAILY_MAX_COST_USD", default: "20",
                          help: "Most all paid model calls together may spend in any 24 hours, in US dollars, across runs, scheduled runs, searches and commands (counted from the recorded calls); then everything continues offline."),
        SettingDefinition("LLM_MAX_PARTS_PER_PAGE", default: "8",
                          help: "Most parts of one page sent to the LLM for extraction (a part is up to 12,000 characters); the rest of a longer page is read offline only."),
        SettingDefinition("LLM_PAGES", default: "unsure",
                          help: "Which event pages extraction sends to the LLM. unsure: only pages the offline chain is unsure of (it found nobody, or someone only in prose, or someone below 0.7 confidence); pages whose people all come from the page's structure are not sent. all: every page."),
        SettingDefinition("SOURCES_FILE", default: nil,
                          help: "A YAML file of sources (url, name, event_url_pattern, fetcher, max_pages) that crawl and pipeline add or update before they run."),
        SettingDefinition("CRAWL_DELAY_SECONDS", default: "1",
                          help: "Minimum seconds between requests to one host (with ±30% jitter). A longer robots.txt Crawl-delay wins."),
        SettingDefinition("CRAWL_CONCURRENCY_PER_HOST", default: "2",
                          help: "Requests in flight at once to one host."),
        SettingDefinition("CRAWL_TIMEOUT_SECONDS", default: "30",
                          help: "Read timeout of one HTTP request; the whole request (with redirects) may take twice as long."),
        SettingDefinition("CRAWL_MAX_PAGE_MB", default: "10",
                          help: "Largest page body accepted, in MiB; larger pages are recorded as failed."),
        SettingDefinition("BROWSER_POOL_SIZE", default: "2",
                          help: "Headless Chromium sessions kept open for pages that need a real browser."),
        SettingDefinition("BROWSER_SANDBOX", default: "auto",
                          help: "Chromium's own sandbox for the pages it renders. auto: used wherever it can start (not as root, where Chromium refuses it, nor where user namespaces are blocked, as by Docker's default seccomp profile), with a warning in the log when it cannot. on: a page is not rendered without it. off: never used."),
        SettingDefinition("CHROMEDRIVER_PATH", default: nil,
                          help: "Path of chromedriver. Default: found on PATH (Debian package chromium-driver)."),
        SettingDefinition("CHROMIUM_PATH", default: nil,
                          help: "Path of the Chromium binary. Default: chromium, chromium-browser or google-chrome on PATH."),
        SettingDefinition("ALLOW_PRIVATE_ADDRESSES", default: "false",
                          help: "true: the crawler may fetch loopback, private-network and link-local addresses (an intranet site, a local copy). A comma-separated list of host names allows just those hosts. false: such addresses are refused on every request, redirect and browser navigation, so a crawled page cannot reach the machine, its network or a cloud metadata service. `speakerdb demo` and `speakerdb eval` allow them for the sites they serve themselves."),
        SettingDefinition("PUBLIC_READ", default: "false",
                          help: "true: anyone may read the pages and the JSON API without signing in. false: everything but the sign-in page needs an account (`speakerdb users add`). Changing data always needs an account."),
        SettingDefinition("TRUSTED_PROXIES", default: "127.0.0.1,::1",
                          help: "Comma-separated addresses or CIDR ranges (10.0.0.0/8, fd00::/8) of reverse proxies whose X-Forwarded-Proto and X-Forwarded-For are believed (session cookies get Secure behind a TLS proxy; sign-in limits count the forwarded client). `*` trusts any peer: only where nothing but the platform's proxy can reach the app."),
        SettingDefinition("SESSION_HOURS", default: "12",
                          help: "How long a sign-in lasts, in hours."),
        SettingDefinition("METRICS_TOKEN", default: nil, secret: true,
                          help: "Bearer token that lets a Prometheus scraper read /metrics without an account. Unset: /metrics needs an admin session."),
        SettingDefinition("SCHEDULE", default: nil,
                          help: "When the pipeline runs by itself: a cron expression in UTC, e.g. \"0 2 * * *\" for 02:00 every day. Read by `speakerdb worker` and `speakerdb serve --scheduler`; unset means never."),
        SettingDefinition("BACKUP_SCHEDULE", default: nil,
                          help: "When a SQLite backup is taken by itself: a cron expression in UTC, e.g. \"30 3 * * *\". Unset means never."),
        SettingDefinition("BACKUP_DIR", default: nil,
                          help: "Folder for `speakerdb backup` snapshots. Default: DATA_DIR/backups."),
        SettingDefinition("BACKUP_KEEP", default: "7",
                          help: "How many backups to keep; older ones are deleted after each new backup."),
        SettingDefinition("S3_BUCKET", default: nil,
                          help: "Bucket for SQLite snapshots on S3-compatible storage (for disks that do not survive a restart). Unset: no snapshots."),
        SettingDefinition("S3_ENDPOINT", default: nil,
                          help: "Base URL of the S3-compatible service, e.g. https://s3.eu-west-1.amazonaws.com or https://ACCOUNT.r2.cloudflarestorage.com. Default: AWS S3 in S3_REGION."),
        SettingDefinition("S3_REGION", default: "us-east-1",
                          help: "Region used in the request signature (SigV4)."),
        SettingDefinition("S3_ACCESS_KEY_ID", default: nil,
                          help: "Access key id for S3_BUCKET."),
        SettingDefinition("S3_SECRET_ACCESS_KEY", default: nil, secret: true,
                          help: "Secret access key for S3_BUCKET."),
        SettingDefinition("S3_PREFIX", default: "speakerdb/",
                          help: "Key prefix of the snapshots in the bucket."),
        SettingDefinition("S3_SNAPSHOT_MINUTES", default: "60",
                          help: "How often `speakerdb serve` uploads a snapshot (also at shutdown)."),
        SettingDefinition("S3_KEEP", default: "7",
                          help: "How many snapshots to keep in the bucket."),
        SettingDefinition("SEARCH_LOG_RETENTION_DAYS", default: "90",
                          help: "How long search analytics (the query text, result count and latency of each search; never who asked) are kept, in days. The worker deletes older ones every hour."),
        SettingDefinition("JOB_LEASE_SECONDS", default: "300",
                          help: "How long a worker holds a job without renewing its lease; a crashed worker's job is retried after this long."),
        SettingDefinition("JOB_MAX_ATTEMPTS", default: "3",
                          help: "How many times a job is tried before it is marked failed (retry it with `speakerdb jobs retry`)."),
    ]

    public static func definition(_ key: String) -> SettingDefinition? {
        definitions.first { $0.key == key }
    }

    /// Raw effective values (environment over `.env` over defaults), by key.
    public let values: [String: String]

    public let host: String
    public let port: Int
    public let dataDirectory: String
    public let database: DatabaseLocation
    public let logLevel: String
    public let logFormat: LogFormat
    /// Whether pipeline runs embed new and changed speakers (when the model is installed).
    public let embeddingsEnabled: Bool
    /// EMBEDDINGS=openai: embeddings come from the OpenAI (or an OpenAI-compatible) API.
    public let embeddingsAPI: Bool
    public let embeddingsModel: String
    /// How old an enrichment may get before the pipeline redoes it (ENRICH_MAX_AGE_DAYS).
    public let enrichMaxAgeDays: Int
    public let modelDirectory: String?
    public let anthropicAPIKey: String?
    public let openAIAPIKey: String?
    public let llmBaseURL: String?
    public let llmModel: String?
    public let anthropicBaseURL: String
    public let llmMaxCostMicros: Int?
    /// The rolling 24-hour cap over every paid call (`LLM_DAILY_MAX_COST_USD`).
    public let llmDailyMaxCostMicros: Int?
    public let llmMaxPartsPerPage: Int
    /// `LLM_PAGES`: whether extraction sends every page to the LLM or only the unsure ones.
    public let llmPages: LLMPagePolicy
    /// Days of search analytics kept (`SEARCH_LOG_RETENTION_DAYS`).
    public let searchLogRetentionDays: Int
    public let sourcesFile: String?
    public let crawlDelay: Double
    public let crawlConcurrencyPerHost: Int
    public let crawlTimeoutSeconds: Int
    public let crawlMaxPageBytes: Int
    public let browserPoolSize: Int
    public let chromedriverPath: String?
    public let chromiumPath: String?
    /// `BROWSER_SANDBOX`: auto, on or off.
    public let browserSandbox: String
    public let publicRead: Bool
    /// Whether the crawler may reach loopback, private and link-local addresses.
    public var allowPrivateAddresses: Bool
    /// Hosts the crawler may reach even when they are private (`ALLOW_PRIVATE_ADDRESSES=host,host`).
    public var privateHostsAllowed: [String]
    public let trustedProxies: [String]
    /// `TRUSTED_PROXIES` as address ranges (without `*`).
    public let trustedProxyRanges: [AddressRange]

    /// Whether a peer at `address` is a proxy whose forwarded headers are believed.
    public func isTrustedProxy(_ address: String) -> Bool {
        trustedProxies.contains("*") || trustedProxyRanges.contains { $0.contains(address) }
    }
    public let sessionHours: Double
    public let metricsToken: String?
    public let schedule: CronExpression?
    public let backupSchedule: CronExpression?
    public let backupDirectory: String
    public let backupKeep: Int
    public let jobLeaseSeconds: Int
    public let s3Bucket: String?
    public let s3Endpoint: String
    public let s3Region: String
    public let s3AccessKeyID: String?
    public let s3SecretAccessKey: String?
    public let s3Prefix: String
    public let s3SnapshotMinutes: Double
    public let s3Keep: Int
    public let jobMaxAttempts: Int

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Reads settings from an environment dictionary (already merged with `.env`).
    /// Unknown keys are ignored; known keys with bad values throw a `SettingsError`.
    public init(environment: [String: String]) throws {
        var values: [String: String] = [:]
        for definition in Settings.definitions {
            let raw = environment[definition.key].map { $0.trimmingWhitespace() }
            if let raw, !raw.isEmpty {
                values[definition.key] = raw
            } else if let fallback = definition.defaultValue {
                values[definition.key] = fallback
            }
        }
        self.values = values

        host = values["HOST"] ?? "127.0.0.1"
        guard let port = Int(values["PORT"] ?? ""), (1...65535).contains(port) else {
            throw SettingsError(key: "PORT", message: "must be a whole number from 1 to 65535 (got \"\(values["PORT"] ?? "")\")")
        }
        self.port = port
        dataDirectory = values["DATA_DIR"] ?? "./data"
        if let url = values["DATABASE_URL"] {
            database = try DatabaseLocation.parse(url)
        } else {
            database = .sqlite(path: (dataDirectory as NSString).appendingPathComponent("speakers.db"))
        }
        let level = (values["LOG_LEVEL"] ?? "info").lowercased()
        guard Settings.logLevels.contains(level) else {
            throw SettingsError(key: "LOG_LEVEL", message: "must be one of \(Settings.logLevels.joined(separator: ", ")) (got \"\(level)\")")
        }
        logLevel = level
        guard let format = LogFormat(rawValue: (values["LOG_FORMAT"] ?? "text").lowercased()) else {
            throw SettingsError(key: "LOG_FORMAT", message: "must be text or json (got \"\(values["LOG_FORMAT"] ?? "")\")")
        }
        logFormat = format
        switch (values["EMBEDDINGS"] ?? "auto").lowercased() {
        case "auto": (embeddingsEnabled, embeddingsAPI) = (true, false)
        case "openai": (embeddingsEnabled, embeddingsAPI) = (true, true)
        case "off": (embeddingsEnabled, embeddingsAPI) = (false, false)
        case let other: throw SettingsError(key: "EMBEDDINGS", message: "must be auto, openai or off (got \"\(other)\")")
        }
        embeddingsModel = values["EMBEDDINGS_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "text-embedding-3-small"
        if embeddingsAPI && (values["OPENAI_API_KEY"] ?? "").isEmpty && (values["LLM_BASE_URL"] ?? "").isEmpty {
            throw SettingsError(key: "EMBEDDINGS", message: "openai needs OPENAI_API_KEY (or LLM_BASE_URL for an OpenAI-compatible server)")
        }
        guard let enrichDays = Int(values["ENRICH_MAX_AGE_DAYS"] ?? "30"), enrichDays >= 1, enrichDays <= 36_500 else {
            throw SettingsError(key: "ENRICH_MAX_AGE_DAYS", message: "must be a whole number of days from 1 to 36500 (got \"\(values["ENRICH_MAX_AGE_DAYS"] ?? "")\")")
        }
        enrichMaxAgeDays = enrichDays
        modelDirectory = values["SPEAKERDB_MODEL_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        anthropicAPIKey = values["ANTHROPIC_API_KEY"]
        openAIAPIKey = values["OPENAI_API_KEY"]
        if let base = values["LLM_BASE_URL"] {
            guard let url = URL(string: base), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil
            else {
                throw SettingsError(key: "LLM_BASE_URL", message: "must be an http:// or https:// URL (got \"\(base)\")")
            }
        }
        llmBaseURL = values["LLM_BASE_URL"]
        llmModel = values["LLM_MODEL"]
        anthropicBaseURL = values["ANTHROPIC_BASE_URL"] ?? "https://api.anthropic.com"
        guard let anthropic = URL(string: anthropicBaseURL), ["http", "https"].contains(anthropic.scheme?.lowercased() ?? "") else {
            throw SettingsError(key: "ANTHROPIC_BASE_URL", message: "must be an http:// or https:// URL (got \"\(anthropicBaseURL)\")")
        }
        llmMaxCostMicros = Int(try Settings.number(values, "LLM_MAX_COST_USD", in: 0...100_000) * 1_000_000)
        llmDailyMaxCostMicros = Int(try Settings.number(values, "LLM_DAILY_MAX_COST_USD", in: 0...1_000_000) * 1_000_000)
        llmMaxPartsPerPage = Int(try Settings.number(values, "LLM_MAX_PARTS_PER_PAGE", in: 1...1_000, whole: true))
        guard let pages = LLMPagePolicy(rawValue: (values["LLM_PAGES"] ?? "unsure").lowercased()) else {
            throw SettingsError(key: "LLM_PAGES", message: "must be unsure or all (got \"\(values["LLM_PAGES"] ?? "")\")")
        }
        llmPages = pages
        sourcesFile = values["SOURCES_FILE"]
        crawlDelay = try Settings.number(values, "CRAWL_DELAY_SECONDS", in: 0...600)
        crawlConcurrencyPerHost = Int(try Settings.number(values, "CRAWL_CONCURRENCY_PER_HOST", in: 1...32, whole: true))
        crawlTimeoutSeconds = Int(try Settings.number(values, "CRAWL_TIMEOUT_SECONDS", in: 1...600, whole: true))
        crawlMaxPageBytes = Int(try Settings.number(values, "CRAWL_MAX_PAGE_MB", in: 1...512, whole: true)) << 20
        browserPoolSize = Int(try Settings.number(values, "BROWSER_POOL_SIZE", in: 1...16, whole: true))
        chromedriverPath = values["CHROMEDRIVER_PATH"]
        chromiumPath = values["CHROMIUM_PATH"]
        browserSandbox = (values["BROWSER_SANDBOX"] ?? "auto").lowercased()
        guard ["auto", "on", "off"].contains(browserSandbox) else {
            throw SettingsError(key: "BROWSER_SANDBOX", message: "must be auto, on or off (got \"\(values["BROWSER_SANDBOX"] ?? "")\")")
        }
        publicRead = try Settings.flag(values, "PUBLIC_READ")
        if let value = values["ALLOW_PRIVATE_ADDRESSES"], !["true", "1", "yes", "on", "false", "0", "no", "off", ""].contains(value.lowercased()) {
            allowPrivateAddresses = false
            privateHostsAllowed = value.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
        } else {
            allowPrivateAddresses = try Settings.flag(values, "ALLOW_PRIVATE_ADDRESSES")
            privateHostsAllowed = []
        }
        trustedProxies = (values["TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        var ranges: [AddressRange] = []
        for entry in trustedProxies where entry != "*" {
            guard let range = AddressRange(entry) else {
                throw SettingsError(key: "TRUSTED_PROXIES", message: "'\(entry.prefix(60))' is not an IP address or a CIDR range (like 10.0.0.0/8), nor *")
            }
            ranges.append(range)
        }
        trustedProxyRanges = ranges
        sessionHours = try Settings.number(values, "SESSION_HOURS", in: 0.1...24 * 90)
        metricsToken = values["METRICS_TOKEN"]
        if let token = metricsToken, token.count < 16 {
            throw SettingsError(key: "METRICS_TOKEN", message: "must be at least 16 characters")
        }
        schedule = try Settings.cron(values, "SCHEDULE")
        backupSchedule = try Settings.cron(values, "BACKUP_SCHEDULE")
        backupDirectory = values["BACKUP_DIR"] ?? (dataDirectory as NSString).appendingPathComponent("backups")
        backupKeep = Int(try Settings.number(values, "BACKUP_KEEP", in: 1...10_000, whole: true))
        searchLogRetentionDays = Int(try Settings.number(values, "SEARCH_LOG_RETENTION_DAYS", in: 1...3_650, whole: true))
        jobLeaseSeconds = Int(try Settings.number(values, "JOB_LEASE_SECONDS", in: 1...86_400, whole: true))
        jobMaxAttempts = Int(try Settings.number(values, "JOB_MAX_ATTEMPTS", in: 1...100, whole: true))
        s3Bucket = values["S3_BUCKET"]
        s3Region = values["S3_REGION"] ?? "us-east-1"
        s3Endpoint = values["S3_ENDPOINT"] ?? "https://s3.\(s3Region).amazonaws.com"
        guard let endpoint = URL(string: s3Endpoint), ["http", "https"].contains(endpoint.scheme?.lowercased() ?? ""), endpoint.host != nil else {
            throw SettingsError(key: "S3_ENDPOINT", message: "must be an http:// or https:// URL (got \"\(s3Endpoint)\")")
        }
        s3AccessKeyID = values["S3_ACCESS_KEY_ID"]
        s3SecretAccessKey = values["S3_SECRET_ACCESS_KEY"]
        if s3Bucket != nil, s3AccessKeyID == nil || s3SecretAccessKey == nil {
            throw SettingsError(key: "S3_BUCKET", message: "needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY too")
        }
        s3Prefix = values["S3_PREFIX"] ?? "speakerdb/"
        s3SnapshotMinutes = try Settings.number(values, "S3_SNAPSHOT_MINUTES", in: 1...10_080)
        s3Keep = Int(try Settings.number(values, "S3_KEEP", in: 1...1_000, whole: true))
    }

    static func cron(_ values: [String: String], _ key: String) throws -> CronExpression? {
        guard let text = values[key] else { return nil }
        do {
            return try CronExpression(text)
        } catch {
            throw SettingsError(key: key, message: "\(error)")
        }
    }

    /// A numeric setting within bounds, or a `SettingsError` naming it.
    /// A true/false setting (also 1/0, yes/no, on/off); unset is false.
    static func flag(_ values: [String: String], _ key: String) throws -> Bool {
        switch (values[key] ?? "false").lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off", "": return false
        default: throw SettingsError(key: key, message: "must be true or false (got \"\(values[key] ?? "")\")")
        }
    }

    static func number(_ values: [String: String], _ key: String, in range: ClosedRange<Double>, whole: Bool = false) throws -> Double {
        let text = values[key] ?? definition(key)?.defaultValue ?? ""
        guard let value = Double(text), range.contains(value), !whole || value == value.rounded() else {
            let kind = whole ? "a whole number" : "a number"
            throw SettingsError(key: key, message: "must be \(kind) from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()) (got \"\(text)\")")
        }
        return value
    }

    /// Reads the process environment merged over a `.env` file in `directory` (if any).
    public static func load(processEnvironment: [String: String] = ProcessInfo.processInfo.environment,
                            dotEnvPath: String = ".env") throws -> Settings {
        var merged = try DotEnv.load(path: dotEnvPath)
        for (key, value) in processEnvironment { merged[key] = value }
        return try Settings(environment: merged)
    }

    /// One line per setting for `speakerdb config`: secrets masked, the source named.
    public func describe(environment: [String: String]) -> [(key: String, value: String, origin: String)] {
        Settings.definitions.map { definition in
            let origin: String
            if let raw = environment[definition.key], !raw.trimmingWhitespace().isEmpty {
                origin = "set"
            } else if definition.defaultValue != nil {
                origin = "default"
            } else {
                origin = "unset"
            }
            guard let value = values[definition.key] else {
                return (definition.key, "", origin)
            }
            if definition.key == "DATABASE_URL" {
                return (definition.key, database.redacted, origin)
            }
            return (definition.key, definition.isSecret ? Redaction.mask(value) : Redaction.redactURLUserInfo(value), origin)
        }
    }

    /// Every secret value currently configured, so log and error output can be scrubbed.
    /// Also the user info of every URL-valued setting (`LLM_BASE_URL`, `ANTHROPIC_BASE_URL`,
    /// `S3_ENDPOINT`, `DATABASE_URL`, …), as written and percent-decoded.
    public var secretValues: [String] {
        var secrets = Settings.definitions.filter(\.isSecret).compactMap { values[$0.key] }
        for value in values.values {
            guard value.contains("@"), let components = URLComponents(string: value) else { continue }
            secrets += [components.percentEncodedUser, components.user, components.percentEncodedPassword, components.password].compactMap { $0 }
        }
        return Array(Set(secrets.filter { $0.count >= 4 }))
    }
}

/// Which event pages extraction sends to a configured LLM (`LLM_PAGES`).
public enum LLMPagePolicy: String, Sendable, CaseIterable {
    /// Only pages the offline chain is unsure of.
    case unsure
    /// Every page.
    case all
}
