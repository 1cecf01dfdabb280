import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Pipeline
import SpeakerCore
import Storage
import Vapor
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app (applies pending migrations first).",
        discussion: "Listens on HOST:PORT (defaults 127.0.0.1:5001). Stop it with Ctrl-C or SIGTERM; in-flight requests finish first.")

    @ArgumentParser.Option(help: "Address to listen on (overrides HOST).")
    var host: String?

    @ArgumentParser.Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    @ArgumentParser.Flag(help: "Also fire SCHEDULE and BACKUP_SCHEDULE and run queued jobs in this process (one machine, or a platform whose scheduled jobs cannot reach the SQLite disk).")
    var scheduler = false

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let host { environment["HOST"] = host }
        if let port { environment["PORT"] = String(port) }
        let settings: Settings
        do {
            var merged = try DotEnv.load(path: ".env")
            for (key, value) in environment { merged[key] = value }
            settings = try Settings(environment: merged)
        } catch {
            CommandSupport.fail("\(error)")
        }
        AppLogging.bootstrapOnce(settings: settings)
        // SQLite snapshots on S3 (ephemeral disks): restore before the database is opened.
        let snapshotHTTP = settings.s3Bucket == nil ? nil : HTTPClient(eventLoopGroupProvider: .singleton)
        var snapshots = snapshotHTTP.flatMap { SnapshotService(settings: settings, http: $0, logger: Logger(label: "speakerdb.snapshot")) }
        if case .sqlite(let path) = settings.database, let service = snapshots {
            do {
                try await service.restoreIfMissing(path)
            } catch {
                // Starting empty would later upload an empty snapshot over good ones.
                try? await snapshotHTTP?.shutdown()
                CommandSupport.fail("could not restore the newest snapshot from S3_BUCKET: \(error)", secrets: settings.secretValues)
            }
        } else {
            snapshots = nil
        }
        let app = try await Application.make(.production, .singleton, logger: Logger(label: "speakerdb.web"))
        app.environment.arguments = ["speakerdb", "serve"]
        do {
            try await Web.configure(app, settings: settings)
        } catch {
            try? await app.asyncShutdown()
            CommandSupport.fail(CommandSupport.describe(error), secrets: settings.secretValues)
        }
        app.logger.notice("serving", metadata: ["address": .string("http://\(settings.host):\(settings.port)"),
                                                "database": .string(settings.database.redacted)])
        var snapshotTask: Task<Void, Never>?
        if let service = snapshots {
            let storage = app.storageContext, minutes = settings.s3SnapshotMinutes, logger = app.logger
            snapshotTask = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(minutes * 60))
                    if Task.isCancelled { break }
                    do { try await service.push(storage) } catch {
                        logger.error("snapshot upload failed", metadata: ["error": .string("\(error)")])
                    }
                }
            }
        }
        var background: Task<Void, Never>?
        var worker: JobWorker?
        if scheduler {
            do {
                try await PipelineRunner.syncSourcesFile(settings: settings, storage: app.storageContext)
            } catch {
                try? await app.asyncShutdown()
                CommandSupport.fail("SOURCES_FILE: \(error)", secrets: settings.secretValues)
            }
            let inProcess = WorkerSupport.makeWorker(context: app.storageContext, settings: settings, scheduler: true)
            app.logger.notice("scheduler and worker running in this process",
                              metadata: ["owner": .string(inProcess.configuration.owner), "schedules": .string(inProcess.scheduleSummary)])
            worker = inProcess
            background = Task { await inProcess.run() }
        }
        do {
            try await app.execute()
        } catch {
            app.logger.error("server stopped", metadata: ["error": .string("\(error)")])
            background?.cancel()
            await background?.value
            await worker?.shutdown()
            snapshotTask?.cancel()
            try? await snapshotHTTP?.shutdown()
            try? await app.asyncShutdown()
            throw ExitCode.failure
        }
        // SIGTERM or Ctrl-C. The server stops accepting connections and lets requests in
        // flight finish (up to its shutdown timeout) before anything they use is closed:
        // Application.asyncShutdown would close the database pools first and the server last.
        await app.server.shutdown()
        // A job in progress is handed back to the queue before the database closes.
        background?.cancel()
        await background?.value
        await worker?.shutdown()
        snapshotTask?.cancel()
        if let service = snapshots {
            do { try await service.push(app.storageContext) } catch {
                app.logger.error("final snapshot upload failed", metadata: ["error": .string("\(error)")])
            }
        }
        try? await snapshotHTTP?.shutdown()
        try await app.asyncShutdown()
    }
}
