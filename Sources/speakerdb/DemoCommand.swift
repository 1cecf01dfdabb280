import ArgumentParser
import Crawling
import Foundation
import Logging
import Pipeline
import SpeakerCore
import Storage
import Vapor
import Web

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve the bundled sample event site on loopback, run the pipeline on it, then serve the web app.",
        discussion: "Uses the embedded default database (DATA_DIR/speakers.db). Re-running is cheap: pages already fetched are not fetched again.")

    @ArgumentParser.Option(help: "Port for the sample site.") var sitePort = 5002
    @ArgumentParser.Option(help: "The sample site folder.") var site = "SampleSite"
    @ArgumentParser.Flag(help: "Stop after the pipeline instead of serving the web app.") var noServe = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: site + "/events/index.html") else {
            CommandSupport.fail("\(site)/events/index.html not found; run the demo from the repository root")
        }
        // The demo crawls the sample site it serves on loopback (and so may its worker and
        // "run now"): the explicit opt-in for loopback addresses, for this process only.
        setenv("ALLOW_PRIVATE_ADDRESSES", "true", 1)
        let server: StaticSiteServer
        do {
            server = try await StaticSiteServer.start(directory: site, port: sitePort)
        } catch {
            CommandSupport.fail("cannot serve the sample site on 127.0.0.1:\(sitePort) (\(error)); choose another port with --site-port")
        }
        print("sample site: \(server.baseURL)/events/index.html")
        try await CommandSupport.withStorage { context, settings in
            let repository = SourceRepository(context.database)
            let sources = [
                try await repository.upsert(SourceSpec(url: server.baseURL + "/events/index.html", name: "Meridian Forum (sample)")),
                try await repository.upsert(SourceSpec(url: server.baseURL + "/events/live/index.html", name: "Meridian Forum live series (sample)")),
            ]
            var arguments = try CrawlArguments.parse(["--mode", "backfill", "--no-delay"])
            arguments.stats = true
            _ = try await PipelineCLI.run(context: context, settings: settings, sources: sources, arguments: arguments, kind: "pipeline")
        }
        if noServe {
            await server.stop()
            return
        }
        // The demo is a local, read-only showcase: open its pages without an account
        // unless the operator decided otherwise.
        setenv("PUBLIC_READ", "true", 0)
        print("web app: http://\(ProcessInfo.processInfo.environment["HOST"] ?? "127.0.0.1"):\(ProcessInfo.processInfo.environment["PORT"] ?? "5001")/")
        do {
            try await ServeCommand.parse([]).run()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
