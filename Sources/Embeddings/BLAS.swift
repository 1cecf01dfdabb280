#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// Single-precision matrix products through CBLAS (OpenBLAS on Linux, Accelerate on
/// macOS). All matrices are row-major; leading dimensions are row strides in elements, so
/// a block of columns of a wider matrix (one attention head) can be passed in place.
enum BLAS {
    /// `C = alpha · A · Bᵀ + beta · C`, with A `m×k`, B `n×k` (as PyTorch stores Linear
    /// weights, `[out, in]`) and C `m×n`.
    @inline(__always)
    static func multiplyTransposed(
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `C = alpha · A · B + beta · C`, with A `m×k`, B `k×n` and C `m×n`.
    @inline(__always)
    static func multiply(
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y = A · x`, with A `m×n` (row stride `lda`), x of `n` floats and y of `m`.
    @inline(__always)
    static func multiply(
        m: Int, n: Int, a: UnsafePointer<Float>, lda: Int,
        vector x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1, a, Int32(lda), x, 1, 0, y, 1)
    }

    /// The dot product of two `count`-long vectors.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        cblas_sdot(Int32(count), a, 1, b, 1)
    }
}
