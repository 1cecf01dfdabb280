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
        return try pump(data, through: &stream, step: { deflate(&$0, Z_FINISH) }) { status, _, _, _ in
            guard status != Z_STREAM_ERROR else { throw Failure(code: status) }
        }
    }

    /// Decompresses, refusing to produce more than `limit` bytes (a zip bomb stays small).
    public static func decompress(_ data: Data, limit: Int = 64 << 20) throws -> Data {
        var stream = z_stream()
        guard speakerdb_inflate_init_gzip(&stream) == Z_OK else { throw Failure(code: -1) }
        defer { inflateEnd(&stream) }
        return try pump(data, through: &stream, step: { inflate(&$0, Z_NO_FLUSH) }) { status, output, produced, stream in
            guard status == Z_OK || status == Z_STREAM_END else { throw Failure(code: status) }
            guard output.count <= limit else { throw Failure(code: Z_BUF_ERROR) }
            if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END { throw Failure(code: Z_DATA_ERROR) }
        }
    }

    /// Feeds `data` through an initialised stream, 64 KiB of output at a time, until the
    /// stream ends. `step` runs deflate or inflate once; `check` sees each step's status,
    /// the output so far, the bytes just produced and the stream, and throws to stop.
    static func pump(_ data: Data, through stream: inout z_stream, step: (inout z_stream) -> Int32,
                     check: (_ status: Int32, _ output: Data, _ produced: Int, _ stream: z_stream) throws -> Void) throws -> Data {
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
                    status = step(&stream)
                    return chunk - Int(stream.avail_out)
                }
                output.append(buffer, count: produced)
                try check(status, output, produced, stream)
            } while status != Z_STREAM_END
        }
        return output
    }
}
