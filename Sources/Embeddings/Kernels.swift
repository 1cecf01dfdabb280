import Foundation

/// The element-wise and row-wise steps of the BERT forward pass (everything that is not a
/// matrix product), on raw row-major buffers.
///
/// Written as plain scalar loops over pointers: in release builds the optimiser vectorises
/// the element-wise ones (no calls, no branches that block it), and debug builds — which
/// the test suite uses — stay usable: generic `SIMDn<Float>` code is not specialised
/// without optimisation and ran ~25 times slower than these loops there. Reductions keep
/// four partial sums, since floating-point sums are never reordered automatically.
enum Kernels {
    // MARK: reductions

    /// Sum of `count` floats.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var index = 0
        while index + 4 <= count {
            s0 += x[index]
            s1 += x[index + 1]
            s2 += x[index + 2]
            s3 += x[index + 3]
            index += 4
        }
        while index < count {
            s0 += x[index]
            index += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Sum of `(x[i] - center)²`.
    @inline(__always)
    static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int, around center: Float) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var index = 0
        while index + 4 <= count {
            let d0 = x[index] - center, d1 = x[index + 1] - center
            let d2 = x[index + 2] - center, d3 = x[index + 3] - center
            s0 += d0 * d0
            s1 += d1 * d1
            s2 += d2 * d2
            s3 += d3 * d3
            index += 4
        }
        while index < count {
            let d = x[index] - center
            s0 += d * d
            index += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// The largest of `count` floats (`count` > 0).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var m0 = x[0], m1 = x[0], m2 = x[0], m3 = x[0]
        var index = 0
        while index + 4 <= count {
            m0 = x[index] > m0 ? x[index] : m0
            m1 = x[index + 1] > m1 ? x[index + 1] : m1
            m2 = x[index + 2] > m2 ? x[index + 2] : m2
            m3 = x[index + 3] > m3 ? x[index + 3] : m3
            index += 4
        }
        while index < count {
            m0 = x[index] > m0 ? x[index] : m0
            index += 1
        }
        return Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
    }

    // MARK: BERT steps

    /// Copies `row` (a bias) into each of `rows` rows of `matrix`, so that a following
    /// `sgemm` with `beta = 1` adds the product to it.
    static func fillRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, with row: UnsafePointer<Float>, width: Int) {
        var r = 0
        while r < rows {
            (matrix + r * width).update(from: row, count: width)
            r += 1
        }
    }

    /// Adds `row` (a bias) to each of `rows` rows of `matrix`.
    static func addToRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, row: UnsafePointer<Float>, width: Int) {
        var r = 0
        while r < rows {
            let target = matrix + r * width
            var column = 0
            while column < width {
                target[column] += row[column]
                column += 1
            }
            r += 1
        }
    }

    /// LayerNorm over each row, in place: `(x - mean) / sqrt(variance + epsilon) · gamma + beta`,
    /// with the biased variance (divided by the width), as PyTorch computes it.
    static func layerNorm(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        let scale = 1 / Float(width)
        var r = 0
        while r < rows {
            let x = matrix + r * width
            let mean = sum(x, count: width) * scale
            let variance = sumOfSquares(x, count: width, around: mean) * scale
            let inverse = 1 / (variance + epsilon).squareRoot()
            var column = 0
            while column < width {
                x[column] = (x[column] - mean) * inverse * gamma[column] + beta[column]
                column += 1
            }
            r += 1
        }
    }

    /// GELU, exact (erf) form, in place: `0.5 · x · (1 + erf(x / √2))`, with
    /// `erfApproximation` (glibc's `erff` is a call the optimiser cannot vectorise; with it,
    /// GELU took a fifth of the forward pass).
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index < count {
            let value = x[index]
            x[index] = 0.5 * value * (1 + erfApproximation(value * 0.70710678118654752440))
            index += 1
        }
    }

    /// erf(x) as a rational function, x·P(x²)/Q(x²) on [-4, 4] (beyond which erf is ±1 in
    /// float32); the approximation that Eigen and XLA use for float. Absolute error below
    /// 5e-7 against the exact value (glibc `erff`: 6e-8); branch-free, so it vectorises.
    @inline(__always)
    static func erfApproximation(_ value: Float) -> Float {
        let x = value > 4 ? 4 : (value < -4 ? -4 : value)
        let x2 = x * x
        var p: Float = -2.72614225801306e-10
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 - 2.10102402082508e-06
        p = p * x2 - 5.69250639462346e-05
        p = p * x2 - 7.34990630326855e-04
        p = p * x2 - 2.95459980854025e-03
        p = p * x2 - 1.60960333262415e-02
        var q: Float = -1.45660718464996e-05
        q = q * x2 - 2.13374055278905e-04
        q = q * x2 - 1.68282697438203e-03
        q = q * x2 - 7.37332916720468e-03
        q = q * x2 - 1.42647390514189e-02
        return x * p / q
    }

    /// Softmax over each of `rows` rows of `width` values (row stride `width`), in place,
    /// subtracting the row maximum first for stability.
    static func softmaxRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        var r = 0
        while r < rows {
            let x = matrix + r * width
            let largest = maximum(x, count: width)
            var column = 0
            while column < width {  // no running sum here, so that this loop vectorises
                x[column] = expApproximation(x[column] - largest)
                column += 1
            }
            let inverse = 1 / sum(x, count: width)
            column = 0
            while column < width {
                x[column] *= inverse
                column += 1
            }
            r += 1
        }
    }

    /// eˣ (Cephes `expf`: x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 polynomial for eʳ,
    /// and 2ⁿ written into the exponent bits). Relative error below 1e-7 against the exact
    /// value; input is clamped to [-87, 88], so a tiny result is ~1e-38 rather than 0.
    /// Branch-free, so it vectorises where `expf` (a call) does not.
    @inline(__always)
    static func expApproximation(_ value: Float) -> Float {
        let x = value > 88 ? 88 : (value < -87 ? -87 : value)
        // n = round(x / ln 2): adding 1.5·2²³ rounds to an integer held in the low mantissa bits.
        let shifter: Float = 12_582_912
        let shifted = x * 1.44269504088896341 + shifter
        let n = shifted - shifter
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let expR = p * (r * r) + r + 1
        // 2ⁿ: the float with exponent field n + 127.
        let twoToN = Float(bitPattern: (shifted.bitPattern &- shifter.bitPattern &+ 127) &<< 23)
        return expR * twoToN
    }

    /// Adds each of `rows` rows of `matrix` into `total` (`width` floats).
    static func addRows(of matrix: UnsafePointer<Float>, rows: Int, width: Int, into total: UnsafeMutablePointer<Float>) {
        var r = 0
        while r < rows {
            let row = matrix + r * width
            var column = 0
            while column < width {
                total[column] += row[column]
                column += 1
            }
            r += 1
        }
    }
}
