import Foundation
import Testing
import TestSupport

extension ProcessTests {
    /// The web app keeps answering while a pipeline writes to the same SQLite database:
    /// 32 connections for 30 s against `speakerdb serve` during a crawl by a separate
    /// `speakerdb pipeline` process (`speakerdb-bench load`). No request may fail — a
    /// "database is locked" error would be a 500 here. Latency is a benchmark figure
    /// (docs/PERFORMANCE.md), not checked here.
    @Suite("Reads under a writing pipeline")
    struct LoadTests {
        @Test func noErrorsAt32ConnectionsFor30SecondsDuringACrawl() throws {
            let process = Process()
            process.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb-bench")
            process.arguments = ["load", "--seconds", "30", "--connections", "32", "--pages", "3000", "--port", "5094", "--json"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(errors)")
            let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(String(decoding: data, as: UTF8.self)) \(errors)")
            print("load: \(summary)")
            #expect(summary["errors"] as? Int == 0, "failed requests: \(summary["errorSamples"] ?? "")")
            #expect((summary["requests"] as? Int ?? 0) > 1_000, "the server answered too few requests to mean anything")
            let before = summary["writtenBefore"] as? Int ?? 0, after = summary["writtenAfter"] as? Int ?? 0
            #expect(after > before, "the pipeline wrote nothing during the load")
            #expect(summary["connections"] as? Int == 32)
        }
    }
}
