import SpeakerCore
import Vapor

/// A streamed CSV download: the header row, then rows produced page by page.
enum CSVResponse {
    static func stream(filename: String, header: [String],
                       rows: @escaping @Sendable (_ emit: @Sendable ([[String?]]) async throws -> Void) async throws -> Void) -> Response {
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        response.body = .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: CSVWriter.row(header))))
                try await rows { batch in
                    let text = batch.map(CSVWriter.row).joined()
                    try await writer.write(.buffer(ByteBuffer(string: text)))
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }
}

/// The header row of every CSV download: the routes write it and the OpenAPI document
/// describes it, from this one list.
enum CSVColumns {
    static let speakers = ["id", "name", "title", "affiliation", "location", "appearance_count"]
    static let events = ["id", "url", "title", "date", "location", "speaker_count"]
    static let speakerAppearances = ["event_id", "url", "title", "date", "location", "role"]
    static let eventSpeakers = ["speaker_id", "name", "title", "affiliation", "role"]
    static let leaderboard = ["rank", "id", "name", "title", "affiliation", "events", "appearances"]
}
