import Embeddings
import Foundation
import Testing

@Suite("Model location")
struct ModelLocationTests {
    @Test func explicitPathWinsThenEnvironmentThenCache() {
        let environment = ["SPEAKERDB_MODEL_DIR": "/models/env", "XDG_CACHE_HOME": "/xdg", "HOME": "/home/me"]
        #expect(ModelLocation(explicitPath: "/models/explicit", environment: environment).directory.path == "/models/explicit")
        #expect(ModelLocation(environment: environment).directory.path == "/models/env")
        #expect(ModelLocation(explicitPath: "", environment: ["SPEAKERDB_MODEL_DIR": ""] .merging(["XDG_CACHE_HOME": "/xdg"]) { $1 })
            .directory.path == "/xdg/speakerdb/models/all-MiniLM-L6-v2")
        #expect(ModelLocation(environment: ["HOME": "/home/me"]).directory.path == "/home/me/.cache/speakerdb/models/all-MiniLM-L6-v2")
    }

    @Test func missingModelSaysToRunTheFetchScript() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-model-\(UUID().uuidString)")
        let location = ModelLocation(directory: folder)
        #expect(!location.isAvailable)
        #expect(location.missingFiles == ["model.safetensors", "vocab.txt", "config.json"])
        let error = try #require(throws: ModelLocation.Missing.self) { try location.requireAvailable() }
        #expect(String(describing: error).contains("scripts/fetch-model.sh"))

        let encoderError = try #require(throws: (any Error).self) { try MiniLMEncoder(modelDirectory: folder) }
        #expect(String(describing: encoderError).contains("scripts/fetch-model.sh"), "\(encoderError)")
    }

    @Test func partialFolderIsNotAvailable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("partial-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{}".write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("vocab.txt"), withIntermediateDirectories: true)
        let location = ModelLocation(directory: folder)
        #expect(location.missingFiles == ["model.safetensors", "vocab.txt"], "a folder named vocab.txt does not count")
        #expect(!location.isAvailable)
    }
}
