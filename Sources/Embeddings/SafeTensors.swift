import Foundation

/// A reader for the safetensors format (https://huggingface.co/docs/safetensors): an 8-byte
/// little-endian header length N, N bytes of JSON describing each tensor (dtype, shape and
/// byte offsets into the data section), then the data section.
///
/// The file is memory-mapped once; `floats(_:shape:)` copies one F32 tensor out of it. The
/// header is checked in full when the file is opened, so a truncated or garbage file fails
/// there, with a message that names the file and what is wrong.
public struct SafeTensors: Sendable {
    /// Element types a safetensors header may name.
    public enum DType: String, Sendable {
        case bool = "BOOL", u8 = "U8", i8 = "I8", i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
        case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .u8, .i8: 1
            case .i16, .u16, .f16, .bf16: 2
            case .i32, .u32, .f32: 4
            case .f64, .i64, .u64: 8
            }
        }
    }

    /// One tensor's entry in the header.
    public struct TensorInfo: Sendable, Equatable {
        public let dtype: DType
        public let shape: [Int]
        /// Byte range within the data section.
        public let byteRange: Range<Int>

        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// What is wrong with a safetensors file.
    public enum Error: Swift.Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case truncated(path: String, reason: String)
        case invalidHeader(path: String, reason: String)
        case missingTensor(path: String, name: String)
        case unexpectedTensor(path: String, name: String, reason: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason):
                "cannot read the safetensors file \(path): \(reason)"
            case let .truncated(path, reason):
                "the safetensors file \(path) is truncated: \(reason)"
            case let .invalidHeader(path, reason):
                "the safetensors file \(path) has an invalid header: \(reason)"
            case let .missingTensor(path, name):
                "the safetensors file \(path) has no tensor \(name)"
            case let .unexpectedTensor(path, name, reason):
                "the tensor \(name) in \(path) \(reason)"
            }
        }
    }

    /// Upper bound for the JSON header; real headers are tens of kilobytes.
    public static let maximumHeaderLength = 100 << 20

    public let url: URL
    /// Tensors by name (`__metadata__` excluded).
    public let tensors: [String: TensorInfo]
    /// The `__metadata__` string map, if any.
    public let metadata: [String: String]
    private let file: Data
    private let dataStart: Int

    /// Opens and validates `url`: the header must parse, name known dtypes, and every
    /// tensor's bytes must match its shape and lie within the file.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let file: Data
        do {
            file = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw Error.unreadable(path: path, reason: error.localizedDescription)
        }
        guard file.count >= 8 else {
            throw Error.truncated(path: path, reason: "it has \(file.count) bytes, fewer than the 8-byte header length")
        }
        let declaredLength = file.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declaredLength <= UInt64(Self.maximumHeaderLength) else {
            throw Error.invalidHeader(path: path, reason: "the header length \(declaredLength) is implausible (not a safetensors file?)")
        }
        let headerLength = Int(declaredLength)
        guard headerLength <= file.count - 8 else {
            throw Error.truncated(path: path, reason: "the header needs \(headerLength) bytes but only \(file.count - 8) follow the length")
        }
        let headerStart = file.startIndex + 8
        let header = file.subdata(in: headerStart..<headerStart + headerLength)
        let dataSize = file.count - 8 - headerLength

        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: header)
        } catch let error as DecodingError {
            throw Error.invalidHeader(path: path, reason: Self.describe(error))
        } catch {
            throw Error.invalidHeader(path: path, reason: "\(error)")
        }

        var tensors: [String: TensorInfo] = [:]
        for (name, entry) in raw.tensors {
            guard let dtype = DType(rawValue: entry.dtype) else {
                throw Error.invalidHeader(path: path, reason: "tensor \(name) has unknown dtype \(entry.dtype)")
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw Error.invalidHeader(path: path, reason: "tensor \(name) has a negative dimension in \(entry.shape)")
            }
            guard entry.dataOffsets.count == 2, entry.dataOffsets[0] >= 0, entry.dataOffsets[0] <= entry.dataOffsets[1] else {
                throw Error.invalidHeader(path: path, reason: "tensor \(name) has invalid data_offsets \(entry.dataOffsets)")
            }
            let (elements, overflow) = entry.shape.reduce((1, false)) { partial, dimension in
                let product = partial.0.multipliedReportingOverflow(by: dimension)
                return (product.partialValue, partial.1 || product.overflow)
            }
            let (bytes, bytesOverflow) = elements.multipliedReportingOverflow(by: dtype.size)
            let range = entry.dataOffsets[0]..<entry.dataOffsets[1]
            guard !overflow, !bytesOverflow, range.count == bytes else {
                throw Error.invalidHeader(path: path, reason: "tensor \(name) has \(range.count) bytes but its shape \(entry.shape) of \(dtype.rawValue) needs \(bytes)")
            }
            guard range.upperBound <= dataSize else {
                throw Error.truncated(path: path, reason: "tensor \(name) ends at byte \(range.upperBound) of the data but the data has \(dataSize) bytes")
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: entry.shape, byteRange: range)
        }

        self.url = url
        self.tensors = tensors
        self.metadata = raw.metadata
        self.file = file
        self.dataStart = 8 + headerLength
    }

    /// The F32 tensor `name` as a flat row-major array, after checking that its shape is
    /// `shape` (when given).
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let info = tensors[name] else { throw Error.missingTensor(path: url.path, name: name) }
        guard info.dtype == .f32 else {
            throw Error.unexpectedTensor(path: url.path, name: name, reason: "is \(info.dtype.rawValue), not F32")
        }
        if let expected, expected != info.shape {
            throw Error.unexpectedTensor(path: url.path, name: name, reason: "has shape \(info.shape), expected \(expected)")
        }
        let count = info.elementCount
        let start = dataStart + info.byteRange.lowerBound
        return file.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
            let source = UnsafeRawBufferPointer(rebasing: raw[start..<start + count * 4])
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                #if _endian(little)
                // The file's little-endian floats are already in host order: one copy, at
                // any alignment.
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                #else
                for index in 0..<count {
                    let bits = source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: bits))
                }
                #endif
                initialized = count
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context), let .keyNotFound(_, context):
            let at = context.codingPath.map(\.stringValue).joined(separator: ".")
            let underlying = (context.underlyingError as? NSError)?.localizedDescription ?? ""
            return [at.isEmpty ? nil : "at \(at)", context.debugDescription, underlying.isEmpty ? nil : underlying]
                .compactMap { $0 }.joined(separator: ": ")
        @unknown default:
            return "\(error)"
        }
    }
}

/// The JSON header: tensor entries by name, plus an optional `__metadata__` string map.
private struct RawHeader: Decodable {
    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    let tensors: [String: Entry]
    let metadata: [String: String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var tensors: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                tensors[key.stringValue] = try container.decode(Entry.self, forKey: key)
            }
        }
        self.tensors = tensors
        self.metadata = metadata
    }
}
