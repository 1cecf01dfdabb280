import FluentKit
import Foundation
import Logging
import Storage
import Vapor

/// Collects logged searches in memory and writes them in batches (every second, or at
/// 100), so a search request never waits for, or queues behind, its own log write. What
/// is pending is written when the app shuts down.
actor SearchLogBuffer {
    private var pending: [SearchLog.Entry] = []
    private var scheduled: Task<Void, Never>?
    /// Set at shutdown: the database is going away, so nothing more is written.
    private var closed = false
    private let database: @Sendable () -> any Database
    private let logger: Logger
    static let interval: Duration = .seconds(1)
    static let batchSize = 100

    init(database: @escaping @Sendable () -> any Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    func add(_ entry: SearchLog.Entry) {
        guard !closed else { return }
        pending.append(entry)
        if pending.count >= Self.batchSize {
            Task { await self.flush() }
        } else if scheduled == nil {
            scheduled = Task {
                try? await Task.sleep(for: Self.interval)
                await self.flush()
            }
        }
    }

    func flush() async {
        guard !closed else { return }
        scheduled = nil
        let batch = pending
        pending = []
        do {
            try await SearchLog(database()).record(batch)
        } catch {
            logger.warning("searches not logged", metadata: ["count": .stringConvertible(batch.count), "error": .string(StorageContext.describe(error))])
        }
    }
}

extension SearchLogBuffer {
    /// Writes what is pending and stops: later searches and timers write nothing.
    func close() async {
        scheduled?.cancel()
        await flush()
        closed = true
    }
}

/// Writes the pending searches at shutdown.
struct SearchLogFlusher: LifecycleHandler {
    let buffer: SearchLogBuffer

    func shutdownAsync(_ application: Application) async {
        await buffer.close()
    }
}
