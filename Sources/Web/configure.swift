import Fluent
import Leaf
import Logging
import SpeakerCore
import Storage
import Vapor

/// Wires a Vapor application: database, migrations, views, middleware, routes.
/// Used by `speakerdb serve` and by the route tests, so both run the same app.
public func configure(_ app: Application, settings: Settings, migrate: Bool = true) async throws {
    app.speakerdbSettings = settings
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port
    app.http.server.configuration.serverName = "speakerdb"

    // Vapor owns (and shuts down) this pool; SQLite's blocking calls run on it. It must be
    // set before `app.databases` is first used.
    app.threadPool = NIOThreadPool(numberOfThreads: StorageContext.blockingThreads)
    try StorageContext.register(settings.database, on: app.databases)
    let context = StorageContext(databases: app.databases, location: settings.database, logger: app.logger)
    try await context.prepareConnections()
    if migrate {
        let applied = try await context.migrate()
        if !applied.isEmpty {
            app.logger.info("applied migrations", metadata: ["migrations": .string(applied.joined(separator: ","))])
        }
    }
    app.storageContext = context

    app.directory = DirectoryConfiguration(workingDirectory: ResourceLocator.root())
    app.views.use(.leaf)
    app.leaf.cache.isEnabled = true
    app.leaf.tags["signedIn"] = SignedInTag()
    app.leaf.tags["canAdminister"] = CanAdministerTag()
    app.leaf.tags["accountName"] = AccountNameTag()
    app.leaf.tags["csrfToken"] = CSRFTokenTag()

    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    ContentConfiguration.global.use(encoder: encoder, for: .json)

    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(NULRejectingMiddleware())
    app.middleware.use(AccessMiddleware())
    app.middleware.use(PublicFilesMiddleware(publicDirectory: app.directory.publicDirectory))

    try routes(app)
}

/// Finds the folder holding `Resources/Views` and `Public`: the working directory when it
/// is a checkout, else the nearest ancestor of the executable (a Docker image's /app).
enum ResourceLocator {
    static func root() -> String {
        let manager = FileManager.default
        let cwd = manager.currentDirectoryPath
        if manager.fileExists(atPath: cwd + "/Resources/Views") { return cwd + "/" }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? cwd).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if manager.fileExists(atPath: directory.path + "/Resources/Views") { return directory.path + "/" }
            directory.deleteLastPathComponent()
        }
        #if DEBUG
        // Tests run from the package root or from .build; fall back to this source file's package.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if manager.fileExists(atPath: package.path + "/Resources/Views") { return package.path + "/" }
        #endif
        return cwd + "/"
    }
}

/// One line per request at debug level; method, path, status and milliseconds.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - start
        request.application.httpMetrics.record(method: request.method, status: response.status, seconds: elapsed.inSeconds)
        request.logger.debug("request", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(request.url.path),
            "status": .stringConvertible(response.status.code),
            "ms": .stringConvertible(elapsed.inMilliseconds),
        ])
        return response
    }
}
