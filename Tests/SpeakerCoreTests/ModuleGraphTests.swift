import Foundation
import Testing
import TestSupport

/// docs/ARCHITECTURE.md's module graph is what scripts/module-graph.py derives from
/// Package.swift, so the graph in the docs cannot drift from the package.
@Suite("Module graph in the docs")
struct ModuleGraphTests {
    @Test func theDocumentedGraphIsGeneratedFromPackageSwift() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PackageRoot.url.appendingPathComponent("scripts/module-graph.py").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let generated = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(generated.contains("Web ") && generated.contains("→"), "the script read the targets: \(generated)")

        let docs = try String(contentsOf: PackageRoot.url.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        let begin = try #require(docs.range(of: "<!-- module-graph:begin -->"))
        let end = try #require(docs.range(of: "<!-- module-graph:end -->"))
        let documented = docs[begin.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(documented == generated.trimmingCharacters(in: .whitespacesAndNewlines),
                "docs/ARCHITECTURE.md's module graph is stale: run scripts/module-graph.py --write")
    }
}
