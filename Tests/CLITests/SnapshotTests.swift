import AsyncHTTPClient
import Crawling
import Foundation
import Pipeline
import Testing
import TestSupport

@Suite("SigV4 signing")
struct SigV4Tests {
    /// AWS's published example for S3 (GET Object with a Range header, 2013-05-24).
    @Test func signsTheAWSExampleRequest() throws {
        let signer = SigV4Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        let headers = signer.sign(method: "GET", path: "/test.txt", query: [],
                                  headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
                                  payloadHash: SigV4Signer.sha256Hex(Data()), date: date)
        #expect(headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

extension ProcessTests {
    /// SQLite snapshots against a local S3-compatible server (moto, started here): push
    /// with retention, restore into an empty disk at `serve` start, a final upload at
    /// shutdown, and a refusal to start on a snapshot that is not a database.
    @Suite("SQLite snapshots on S3-compatible storage")
    struct SnapshotTests {
        @Test func pushRestoreAtStartAndUploadAtShutdown() async throws {
            let port = try LoopbackPort.free()
            let moto = Process()
            moto.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            moto.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
            moto.standardOutput = FileHandle.nullDevice
            moto.standardError = FileHandle.nullDevice
            try moto.run()
            // The moto server does not stop on SIGTERM.
            defer { kill(moto.processIdentifier, SIGKILL); moto.waitUntilExit() }
            let http = HTTPClient.shared
            let endpoint = "http://127.0.0.1:\(port)"
            let client = S3Client(http: http, endpoint: URL(string: endpoint)!, bucket: "snapshots",
                                  signer: SigV4Signer(accessKeyID: "test-key", secretAccessKey: "test-secret-0123456789", region: "us-east-1"))
            var ready = false
            for _ in 0..<100 where !ready {
                try await Task.sleep(for: .milliseconds(200))
                ready = (try? await client.createBucket()) != nil
            }
            try #require(ready, "the local S3 server did not start (scripts/bootstrap.sh test installs moto)")
            let environment = ["S3_BUCKET": "snapshots", "S3_ENDPOINT": endpoint, "S3_ACCESS_KEY_ID": "test-key",
                               "S3_SECRET_ACCESS_KEY": "test-secret-0123456789", "S3_KEEP": "2", "LOG_LEVEL": "error"]

            // A database with the fixture speakers, pushed three times: two are kept.
            let first = try TemporaryDirectory.make(prefix: "snapshot-a")
            defer { try? FileManager.default.removeItem(at: first) }
            let file = first.appendingPathComponent("in.json")
            try JSONEncoder().encode(Fixtures.speakers).write(to: file)
            #expect(try CLIRun.run(["import", file.path], environment: environment, directory: first).status == 0)
            for _ in 0..<3 {
                let pushed = try CLIRun.run(["snapshot", "push"], environment: environment, directory: first)
                #expect(pushed.status == 0, "\(pushed.stderr)")
                try await Task.sleep(for: .milliseconds(20))
            }
            let kept = try await client.list(prefix: "speakerdb/")
            #expect(kept.count == 2, "\(kept)")

            // An empty disk: serve restores the newest snapshot before opening the database.
            let second = try TemporaryDirectory.make(prefix: "snapshot-b")
            defer { try? FileManager.default.removeItem(at: second) }
            let webPort = try LoopbackPort.free()
            let server = Process()
            server.executableURL = PackageRoot.binDirectory.appendingPathComponent("speakerdb")
            server.arguments = ["serve", "--port", String(webPort)]
            server.currentDirectoryURL = second
            server.environment = environment.merging(["PUBLIC_READ": "true", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) { $1 }
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            var total: Int?
            for _ in 0..<100 where total == nil {
                try await Task.sleep(for: .milliseconds(200))
                if let response = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(webPort)/speakers.json"), timeout: .seconds(5)),
                   let body = try? await response.body.collect(upTo: 1 << 20),
                   let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] {
                    total = object["total"] as? Int
                }
            }
            #expect(total == Fixtures.speakers.speakers.count, "the restored database has the speakers")
            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationStatus == 0)
            let after = try await client.list(prefix: "speakerdb/")
            #expect(after.count == 2)
            #expect(after.last?.key != kept.last?.key, "a snapshot was uploaded at shutdown")

            // A newest "snapshot" that is not a database: serve refuses to start empty.
            try await client.put("speakerdb/speakerdb-99991231T000000Z-000.db", Data("not a database".utf8))
            let third = try TemporaryDirectory.make(prefix: "snapshot-c")
            defer { try? FileManager.default.removeItem(at: third) }
            let refused = try CLIRun.run(["serve", "--port", String(webPort + 1)], environment: environment, directory: third)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("could not restore the newest snapshot"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("test-secret-0123456789"))
            #expect(!FileManager.default.fileExists(atPath: third.appendingPathComponent("data/speakers.db").path))
        }
    }
}
