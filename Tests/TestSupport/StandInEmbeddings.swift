import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A local server speaking the OpenAI Embeddings API (`POST /v1/embeddings`), which tests
/// cannot reach. Vectors are deterministic bags of words (each lower-cased word adds 1 to
/// one of 32 dimensions, chosen by a hash), so texts sharing words are close; usage counts
/// one token per word. It can also answer wrongly, to test how the client copes.
public final class StandInEmbeddings: Sendable {
    public enum Behaviour: Sendable {
        case normal
        /// One vector fewer than texts.
        case wrongCount
        /// Vectors whose numbers are strings.
        case notNumbers
        /// 401 with a message that quotes the key, as real APIs do.
        case unauthorized
    }

    public static let dimension = 32
    let behaviour: Behaviour
    private let seen = NIOLockedValueBox<[(authorization: String?, model: String, inputs: [String])]>([])

    public init(_ behaviour: Behaviour = .normal) {
        self.behaviour = behaviour
    }

    /// Every request: its Authorization header, model and inputs.
    public var requests: [(authorization: String?, model: String, inputs: [String])] { seen.withLockedValue { $0 } }

    public func routes(_ app: Application) {
        app.on(.POST, "v1", "embeddings", body: .collect(maxSize: "4mb")) { request -> Response in
            let object = (try? JSONSerialization.jsonObject(with: Data(request.body.data.map { Array($0.readableBytesView) } ?? []))) as? [String: Any] ?? [:]
            let inputs = object["input"] as? [String] ?? (object["input"] as? String).map { [$0] } ?? []
            let authorization = request.headers.first(name: .authorization)
            self.seen.withLockedValue { $0.append((authorization, object["model"] as? String ?? "", inputs)) }
            switch self.behaviour {
            case .unauthorized:
                let key = authorization?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
                return Self.json(#"{"error": {"message": "Incorrect API key provided: \#(key).", "type": "invalid_request_error", "code": "invalid_api_key"}}"#,
                                 status: .unauthorized)
            case .normal, .wrongCount, .notNumbers:
                var data: [[String: Any]] = inputs.enumerated().map { index, text in
                    let vector = Self.vector(text)
                    return ["object": "embedding", "index": index,
                            "embedding": self.behaviour == .notNumbers ? vector.map { "\($0)" } as [Any] : vector as [Any]]
                }
                if self.behaviour == .wrongCount { data.removeLast() }
                let tokens = inputs.reduce(0) { $0 + Self.words($1).count }
                let body: [String: Any] = ["object": "list", "data": data, "model": object["model"] as? String ?? "",
                                           "usage": ["prompt_tokens": tokens, "total_tokens": tokens]]
                return Self.json(String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            }
        }
    }

    static func json(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: text))
    }

    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }

    /// The bag-of-words vector of a text (not normalised: the client must do it).
    public static func vector(_ text: String) -> [Double] {
        var vector = [Double](repeating: 0, count: dimension)
        for word in words(text) {
            var hash: UInt32 = 2_166_136_261
            for byte in word.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            vector[Int(hash % UInt32(dimension))] += 1
        }
        if vector.allSatisfy({ $0 == 0 }) { vector[0] = 1 }
        return vector
    }
}
