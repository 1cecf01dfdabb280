import FluentKit
import Foundation
import SQLKit
import Storage
import Synchronization
import Vapor

/// Request counts and latency of this process, for `/metrics`.
final class HTTPMetrics: Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct State {
        var requests: [String: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: HTTPMetrics.buckets.count)
        var count = 0
        var sum = 0.0
    }

    private let state = Mutex(State())

    func record(method: HTTPMethod, status: HTTPResponseStatus, seconds: Double) {
        let statusClass = "\(status.code / 100)xx"
        state.withLock { state in
            state.requests["method=\"\(method.rawValue)\",status=\"\(statusClass)\"", default: 0] += 1
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { state.bucketCounts[index] += 1 }
            state.count += 1
            state.sum += seconds
        }
    }

    func snapshot() -> State { state.withLock { $0 } }
}

struct HTTPMetricsKey: StorageKey {
    typealias Value = HTTPMetrics
}

extension Application {
    var httpMetrics: HTTPMetrics {
        if let metrics = storage[HTTPMetricsKey.self] { return metrics }
        let metrics = HTTPMetrics()
        storage[HTTPMetricsKey.self] = metrics
        return metrics
    }
}

/// `/metrics` in the Prometheus text format: HTTP latency of this process; queue depth,
/// pipeline runs and stage durations, LLM spend and table sizes from the database (so
/// every process reports the same shared figures).
struct MetricsController {
    func register(on routes: any RoutesBuilder) {
        routes.get("metrics") { try await self.metrics($0) }
    }

    func metrics(_ request: Request) async throws -> Response {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                let value = sample.value == sample.value.rounded() && abs(sample.value) < 1e15 ? String(Int(sample.value)) : String(sample.value)
                out += sample.labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(sample.labels)} \(value)\n"
            }
        }
        let http = request.application.httpMetrics.snapshot()
        metric("speakerdb_http_requests_total", "counter", "HTTP requests answered by this process.",
               http.requests.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value)) })
        out += "# HELP speakerdb_http_request_duration_seconds Time to answer a request in this process.\n# TYPE speakerdb_http_request_duration_seconds histogram\n"
        for (index, bound) in HTTPMetrics.buckets.enumerated() {
            out += "speakerdb_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(http.bucketCounts[index])\n"
        }
        out += "speakerdb_http_request_duration_seconds_bucket{le=\"+Inf\"} \(http.count)\n"
        out += "speakerdb_http_request_duration_seconds_sum \(http.sum)\nspeakerdb_http_request_duration_seconds_count \(http.count)\n"

        let db = request.application.storageContext.database
        let sql = try db.sqlDatabase()
        let depth = try await JobQueue(db).depth()
        metric("speakerdb_jobs", "gauge", "Jobs in the queue by status.", Job.Status.allCases.map { ("status=\"\($0.rawValue)\"", Double(depth[$0] ?? 0)) })
        var runs: [(String, Double)] = []
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM pipeline_runs GROUP BY status ORDER BY status").all() {
            runs.append(("status=\"\(try row.decode(column: "status", as: String.self))\"", Double(try row.decode(column: "n", as: Int.self))))
        }
        metric("speakerdb_pipeline_runs_total", "counter", "Pipeline runs recorded, by outcome.", runs)
        if let last = try await PipelineRun.query(on: db).filter(\.$status == "succeeded").sort(\.$id, .descending).first(),
           let finished = last.finishedAt {
            metric("speakerdb_pipeline_last_success_timestamp_seconds", "gauge", "When the last successful run finished (Unix time).",
                   [("", finished.timeIntervalSince1970.rounded())])
            metric("speakerdb_pipeline_last_run_seconds", "gauge", "Duration of the last successful run.", [("", finished.timeIntervalSince(last.startedAt))])
            if let stats = last.stats, let report = try? JSONDecoder().decode(StageList.self, from: Data(stats.utf8)) {
                metric("speakerdb_pipeline_stage_seconds", "gauge", "Duration of each stage of the last successful run.",
                       report.stages.map { ("stage=\"\($0.name.filter { $0.isLetter || $0 == "_" })\"", $0.seconds) })
            }
        }
        let cost = try await sql.raw("SELECT CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) AS micros, COUNT(*) AS calls FROM api_calls").first()
        metric("speakerdb_llm_cost_dollars_total", "counter", "Money spent on LLM calls, summed from the recorded calls.",
               [("", Double(try cost?.decode(column: "micros", as: Int.self) ?? 0) / 1_000_000)])
        metric("speakerdb_llm_calls_total", "counter", "LLM calls recorded.", [("", Double(try cost?.decode(column: "calls", as: Int.self) ?? 0))])
        let counts = try await StatsQueries(db).counts()
        metric("speakerdb_rows", "gauge", "Rows per main table.", [
            ("table=\"speakers\"", Double(counts.speakers)), ("table=\"events\"", Double(counts.events)),
            ("table=\"appearances\"", Double(counts.appearances)), ("table=\"sources\"", Double(counts.sources)),
        ])
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: out))
    }

    struct StageList: Decodable {
        struct Stage: Decodable { var name: String; var seconds: Double }
        var stages: [Stage]
    }
}
