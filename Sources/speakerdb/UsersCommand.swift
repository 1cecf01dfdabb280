import ArgumentParser
import Foundation
import SpeakerCore
import Storage
import Web

/// `speakerdb users`: accounts of the web app.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Accounts for the web app: add, list, remove, set-password.",
        discussion: """
            Roles: viewer (reads), editor (also decides identity review pairs), admin (also \
            sources, run now, jobs and users). Passwords are stored as bcrypt hashes. A \
            password is read from standard input (one line) or, on a terminal, asked for; \
            --generate makes a random one and prints it once.
            """,
        subcommands: [Add.self, List.self, Remove.self, SetPassword.self])

    static func readPassword(generate: Bool) throws -> String {
        if generate { return AccountStore.randomToken() }
        if isatty(STDIN_FILENO) == 1 {
            guard let first = getpass("Password (at least 10 characters): ").map({ String(cString: $0) }),
                  let second = getpass("Again: ").map({ String(cString: $0) }) else { throw ValidationError("no password given") }
            guard first == second else { throw ValidationError("the two passwords differ") }
            return first
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("give the password on standard input (one line), or use --generate")
        }
        return line
    }

    static func hash(_ password: String) throws -> String {
        do {
            return try PasswordHashing.hash(password)
        } catch let error as AccountPasswordError {
            throw ValidationError(error.description)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account.")
        @ArgumentParser.Argument(help: "Username (letters, digits, '.', '_', '-', '@').") var username: String
        @ArgumentParser.Option(help: "viewer, editor or admin.") var role: String = "viewer"
        @ArgumentParser.Flag(help: "Make a random password and print it once.") var generate = false

        func run() async throws {
            guard let role = AccessRole(rawValue: role) else { throw ValidationError("--role must be viewer, editor or admin") }
            let password = try UsersCommand.readPassword(generate: generate)
            let hash = try UsersCommand.hash(password)
            try await CommandSupport.withStorage { context, _ in
                let account = try await AccountStore(context.database).add(username: username, passwordHash: hash, role: role)
                print("added \(account.username) (\(account.role.rawValue))")
                if generate { print("password: \(password)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                let accounts = try await AccountStore(context.database).list()
                if json { return try CommandSupport.printJSON(accounts) }
                let format = ISO8601DateFormatter()
                print(CommandSupport.table(["USER", "ROLE", "LAST SIGN-IN (UTC)", "LOCKED UNTIL"], accounts.map {
                    [$0.username, $0.role.rawValue, $0.lastLogin.map { format.string(from: $0) } ?? "-",
                     $0.lockedUntil.flatMap { $0 > Date() ? format.string(from: $0) : nil } ?? "-"]
                }))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account and end its sessions.")
        @ArgumentParser.Argument(help: "Username.") var username: String

        func run() async throws {
            try await CommandSupport.withStorage { context, _ in
                try await AccountStore(context.database).remove(username: username)
                print("removed \(username.lowercased())")
            }
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-password", abstract: "Set a new password; unlocks the account and ends its sessions.")
        @ArgumentParser.Argument(help: "Username.") var username: String
        @ArgumentParser.Flag(help: "Make a random password and print it once.") var generate = false

        func run() async throws {
            let password = try UsersCommand.readPassword(generate: generate)
            let hash = try UsersCommand.hash(password)
            try await CommandSupport.withStorage { context, _ in
                try await AccountStore(context.database).setPassword(username: username, passwordHash: hash)
                print("password changed for \(username.lowercased())")
                if generate { print("password: \(password)") }
            }
        }
    }
}
