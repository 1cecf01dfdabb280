import Foundation
import Storage
import Yams

/// The sources file for deployments (`SOURCES_FILE`): a YAML list of sources.
public enum SourcesFile {
    struct Document: Decodable {
        var sources: [SourceSpec]
    }

    public static func load(path: String) throws -> [SourceSpec] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StorageError.invalid("cannot read the sources file \(path): \(error.localizedDescription)")
        }
        do {
            let document = try YAMLDecoder().decode(Document.self, from: text)
            return try document.sources.enumerated().map { index, spec in
                do { return try spec.validated() } catch { throw StorageError.invalid("\(path): sources[\(index)]: \(error)") }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.invalid("\(path) is not a valid sources file: \(error)")
        }
    }
}
