import CZlib
import Foundation

/// gzip compression through zlib, for stored page bodies.
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "zlib error \(code)" }
    }

    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        guard speakerdb_deflate_init_gzip(&stream, level) == Z_OK else { throw Failure(code: -1) }
        defer { deflateEnd(&stream) }
        var output = Data()
        var input = data
        let chunk = 64 * 1024
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBytes { (inputBuffer: UnsafeMutableRawBufferPointer) in
            stream.next_in = inputBuffer.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            var buffer = [UInt8](repeating: 0, count: chunk)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = deflate(&stream, Z_FINISH)
                    return chunk - Int(stream.avail_out)
                }
                guard status != Z_STREAM_ERROR else { throw Failure(code: status) }
                output.append(buffer, count: produced)
            } while status != Z_STREAM_END
        }
        return output
    }

    /// Decompresses, refusing to produce more than `limit` bytes (a zip bomb stays small).
    public static func decompress(_ data: Data, limit: Int = 64 << 20) throws -> Data {
        var stream = z_stream()
        guard speakerdb_inflate_init_gzip(&stream) == Z_OK else { throw Failure(code: -1) }
        defer { inflateEnd(&stream) }
        var output = Data()
        var input = data
        let chunk = 64 * 1024
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBytes { (inputBuffer: UnsafeMutableRawBufferPointer) in
            stream.next_in = inputBuffer.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            var buffer = [UInt8](repeating: 0, count: chunk)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunk - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure(code: status) }
                output.append(buffer, count: produced)
                guard output.count <= limit else { throw Failure(code: Z_BUF_ERROR) }
                if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END { throw Failure(code: Z_DATA_ERROR) }
            } while status != Z_STREAM_END
        }
        return output
    }
}
