import FluentKit
import Foundation

/// One run of the pipeline (or one of its stages): what it did, how long, and how it ended.
public final class PipelineRun: Model, @unchecked Sendable {
    public static let schema = "pipeline_runs"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    /// `pipeline`, `crawl`, `extract`, `resolve`, `import`, …
    @Field(key: "kind") public var kind: String
    /// `cli`, `scheduler`, `admin`.
    @Field(key: "trigger") public var trigger: String
    /// `running`, `succeeded`, `failed`, or `interrupted` (its process ended before it did).
    @Field(key: "status") public var status: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// Per-stage counts and durations, JSON.
    @OptionalField(key: "stats") public var stats: String?
    @OptionalField(key: "error") public var error: String?
    /// The machine and process recording the run (see `RunReaper`).
    @OptionalField(key: "host") public var host: String?
    @OptionalField(key: "pid") public var pid: Int?

    public init() {}

    public init(kind: String, trigger: String, startedAt: Date = Date()) {
        self.kind = kind
        self.trigger = trigger
        self.status = "running"
        self.startedAt = startedAt
        self.host = RunReaper.hostName
        self.pid = Int(ProcessInfo.processInfo.processIdentifier)
    }
}
