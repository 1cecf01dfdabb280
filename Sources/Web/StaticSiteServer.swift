import Foundation
import Logging
import Vapor

/// Serves a folder of static files on loopback, as GitHub Pages would: `/dir/` serves
/// `dir/index.html`, `/dir` redirects to `/dir/`, `/page` serves `page.html` when there is
/// no file `page`, with ETags so conditional requests get 304. Used by `speakerdb demo` and
/// `speakerdb eval`.
public final class StaticSiteServer: @unchecked Sendable {
    let app: Application
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static func start(directory: String, port: Int = 0) async throws -> StaticSiteServer {
        var logger = Logger(label: "speakerdb.site")
        logger.logLevel = .warning
        let app = try await Application.make(.production, .singleton, logger: logger)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        // startup() runs the command named by the arguments: serve, not the test runner's.
        app.environment.arguments = ["speakerdb", "serve"]
        app.http.server.configuration.serverName = "speakerdb-static"
        app.middleware = Middlewares()
        // A missing file is a 404, not a closed connection (which crawlers retry as a network error).
        app.middleware.use(ErrorMiddleware.default(environment: app.environment))
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path + "/"
        app.middleware.use(HTMLExtensionFallback(root: root))
        app.middleware.use(FileMiddleware(publicDirectory: root, defaultFile: "index.html", directoryAction: .redirect))
        try await app.startup()
        let actualPort = app.http.server.shared.localAddress?.port ?? port
        return StaticSiteServer(app: app, port: actualPort)
    }

    init(app: Application, port: Int) {
        self.app = app
        self.port = port
    }

    public func stop() async {
        try? await app.asyncShutdown()
    }
}

/// `/page` answers with `page.html` when neither a file nor a folder `page` exists, as
/// GitHub Pages and most static hosts do for links written without the extension.
struct HTMLExtensionFallback: AsyncMiddleware {
    let root: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        if !path.hasSuffix("/"), !path.contains(".."), let decoded = path.removingPercentEncoding {
            let manager = FileManager.default
            let file = root + decoded.dropFirst()
            if !manager.fileExists(atPath: file), manager.fileExists(atPath: file + ".html") {
                request.url.path = path + ".html"
            }
        }
        return try await next.respond(to: request)
    }
}
