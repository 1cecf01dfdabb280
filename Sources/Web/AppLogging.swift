import Foundation
import Logging
import SpeakerCore

/// Bootstraps swift-log once per process: text or JSON lines on stderr, at the configured
/// level, with every configured secret scrubbed from messages and metadata.
public enum AppLogging {
    public static func bootstrap(settings: Settings) {
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        let secrets = settings.secretValues
        let format = settings.logFormat
        LoggingSystem.bootstrap { label in
            var handler = ScrubbingLogHandler(label: label, format: format, secrets: secrets)
            handler.logLevel = level
            return handler
        }
    }
}

/// Writes one line per log event to stderr; secrets are replaced with `****`.
public struct ScrubbingLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let format: LogFormat
    let secrets: [String]
    let sink: @Sendable (String) -> Void

    public init(label: String, format: LogFormat, secrets: [String],
                sink: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }) {
        self.label = label
        self.format = format
        self.secrets = secrets
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let timestamp = Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
        let message = Redaction.scrub(event.message.description, secrets: secrets)
        let fields = merged.sorted { $0.key < $1.key }.map { ($0.key, Redaction.scrub($0.value.description, secrets: secrets)) }
        switch format {
        case .text:
            let meta = fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            sink("\(timestamp) \(event.level.rawValue.uppercased()) \(label): \(message)\(meta.isEmpty ? "" : " " + meta)")
        case .json:
            var object: [String: String] = ["ts": timestamp, "level": event.level.rawValue, "logger": label, "msg": message]
            for (key, value) in fields where object[key] == nil { object[key] = value }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(object) {
                sink(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
