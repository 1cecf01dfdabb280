import Foundation
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

@Suite("OpenAPI document")
struct OpenAPITests {
    func loadDocument(_ app: Application) async throws -> [String: Any] {
        var document: [String: Any] = [:]
        try await app.testing().test(.GET, "/openapi.json") { response in
            #expect(response.status == .ok)
            document = try #require(response.json as? [String: Any])
        }
        return document
    }

    @Test func isAStructurallyValidOpenAPI31Document() async throws {
        try await withSeededApp { app, _ in
            let document = try await loadDocument(app)
            #expect(document["openapi"] as? String == "3.1.0")
            let info = try #require(document["info"] as? [String: Any])
            #expect(info["title"] as? String == "speakerdb")
            #expect(info["version"] is String)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(!paths.isEmpty)
            for (path, item) in paths {
                #expect(path.hasPrefix("/"))
                for (method, operation) in item {
                    #expect(["get", "post", "put", "patch", "delete"].contains(method))
                    let responses = (operation as? [String: Any])?["responses"] as? [String: Any]
                    #expect(responses?.isEmpty == false, "\(method) \(path) has no responses")
                    let parameters = (operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
                    for parameter in parameters {
                        #expect(["query", "path", "header", "cookie"].contains(parameter["in"] as? String ?? ""))
                        if parameter["in"] as? String == "path" {
                            #expect(parameter["required"] as? Bool == true)
                            #expect(path.contains("{\(parameter["name"] as? String ?? "")}"))
                        }
                    }
                }
            }
            // Every $ref resolves.
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            let schemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
            let refs = text.components(separatedBy: "#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            for ref in refs { #expect(schemas[ref] != nil, "unresolved $ref \(ref)") }
        }
    }

    @Test func everyDocumentedPathAnswersWithMatchingJSON() async throws {
        try await withSeededApp { app, _ in
            let document = try await loadDocument(app)
            // The admin twins answer a signed-in admin.
            let admin = try await AccessTests.session(app, role: .admin)
            let validator = SchemaValidator(document: document)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, item) in paths {
                let operation = try #require(item["get"] as? [String: Any], "\(path) has a GET")
                let responses = try #require(operation["responses"] as? [String: Any])
                let ok = try #require(responses["200"] as? [String: Any])
                let content = try #require(ok["content"] as? [String: Any])
                let concrete = path.replacingOccurrences(of: "{id}", with: "1")
                // CSV downloads: the header row is the documented one.
                if let csv = content["text/csv"] as? [String: Any] {
                    let header = try #require(csv["example"] as? String)
                    try await app.testing().test(.GET, concrete) { response in
                        #expect(response.status == .ok && response.headers.contentType?.subType == "csv", "\(concrete)")
                        #expect(response.text.split(separator: "\r\n").first.map(String.init) == header, "\(concrete)")
                    }
                    continue
                }
                // The sign-in form (HTML; its POST is the sign-in itself, tested in AccessTests).
                if content["text/html"] != nil {
                    try await app.testing().test(.GET, concrete) { response in
                        #expect(response.status == .ok && response.headers.contentType?.subType == "html", "\(concrete)")
                    }
                    continue
                }
                let schema = try #require(((content["application/json"]) as? [String: Any])?["schema"] as? [String: Any])
                let headers: HTTPHeaders = concrete.hasPrefix("/admin") ? ["Cookie": admin.cookie] : [:]
                try await app.testing().test(.GET, concrete, headers: headers) { response in
                    #expect(response.status == .ok, "\(concrete)")
                    let body = try #require(response.json, "\(concrete) is not JSON")
                    let problems = validator.validate(body, against: schema)
                    #expect(problems.isEmpty, "\(concrete): \(problems.prefix(5))")
                }
                if let notFound = responses["404"] as? [String: Any], path.contains("{id}") {
                    let schema404 = try #require((((notFound["content"] as? [String: Any])?["application/json"]) as? [String: Any])?["schema"] as? [String: Any])
                    try await app.testing().test(.GET, path.replacingOccurrences(of: "{id}", with: "424242")) { response in
                        #expect(response.status == .notFound)
                        #expect(validator.validate(response.json ?? [:], against: schema404).isEmpty)
                    }
                }
            }
        }
    }

    @Test func everyJSONAndCSVRouteIsDocumented() async throws {
        try await withSeededApp { app, _ in
            let document = try await loadDocument(app)
            let documented = Set((document["paths"] as? [String: Any] ?? [:]).keys)
            for route in app.routes.all where route.method == .GET {
                let path = "/" + route.path.map { "\($0)" }.joined(separator: "/")
                var expected: [String] = []
                if (path.hasSuffix(".json") && path != "/openapi.json") || path.hasSuffix(".csv") {
                    expected = [path]
                } else if path.hasSuffix("/:id") {
                    // A page with an id answers .json and .csv too.
                    let base = path.replacingOccurrences(of: ":id", with: "{id}")
                    expected = [base + ".json", base + ".csv"]
                } else if ["/healthz", "/readyz", "/login"].contains(path) {
                    expected = [path]
                }
                for documentedPath in expected {
                    #expect(documented.contains(documentedPath), "\(documentedPath) is served but not in /openapi.json")
                }
            }
        }
    }
}
