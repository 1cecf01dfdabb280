import Foundation
import SpeakerCore
import Testing
import TestSupport

@Suite("Settings")
struct SettingsTests {
    @Test func defaultsApplyWhenNothingIsSet() throws {
        let settings = try Settings(environment: [:])
        #expect(settings.port == 5001)
        #expect(settings.host == "127.0.0.1")
        #expect(settings.dataDirectory == "./data")
        #expect(settings.database == .sqlite(path: "./data/speakers.db"))
        #expect(settings.logLevel == "info")
        #expect(settings.logFormat == .text)
        #expect(settings.anthropicAPIKey == nil)
    }

    @Test func dataDirectoryChoosesTheSQLiteFile() throws {
        let settings = try Settings(environment: ["DATA_DIR": "/var/lib/speakerdb"])
        #expect(settings.database == .sqlite(path: "/var/lib/speakerdb/speakers.db"))
    }

    @Test(arguments: [
        ("postgres://u:p@db.example.com:5432/speakers", DatabaseLocation.postgres(url: "postgres://u:p@db.example.com:5432/speakers")),
        ("postgresql://u:p@db.example.com/speakers", DatabaseLocation.postgres(url: "postgresql://u:p@db.example.com/speakers")),
        ("sqlite:/tmp/x.db", DatabaseLocation.sqlite(path: "/tmp/x.db")),
        ("sqlite:///tmp/x.db", DatabaseLocation.sqlite(path: "/tmp/x.db")),
        ("/srv/data/speakers.db", DatabaseLocation.sqlite(path: "/srv/data/speakers.db")),
    ])
    func databaseURLSpellings(text: String, expected: DatabaseLocation) throws {
        #expect(try Settings(environment: ["DATABASE_URL": text]).database == expected)
    }

    @Test(arguments: ["mysql://u:p@h/db", "postgres://", "sqlite:"])
    func badDatabaseURLsAreRejected(text: String) {
        #expect(throws: SettingsError.self) { try Settings(environment: ["DATABASE_URL": text]) }
    }

    @Test(arguments: ["0", "70000", "abc", "-1"])
    func badPortsAreRejectedWithTheKey(port: String) {
        do {
            _ = try Settings(environment: ["PORT": port])
            Issue.record("PORT=\(port) was accepted")
        } catch let error as SettingsError {
            #expect(error.key == "PORT")
            #expect(error.description.contains(port))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func badLogSettingsAreRejected() throws {
        #expect(throws: SettingsError.self) { try Settings(environment: ["LOG_LEVEL": "loud"]) }
        #expect(throws: SettingsError.self) { try Settings(environment: ["LOG_FORMAT": "xml"]) }
        for bad in ["0", "-3", "soon", "1.5"] {
            #expect(throws: SettingsError.self) { try Settings(environment: ["ENRICH_MAX_AGE_DAYS": bad]) }
        }
        #expect(try Settings(environment: [:]).enrichMaxAgeDays == 30)
        #expect(try Settings(environment: ["ENRICH_MAX_AGE_DAYS": "7"]).enrichMaxAgeDays == 7)
        #expect(throws: SettingsError.self) { try Settings(environment: ["LLM_BASE_URL": "ftp://x"]) }
    }

    @Test func secretsAreMaskedInDescriptions() throws {
        let environment = ["ANTHROPIC_API_KEY": "sk-ant-api03-verysecretvalue", "DATABASE_URL": "postgres://app:hunter2secret@db:5432/x"]
        let settings = try Settings(environment: environment)
        let text = settings.describe(environment: environment).map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        #expect(!text.contains("verysecretvalue"))
        #expect(!text.contains("hunter2secret"))
        #expect(text.contains("postgres://app:****@db:5432/x"))
        #expect(settings.secretValues.contains("sk-ant-api03-verysecretvalue"))
    }

    /// Credentials inside any URL-valued setting are secrets too: masked in `config`,
    /// scrubbed from logs and from errors before they are stored.
    @Test func credentialsInsideURLsAreRedactedEverywhere() throws {
        let environment = ["LLM_BASE_URL": "https://gateway:tok3n-in-url-secret@llm.example.org/v1",
                           "ANTHROPIC_BASE_URL": "https://only-a-t0ken-secret@anthropic-proxy.example.org",
                           "S3_ENDPOINT": "https://s3user:s3-pa%24%24word@s3.example.org"]
        let settings = try Settings(environment: environment)
        let text = settings.describe(environment: environment).map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        for secret in ["tok3n-in-url-secret", "only-a-t0ken-secret", "s3-pa%24%24word", "s3-pa$$word"] {
            #expect(!text.contains(secret), "config shows \(secret)")
            #expect(settings.secretValues.contains(secret), "\(secret) is scrubbed from logs")
        }
        #expect(text.contains("https://****@llm.example.org/v1"))
        let error = "HTTP 502 from https://gateway:tok3n-in-url-secret@llm.example.org/v1/messages; also postgres://u:p4ss-in-error@db/x"
        let scrubbed = Redaction.scrub(error, secrets: settings.secretValues)
        #expect(!scrubbed.contains("tok3n") && !scrubbed.contains("p4ss-in-error"), "\(scrubbed)")
        #expect(scrubbed.contains("https://****@llm.example.org/v1/messages") && scrubbed.contains("postgres://****@db/x"), "\(scrubbed)")
        #expect(Redaction.scrubURLUserInfo("see https://example.org/a?b=c@d and mail me@example.org") == "see https://example.org/a?b=c@d and mail me@example.org")
    }

    @Test func dotEnvParsing() {
        let values = DotEnv.parse("""
            # comment
            PORT=8080
            export HOST=0.0.0.0
            LOG_LEVEL="debug"
            DATA_DIR='/data dir' 
            LLM_MODEL=gpt-4o # trailing comment
            not a line
            """)
        #expect(values == ["PORT": "8080", "HOST": "0.0.0.0", "LOG_LEVEL": "debug", "DATA_DIR": "/data dir", "LLM_MODEL": "gpt-4o"])
    }

    @Test func processEnvironmentOverridesDotEnv() throws {
        let directory = try TemporaryDirectory.make(prefix: "dotenv")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(".env").path
        try "PORT=6000\nHOST=0.0.0.0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let settings = try Settings.load(processEnvironment: ["PORT": "7000"], dotEnvPath: path)
        #expect(settings.port == 7000)
        #expect(settings.host == "0.0.0.0")
    }

    /// Every setting must be documented; a new one without docs fails here.
    @Test func everySettingIsDocumented() throws {
        let docs = try String(contentsOf: PackageRoot.url.appendingPathComponent("docs/CONFIGURATION.md"), encoding: .utf8)
        for definition in Settings.definitions {
            #expect(docs.contains("`\(definition.key)`"), "docs/CONFIGURATION.md does not document \(definition.key)")
            if let fallback = definition.defaultValue {
                #expect(docs.contains(fallback), "docs/CONFIGURATION.md does not show the default of \(definition.key)")
            }
        }
    }
}
