import Foundation

extension Date {
    /// Milliseconds since 1970, rounded: the one conversion for every `*_ms` column.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
