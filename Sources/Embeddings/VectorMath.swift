/// Similarity of embeddings, and exact nearest-neighbour search over a matrix of them.
/// For unit-length vectors (as `MiniLMEncoder` returns) cosine similarity is the dot product.
///
/// The arithmetic goes through BLAS (`sdot`, and `sgemv` to score a whole block of rows in
/// one call): vectorised for the CPU at run time, and as fast in a debug build.
public enum VectorMath {
    /// Rows scored per `sgemv` call in `topK` (bounds the scratch scores to 64 KB).
    static let rowsPerBlock = 16_384

    /// One search hit: the row in the matrix and its dot product with the query.
    public struct Match: Sendable, Equatable {
        public let index: Int
        public let score: Float

        public init(index: Int, score: Float) {
            self.index = index
            self.score = score
        }
    }

    /// Dot product; for unit vectors, their cosine similarity. The lengths must match.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "dot product of vectors of length \(a.count) and \(b.count)")
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                guard let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
                return BLAS.dot(pa, pb, count: a.count)
            }
        }
    }

    /// Cosine similarity of any two vectors of the same length (0 if either is all zeros).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let denominator = (dot(a, a) * dot(b, b)).squareRoot()
        return denominator > 0 ? dot(a, b) / denominator : 0
    }

    /// Euclidean length.
    public static func norm(_ vector: [Float]) -> Float {
        dot(vector, vector).squareRoot()
    }

    /// The `k` rows of `matrix` (row-major, `dimension` floats per row) with the largest dot
    /// product with `query`, best first; ties go to the lower index. Exact: scores every row.
    /// Rows scoring NaN rank last.
    public static func topK(query: [Float], in matrix: [Float], dimension: Int = MiniLMEncoder.dimension, k: Int) -> [Match] {
        precondition(dimension > 0 && query.count == dimension, "the query has \(query.count) floats, expected \(dimension)")
        precondition(matrix.count % dimension == 0, "the matrix has \(matrix.count) floats, not a multiple of \(dimension)")
        let rows = matrix.count / dimension
        let limit = min(max(k, 0), rows)
        guard limit > 0 else { return [] }

        var heap = WorstFirstHeap(capacity: limit)
        var scores = [Float](repeating: 0, count: min(rows, rowsPerBlock))
        query.withUnsafeBufferPointer { query in
            matrix.withUnsafeBufferPointer { matrix in
                scores.withUnsafeMutableBufferPointer { scores in
                    guard let q = query.baseAddress, let m = matrix.baseAddress, let s = scores.baseAddress else { return }
                    var first = 0
                    while first < rows {
                        let count = min(rowsPerBlock, rows - first)
                        BLAS.multiply(m: count, n: dimension, a: m + first * dimension, lda: dimension, vector: q, into: s)
                        for offset in 0..<count {
                            let score = s[offset]
                            heap.offer(VectorMath.Match(index: first + offset, score: score.isNaN ? -.infinity : score))
                        }
                        first += count
                    }
                }
            }
        }
        return heap.sortedBestFirst()
    }
}

/// A bounded binary heap that keeps the best `capacity` matches, with the worst at the root
/// so that it is the one replaced.
private struct WorstFirstHeap {
    private var items: [VectorMath.Match] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    /// Whether `a` ranks below `b`: lower score, or the same score and a higher index.
    @inline(__always)
    private static func worse(_ a: VectorMath.Match, _ b: VectorMath.Match) -> Bool {
        a.score < b.score || (a.score == b.score && a.index > b.index)
    }

    mutating func offer(_ match: VectorMath.Match) {
        if items.count < capacity {
            items.append(match)
            siftUp(items.count - 1)
        } else if Self.worse(items[0], match) {
            items[0] = match
            siftDown(0)
        }
    }

    func sortedBestFirst() -> [VectorMath.Match] {
        items.sorted { Self.worse($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(items[child], items[parent]) else { return }
            items.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { return }
            var worst = left
            if left + 1 < items.count, Self.worse(items[left + 1], items[left]) { worst = left + 1 }
            guard Self.worse(items[worst], items[parent]) else { return }
            items.swapAt(worst, parent)
            parent = worst
        }
    }
}
