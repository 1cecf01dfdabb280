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
