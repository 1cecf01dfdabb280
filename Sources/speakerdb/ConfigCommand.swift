import ArgumentParser
import Foundation
import SpeakerCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective settings (secrets masked).")

    @ArgumentParser.Flag(help: "Also print each setting's help text.")
    var verbose = false

    func run() async throws {
        var environment = (try? DotEnv.load(path: ".env")) ?? [:]
        for (key, value) in ProcessInfo.processInfo.environment { environment[key] = value }
        let settings = try CommandSupport.settings()
        for line in settings.describe(environment: environment) {
            print("\(line.key)=\(line.value)  # \(line.origin)")
            if verbose, let definition = Settings.definition(line.key) {
                print("    \(definition.help)")
            }
        }
        print("# database engine: \(settings.database.engineName)")
    }
}
