import ArgumentParser

/// Benchmarks: each prints its figures; docs/PERFORMANCE.md records them with the machine
/// and the command. Build in release: `swift build -c release --product speakerdb-bench`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakerdb-bench",
        abstract: "Measure speakerdb on this machine.",
        subcommands: [WebBenchmark.self, CrawlBenchmark.self, ExtractBenchmark.self, ResolveBenchmark.self, LoadBenchmark.self, SemanticBenchmark.self, QualityBenchmark.self])
}
