import Foundation
import SQLKit
import Storage
import Testing
import TestSupport

/// `sslmode=verify-ca` and `verify-full` against a real PostgreSQL server speaking TLS with
/// a certificate from a throwaway CA (made by scripts/test.sh): the CA file named by
/// `sslrootcert` is trusted, another CA or the system's roots are not.
@Suite("PostgreSQL over verified TLS", .enabled(if: ProcessInfo.processInfo.environment["SPEAKERDB_TEST_POSTGRES_CA"] != nil,
                                                "needs the PostgreSQL pass of scripts/test.sh"))
struct PostgresTLSTests {
    static let environment = ProcessInfo.processInfo.environment

    /// Whether a connection with these URL parameters (to `host`) answers a query.
    func connects(host: String, _ parameters: String) async -> Result<Void, any Error> {
        guard let server = Self.environment["SPEAKERDB_TEST_POSTGRES"], var components = URLComponents(string: server) else {
            return .failure(StorageError.invalid("no server"))
        }
        components.host = host
        let url = (components.string ?? server) + "?" + parameters
        do {
            let context = try await StorageContext.open(.postgres(url: url), logger: .init(label: "test"))
            do {
                _ = try await context.database.sqlDatabase().raw("SELECT 1 AS one").first()
            } catch {
                await context.shutdown()
                return .failure(error)
            }
            await context.shutdown()
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    @Test func theCertificateIsCheckedAgainstTheNamedCA() async throws {
        let ca = try #require(Self.environment["SPEAKERDB_TEST_POSTGRES_CA"])
        let other = try #require(Self.environment["SPEAKERDB_TEST_POSTGRES_OTHER_CA"])
        // The server's certificate names localhost only (not 127.0.0.1).
        await #expect(throws: Never.self) { try await connects(host: "localhost", "sslmode=verify-full&sslrootcert=\(ca)").get() }
        await #expect(throws: Never.self, "verify-ca checks the chain, not the name") {
            try await connects(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(ca)").get()
        }
        await #expect(throws: (any Error).self, "verify-full checks the name too") {
            try await connects(host: "127.0.0.1", "sslmode=verify-full&sslrootcert=\(ca)").get()
        }
        await #expect(throws: (any Error).self, "a certificate from another CA is refused") {
            try await connects(host: "localhost", "sslmode=verify-full&sslrootcert=\(other)").get()
        }
        await #expect(throws: (any Error).self, "the system's roots do not trust a private CA") {
            try await connects(host: "localhost", "sslmode=verify-full").get()
        }
        await #expect(throws: Never.self, "require encrypts without checking") { try await connects(host: "127.0.0.1", "sslmode=require").get() }
        await #expect {
            try await connects(host: "localhost", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem").get()
        } throws: { error in
            "\(error)".contains("sslrootcert")
        }
    }
}
