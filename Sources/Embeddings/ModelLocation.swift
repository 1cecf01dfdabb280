import Foundation

/// Where the all-MiniLM-L6-v2 files (`model.safetensors`, `vocab.txt`, `config.json`) live.
///
/// In order: an explicit path; else `$SPEAKERDB_MODEL_DIR`; else the cache folder that
/// `scripts/fetch-model.sh` fills, `${XDG_CACHE_HOME:-$HOME/.cache}/speakerdb/models/all-MiniLM-L6-v2`.
/// The files are never part of the repository.
public struct ModelLocation: Sendable, Equatable {
    /// The environment variable that overrides the default folder.
    public static let environmentVariable = "SPEAKERDB_MODEL_DIR"
    /// The files the encoder reads.
    public static let requiredFiles = ["model.safetensors", "vocab.txt", "config.json"]
    /// The folder name under `…/speakerdb/models/`.
    public static let folderName = "all-MiniLM-L6-v2"

    /// The model is not where it was looked for.
    public struct Missing: Error, CustomStringConvertible {
        public let directory: URL
        public let missingFiles: [String]

        public var description: String {
            "the all-MiniLM-L6-v2 model is not in \(directory.path) (missing \(missingFiles.joined(separator: ", "))): "
                + "run scripts/fetch-model.sh, or set \(ModelLocation.environmentVariable) to a folder that has it"
        }
    }

    public let directory: URL

    /// Resolves the folder: `explicitPath` if given, else `$SPEAKERDB_MODEL_DIR` if set and
    /// non-empty, else the default cache folder.
    public init(explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicitPath, !explicitPath.isEmpty {
            directory = URL(fileURLWithPath: explicitPath, isDirectory: true)
        } else if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            directory = URL(fileURLWithPath: fromEnvironment, isDirectory: true)
        } else {
            directory = Self.defaultDirectory(environment: environment)
        }
    }

    /// A location at exactly `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// `${XDG_CACHE_HOME:-$HOME/.cache}/speakerdb/models/all-MiniLM-L6-v2`, as in `scripts/fetch-model.sh`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let cache: URL
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = URL(fileURLWithPath: xdg, isDirectory: true)
        } else if let home = environment["HOME"], !home.isEmpty {
            cache = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache", isDirectory: true)
        } else {
            cache = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache", isDirectory: true)
        }
        return cache.appendingPathComponent("speakerdb/models", isDirectory: true)
            .appendingPathComponent(folderName, isDirectory: true)
    }

    /// URL of one of the model's files.
    public func file(_ name: String) -> URL {
        directory.appendingPathComponent(name, isDirectory: false)
    }

    /// The required files that are not there (as regular files).
    public var missingFiles: [String] {
        Self.requiredFiles.filter { name in
            var isDirectory: ObjCBool = false
            return !FileManager.default.fileExists(atPath: file(name).path, isDirectory: &isDirectory) || isDirectory.boolValue
        }
    }

    /// Whether every required file is there (contents are checked when the encoder loads).
    public var isAvailable: Bool { missingFiles.isEmpty }

    /// The folder, or `Missing` (which says to run scripts/fetch-model.sh) if a file is absent.
    public func requireAvailable() throws -> URL {
        let missing = missingFiles
        guard missing.isEmpty else { throw Missing(directory: directory, missingFiles: missing) }
        return directory
    }
}
