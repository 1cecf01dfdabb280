import Foundation

/// A small time-bounded cache for expensive read results (facet counts over the whole
/// table). Entries expire after `ttl`; the oldest entry is evicted beyond `capacity`.
actor TTLCache<Key: Hashable & Sendable, Value: Sendable> {
    private var entries: [Key: (value: Value, expires: Date)] = [:]
    private let ttl: TimeInterval
    private let capacity: Int

    init(ttl: TimeInterval, capacity: Int = 256) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func value(for key: Key, compute: @Sendable () async throws -> Value) async throws -> Value {
        let now = Date()
        if let entry = entries[key], entry.expires > now {
            return entry.value
        }
        let value = try await compute()
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.expires < $1.value.expires })?.key {
            entries.removeValue(forKey: oldest)
        }
        entries[key] = (value, now.addingTimeInterval(ttl))
        return value
    }

    func removeAll() {
        entries.removeAll()
    }
}
