import Foundation
import Testing
import TestSupport

/// `sslmode=verify-ca` and `verify-full` against a real PostgreSQL server speaking TLS with
/// a certificate for "localhost" from a throwaway CA (made by scripts/test.sh): the CA file
/// named by `sslrootcert` is trusted; another CA, the system's roots and a name the
/// certificate does not carry are refused. Each attempt is the `speakerdb migrate` command
/// a user would run, so a refused connection is checked as the user meets it.
@Suite("PostgreSQL over verified TLS", .enabled(if: ProcessInfo.processInfo.environment["SPEAKERDB_TEST_POSTGRES_CA"] != nil,
                                                "needs the PostgreSQL pass of scripts/test.sh"))
struct PostgresTLSTests {
    @Test func theCertificateIsCheckedAgainstTheNamedCA() async throws {
        let environment = ProcessInfo.processInfo.environment
        let server = try #require(environment["SPEAKERDB_TEST_POSTGRES"])
        let ca = try #require(environment["SPEAKERDB_TEST_POSTGRES_CA"])
        let other = try #require(environment["SPEAKERDB_TEST_POSTGRES_OTHER_CA"])
        let name = "t_tls_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresServer.run("CREATE DATABASE \(name)", on: server)
        let directory = try TemporaryDirectory.make(prefix: "tls")
        func migrate(host: String, _ parameters: String) throws -> CLIRun {
            var components = try #require(URLComponents(string: server))
            components.host = host
            components.path = "/" + name
            components.query = parameters
            return try CLIRun.run(["migrate"], environment: ["DATABASE_URL": try #require(components.string)], directory: directory)
        }
        let trusted = try migrate(host: "localhost", "sslmode=verify-full&sslrootcert=\(ca)")
        #expect(trusted.status == 0, "verify-full with the CA that signed the certificate: \(trusted.stderr)")
        let byAddress = try migrate(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(ca)")
        #expect(byAddress.status == 0, "verify-ca checks the chain, not the name: \(byAddress.stderr)")
        #expect(try migrate(host: "127.0.0.1", "sslmode=verify-full&sslrootcert=\(ca)").status != 0,
                "verify-full checks the name too (the certificate is for localhost only)")
        #expect(try migrate(host: "localhost", "sslmode=verify-full&sslrootcert=\(other)").status != 0, "another CA is refused")
        #expect(try migrate(host: "localhost", "sslmode=verify-full").status != 0, "the system's roots do not trust a private CA")
        let encrypted = try migrate(host: "127.0.0.1", "sslmode=require")
        #expect(encrypted.status == 0, "require encrypts without checking: \(encrypted.stderr)")
        let missing = try migrate(host: "localhost", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
        #expect(missing.status != 0 && missing.stderr.contains("sslrootcert"), "\(missing.stderr)")
        try await PostgresServer.run("DROP DATABASE \(name)", on: server)
    }
}
