import Foundation
import Testing
import TestSupport
import Vapor

extension ProcessTests {
    @Suite("Crawl, kill and resume")
    struct CrawlResumeTests {
        /// SIGKILL the crawler mid-crawl; the next run finishes with every page stored once.
        @Test func aKilledCrawlResumesWithoutDuplicatesOrLosses() async throws {
            let total = 40
            try await FixtureServer.with(routes: { app in
                app.get("events") { _ -> Response in
                    let links = (1...total).map { "<li><a href=\"/talks/2024/talk-\($0)\">Talk number \($0) on trade</a></li>" }.joined()
                    return .html("<html><body><main><ul>\(links)</ul></main></body></html>")
                }
                app.get("talks", "2024", ":slug") { request async throws -> Response in
                    try await Task.sleep(for: .milliseconds(80))
                    return .html("<html><head><title>\(request.parameters.get("slug") ?? "")</title></head><body><h1>\(request.parameters.get("slug") ?? "")</h1></body></html>")
                }
            }) { server in
                let directory = try TemporaryDirectory.make(prefix: "resume")
                #expect(try CLIRun.run(["sources", "add", server.base + "/events", "--fetcher", "http"], directory: directory).status == 0)

                let process = Process()
                process.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb")
                process.arguments = ["crawl", "--no-delay"]
                process.currentDirectoryURL = directory
                process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "LOG_LEVEL": "error", "ALLOW_PRIVATE_ADDRESSES": "true"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let deadline = Date().addingTimeInterval(30)
                while server.totalRequests < 15 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let fetchedBeforeKill = (1...total).filter { server.requests("/talks/2024/talk-\($0)") > 0 }.count
                #expect(fetchedBeforeKill > 0 && fetchedBeforeKill < total, "the kill landed at \(fetchedBeforeKill) of \(total)")

                let resumed = try CLIRun.run(["crawl", "--no-delay"], environment: ["LOG_LEVEL": "error"], directory: directory)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                let exported = try CLIRun.run(["events", "list", "--limit", "200", "--json"], directory: directory)
                let page = try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any]
                let events = page?["items"] as? [[String: Any]] ?? []
                #expect(events.count == total)
                #expect(Set(events.compactMap { $0["url"] as? String }).count == total)
                #expect(events.allSatisfy { ($0["title"] as? String)?.hasPrefix("talk-") == true }, "some pages were lost")
                // Only pages in flight at the moment of the kill may be fetched twice.
                let refetched = (1...total).filter { server.requests("/talks/2024/talk-\($0)") > 1 }.count
                #expect(refetched <= 4, "\(refetched) pages were fetched again")
                try? FileManager.default.removeItem(at: directory)
            }
        }
    }
}
