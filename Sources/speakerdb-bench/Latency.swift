import ArgumentParser
import AsyncHTTPClient
import Foundation
import SpeakerCore

/// Latency samples of one kind of request, summarised as percentiles.
struct LatencySamples {
    var name: String
    var milliseconds: [Double] = []
    var errors = 0

    mutating func record(_ duration: Duration) {
        milliseconds.append(duration.inMilliseconds)
    }

    func percentile(_ p: Double) -> Double {
        guard !milliseconds.isEmpty else { return .nan }
        let sorted = milliseconds.sorted()
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[min(max(0, rank), sorted.count - 1)]
    }

    var line: String {
        String(format: "%@ n=%5d  p50=%7.2f ms  p95=%7.2f ms  p99=%7.2f ms  max=%7.2f ms  errors=%d",
               name.padding(toLength: 30, withPad: " ", startingAt: 0) as NSString, milliseconds.count, percentile(50), percentile(95), percentile(99), milliseconds.max() ?? .nan, errors)
    }
}

/// Resident memory of a process in MiB, read from /proc.
func residentMemoryMiB(pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return nil
}

func peakMemoryMiB(pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return nil
}

/// Waits until `url` answers 200 (a server process starting up), at most 20 s.
func waitUntilReady(_ client: HTTPClient, url: String) async throws {
    for _ in 0..<200 {
        if let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2)), response.status == .ok { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw ValidationError("the server did not become ready at \(url)")
}
