import Storage
import Vapor

/// `/healthz` says the process is up; `/readyz` proves the database answers a real query.
struct HealthController {
    func register(on routes: any RoutesBuilder) {
        routes.get("healthz") { _ in Health(status: "ok", database: nil, migrations: nil) }
        routes.get("readyz") { try await self.ready($0) }
    }

    struct Health: Content {
        var status: String
        var database: String?
        var migrations: Int?
    }

    func ready(_ request: Request) async throws -> Response {
        let context = request.application.storageContext
        do {
            let applied = try await context.appliedMigrations().count
            _ = try await StatsQueries(context.database).counts()
            // The engine and schema version are for admins; a probe only needs the status.
            let admin = request.session?.account.role == .admin
            return try await Health(status: "ready", database: admin ? context.engine.rawValue : nil, migrations: admin ? applied : nil)
                .encodeResponse(for: request)
        } catch {
            request.logger.warning("readiness check failed", metadata: ["error": .string(StorageContext.describe(error))])
            let response = try await Health(status: "unavailable", database: nil, migrations: nil).encodeResponse(for: request)
            response.status = .serviceUnavailable
            return response
        }
    }
}
