import Foundation
import SpeakerCore
import Storage
import Testing
import TestSupport
import Vapor
import VaporTesting
@testable import Web

/// Runs `body` against the real app on a fresh database (SQLite, or PostgreSQL in the
/// test command's PostgreSQL pass) seeded with the fixtures.
/// Reading is public (`PUBLIC_READ=true`) unless `environment` says otherwise.
func withSeededApp(environment: [String: String] = [:], _ body: (Application, TestDatabase) async throws -> Void) async throws {
    try await TestDatabase.with { database in
        try await Fixtures.importSpeakers(into: database)
        try await withApp(configure: { app in
            let settings = try Settings(environment: ["DATABASE_URL": database.settingValue, "PUBLIC_READ": "true"].merging(environment) { $1 })
            try await configure(app, settings: settings)
        }) { app in
            try await body(app, database)
        }
    }
}

extension TestingHTTPResponse {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) }
    var text: String { body.string }
}

/// A deliberately small JSON Schema checker for the subset the OpenAPI document uses:
/// $ref, type (one or several), properties, required, items.
struct SchemaValidator {
    let document: [String: Any]

    func validate(_ value: Any, against schema: [String: Any], path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let components = document["components"] as? [String: Any],
                  let schemas = components["schemas"] as? [String: Any],
                  let target = schemas[name] as? [String: Any] else { return ["\(path): unresolved \(ref)"] }
            return validate(value, against: target, path: path)
        }
        var problems: [String] = []
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            if !allowed.contains(where: { matches(value, type: $0) }) {
                return ["\(path): \(value) is not \(allowed.joined(separator: "|"))"]
            }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path).\(key): required but missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let childSchema = properties[key] as? [String: Any] {
                    problems += validate(child, against: childSchema, path: "\(path).\(key)")
                } else if !properties.isEmpty {
                    problems.append("\(path).\(key): not documented")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                problems += validate(element, against: items, path: "\(path)[\(index)]")
            }
        }
        return problems
    }

    /// The Objective-C type code of a JSON number: "q" integer, "d" double, "c"/"B" boolean.
    func numberType(_ value: Any) -> String? {
        guard let number = value as? NSNumber, !(value is String) else { return nil }
        return String(cString: number.objCType)
    }

    func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "integer": return numberType(value).map { "qilsQILS".contains($0) } ?? false
        case "number": return numberType(value).map { $0 != "c" && $0 != "B" } ?? false
        case "boolean": return numberType(value).map { $0 == "c" || $0 == "B" } ?? false
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        default: return false
        }
    }
}
