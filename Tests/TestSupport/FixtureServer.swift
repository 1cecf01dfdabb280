import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// A real HTTP server on 127.0.0.1 for tests: static fixture files plus programmable
/// routes (redirects, 429s, slow responses, odd charsets), counting every request.
public final class FixtureServer: @unchecked Sendable {
    public let app: Application
    public let port: Int
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    public var base: String { "http://127.0.0.1:\(port)" }

    public func url(_ path: String) -> URL { URL(string: base + path)! }

    /// How many times a path was requested.
    public func requests(_ path: String) -> Int { counts.withLockedValue { $0[path] ?? 0 } }
    public var totalRequests: Int { counts.withLockedValue { $0.values.reduce(0, +) } }
    public var requestedPaths: [String: Int] { counts.withLockedValue { $0 } }

    /// Starts a server; `routes` adds handlers, `directory` serves static files.
    public static func start(directory: String? = nil, routes: (Application) throws -> Void = { _ in }) async throws -> FixtureServer {
        var logger = Logger(label: "fixture")
        logger.logLevel = .critical
        let app = try await Application.make(.testing, .singleton, logger: logger)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        // startup() runs the command named by the arguments: serve, not the test runner's.
        app.environment.arguments = ["speakerdb", "serve"]
        app.middleware = Middlewares()
        let counter = CountingMiddleware()
        app.middleware.use(counter)
        if let directory {
            app.middleware.use(FileMiddleware(publicDirectory: URL(fileURLWithPath: directory).standardizedFileURL.path + "/",
                                              defaultFile: "index.html", directoryAction: .redirect))
        }
        do {
            try routes(app)
            try await app.startup()
            guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no port") }
            let server = FixtureServer(app: app, port: port)
            counter.server = server
            return server
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Runs `body` with a started server and always stops it afterwards.
    public static func with<T>(directory: String? = nil, routes: (Application) throws -> Void = { _ in },
                               _ body: (FixtureServer) async throws -> T) async throws -> T {
        let server = try await start(directory: directory, routes: routes)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    init(app: Application, port: Int) {
        self.app = app
        self.port = port
    }

    func count(_ path: String) {
        counts.withLockedValue { $0[path, default: 0] += 1 }
    }

    public func stop() async {
        try? await app.asyncShutdown()
    }

    final class CountingMiddleware: AsyncMiddleware, @unchecked Sendable {
        weak var server: FixtureServer?

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            server?.count(request.url.path)
            return try await next.respond(to: request)
        }
    }
}

extension Response {
    /// An HTML response with an explicit charset and raw bytes.
    public static func html(_ text: String, charset: String = "utf-8", encoding: String.Encoding = .utf8, status: HTTPResponseStatus = .ok, headers extra: [(String, String)] = []) -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "text/html; charset=\(charset)")
        for (name, value) in extra { headers.add(name: name, value: value) }
        return Response(status: status, headers: headers, body: .init(data: text.data(using: encoding) ?? Data(text.utf8)))
    }
}
