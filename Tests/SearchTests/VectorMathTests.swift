@testable import Embeddings
import Foundation
import Testing

@Suite("Vector math")
struct VectorMathTests {
    /// Deterministic pseudo-random unit vectors.
    static func unitVectors(count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        }
        return (0..<count).map { _ in
            let vector = (0..<dimension).map { _ in next() }
            let norm = VectorMath.norm(vector)
            return vector.map { $0 / norm }
        }
    }

    @Test func dotAndCosine() {
        let a: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
        let b = a.map { -2 * $0 }
        let expected = a.map { $0 * $0 }.reduce(0, +)
        #expect(VectorMath.dot(a, a) == expected)
        #expect(abs(VectorMath.cosine(a, b) + 1) < 1e-6)
        #expect(VectorMath.cosine(a, [Float](repeating: 0, count: a.count)) == 0)
        #expect(VectorMath.dot([], []) == 0)
    }

    @Test func topKMatchesAFullScan() {
        let dimension = 384
        let rows = Self.unitVectors(count: 500, dimension: dimension, seed: 7)
        let query = Self.unitVectors(count: 1, dimension: dimension, seed: 99)[0]
        let matrix = rows.flatMap { $0 }
        let scores = rows.map { VectorMath.dot(query, $0) }

        for k in [1, 10, 499, 500, 1000] {
            let top = VectorMath.topK(query: query, in: matrix, k: k)
            #expect(top.count == min(k, rows.count))
            #expect(zip(top, top.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first (k = \(k))")
            #expect(top.allSatisfy { abs($0.score - scores[$0.index]) < 1e-6 }, "scores are the dot products (k = \(k))")
            // Nothing left out scores above the last one kept (up to rounding: BLAS may sum
            // in another order than `dot`).
            let kept = Set(top.map(\.index))
            let bestLeftOut = scores.indices.filter { !kept.contains($0) }.map { scores[$0] }.max() ?? -.infinity
            #expect((top.last?.score ?? .infinity) >= bestLeftOut - 1e-6, "k = \(k)")
        }
        #expect(VectorMath.topK(query: query, in: matrix, k: 0).isEmpty)
        #expect(VectorMath.topK(query: query, in: [], k: 5).isEmpty)
    }

    @Test func topKBreaksTiesByIndexAndRanksNaNLast() {
        let matrix: [Float] = [1, 0, /**/ 0, 1, /**/ 1, 0, /**/ .nan, 0, /**/ 0.5, 0.5]
        let top = VectorMath.topK(query: [1, 0], in: matrix, dimension: 2, k: 5)
        #expect(top.map(\.index) == [0, 2, 4, 1, 3])
        #expect(top[0].score == 1 && top[1].score == 1)
    }

    @Test func approximationsStayCloseToLibm() {
        // GELU's erf and softmax's exp are vectorised approximations; check them on a fine grid.
        var worstErf: Float = 0
        var x: Float = -10
        while x <= 10 {
            worstErf = max(worstErf, abs(Kernels.erfApproximation(x) - erff(x)))
            x += 0.001
        }
        #expect(worstErf < 1e-6, "erf: largest absolute error \(worstErf)")

        var worstExp: Float = 0
        x = -87
        while x <= 20 {
            let exact = expf(x)
            worstExp = max(worstExp, abs(Kernels.expApproximation(x) - exact) / exact)
            x += 0.001
        }
        #expect(worstExp < 1e-6, "exp: largest relative error \(worstExp)")
    }

    @Test func softmaxAndLayerNormKernels() {
        var row: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]  // 8 + a tail of 3
        row.withUnsafeMutableBufferPointer { Kernels.softmaxRows($0.baseAddress!, rows: 1, width: 11) }
        let exact = (1...11).map { exp(Double($0) - 11) }
        let total = exact.reduce(0, +)
        for (value, reference) in zip(row, exact) {
            #expect(abs(Double(value) - reference / total) < 1e-6)
        }

        var matrix: [Float] = [1, 2, 3, 4, 10, 10, 10, 10]
        let gamma: [Float] = [1, 1, 2, 2], beta: [Float] = [0, 0, 0, 1]
        matrix.withUnsafeMutableBufferPointer {
            Kernels.layerNorm($0.baseAddress!, rows: 2, width: 4, gamma: gamma, beta: beta, epsilon: 1e-12)
        }
        let scale = 1 / Float(1.25).squareRoot()  // variance of 1...4 is 1.25
        let expected: [Float] = [-1.5 * scale, -0.5 * scale, 1 * scale, 3 * scale + 1, 0, 0, 0, 1]
        #expect(zip(matrix, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(matrix)")
    }
}
