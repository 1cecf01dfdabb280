import Embeddings
import Foundation
import Testing

/// The safetensors reader on small files written here, including damaged ones.
@Suite("SafeTensors reader")
struct SafeTensorsTests {
    /// A temporary folder, removed when the test ends.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ bytes: [UInt8], to name: String) throws -> URL {
            let file = url.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            return file
        }
    }

    /// A safetensors file: length, JSON header, data.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        let json = Array(header.utf8)
        let length = UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + json + data
    }

    static func littleEndian(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    @Test func readsF32TensorsAtAnyOffset() throws {
        let folder = try Folder()
        // An I8 tensor of 3 bytes first, so the F32 data starts unaligned.
        let header = #"{"__metadata__":{"format":"pt"},"small":{"dtype":"I8","shape":[3],"data_offsets":[0,3]},"# +
            #""matrix":{"dtype":"F32","shape":[2,3],"data_offsets":[3,27]}}"#
        let values: [Float] = [1, -2.5, 3.25, 0, .pi, -1e-7]
        let url = try folder.write(Self.file(header: header, data: [7, 8, 9] + Self.littleEndian(values)), to: "ok.safetensors")

        let tensors = try SafeTensors(contentsOf: url)
        #expect(tensors.metadata == ["format": "pt"])
        #expect(tensors.tensors["matrix"]?.shape == [2, 3])
        #expect(tensors.tensors["small"]?.dtype == .i8)
        #expect(try tensors.floats("matrix") == values)
        #expect(try tensors.floats("matrix", shape: [2, 3]) == values)
        #expect(throws: SafeTensors.Error.self) { try tensors.floats("matrix", shape: [3, 2]) }
        #expect(throws: SafeTensors.Error.self) { try tensors.floats("small") }
        #expect(throws: SafeTensors.Error.missingTensor(path: url.path, name: "absent")) { try tensors.floats("absent") }
    }

    @Test func truncatedFilesGiveAClearError() throws {
        let folder = try Folder()
        let header = #"{"weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let whole = Self.file(header: header, data: Self.littleEndian([1, 2, 3, 4]))

        let cases: [(String, [UInt8])] = [
            ("shorter than the length field", Array(whole.prefix(5))),
            ("header cut off", Array(whole.prefix(20))),
            ("data cut off", Array(whole.dropLast(3))),
        ]
        for (label, bytes) in cases {
            let url = try folder.write(bytes, to: "\(label).safetensors")
            let error = try #require(throws: SafeTensors.Error.self, "\(label)") { try SafeTensors(contentsOf: url) }
            let message = String(describing: error)
            #expect(message.contains("truncated") && message.contains(url.path), "\(label): \(message)")
        }
    }

    @Test func garbageHeadersGiveAClearError() throws {
        let folder = try Folder()
        let cases: [(String, [UInt8])] = [
            ("not JSON", Self.file(header: "{not json", data: [])),
            ("wrong dtype", Self.file(header: #"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])),
            ("size mismatch", Self.file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])),
            ("bad offsets", Self.file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: [0, 0, 0, 0])),
            ("implausible length", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] + Array("{}".utf8)),
            ("text file", Array("hello, this is not a model at all".utf8)),
        ]
        for (label, bytes) in cases {
            let url = try folder.write(bytes, to: "\(label).safetensors")
            let error = try #require(throws: SafeTensors.Error.self, "\(label)") { try SafeTensors(contentsOf: url) }
            #expect(String(describing: error).contains(url.path), "\(label): \(error)")
        }
    }

    @Test func missingFileGivesAClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString).safetensors")
        let error = try #require(throws: SafeTensors.Error.self) { try SafeTensors(contentsOf: url) }
        #expect(String(describing: error).contains("cannot read"))
    }

    /// The encoder, pointed at a folder whose model.safetensors is cut short, says which
    /// file is broken (vocab.txt and config.json here are valid stand-ins).
    @Test func encoderReportsATruncatedModelFile() throws {
        let folder = try Folder()
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + (4..<30522).map { "token\($0)" }
        try (vocabulary.joined(separator: "\n") + "\n").write(to: folder.url.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        let config = #"{"hidden_size":384,"num_hidden_layers":6,"num_attention_heads":12,"intermediate_size":1536,"# +
            #""max_position_embeddings":512,"vocab_size":30522,"type_vocab_size":2,"layer_norm_eps":1e-12,"hidden_act":"gelu"}"#
        try config.write(to: folder.url.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let header = #"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[30522,384],"data_offsets":[0,46881792]}}"#
        _ = try folder.write(Self.file(header: header, data: [UInt8](repeating: 0, count: 1000)), to: "model.safetensors")

        let error = try #require(throws: (any Error).self) { try MiniLMEncoder(modelDirectory: folder.url) }
        let message = String(describing: error)
        #expect(message.contains("truncated") && message.contains("model.safetensors"), "\(message)")
    }
}
