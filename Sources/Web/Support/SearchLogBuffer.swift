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

    /// The write in progress; each flush waits for the ones before it, so when `flush`
    /// returns everything added before it is in the database.
    private var writing: Task<Void, Never>?

    func flush() async {
        guard !closed else { return }
        scheduled = nil
        let batch = pending
        pending = []
        let previous = writing, database = self.database, logger = self.logger
        let write = Task {
            await previous?.value
            guard !batch.isEmpty else { return }
            do {
                try await SearchLog(database()).record(batch)
            } catch {
                logger.warning("searches not logged", metadata: ["count": .stringConvertible(batch.count), "error": .string(StorageContext.describe(error))])
            }
        }
        writing = write
        await write.value
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

extension Application {
    private struct SearchLogKey: StorageKey {
        typealias Value = SearchLogBuffer
    }

    /// The app's search-log buffer (set by `routes`); tests flush it to read the log.
    var searchLogBuffer: SearchLogBuffer? {
        get { storage[SearchLogKey.self] }
        set { storage[SearchLogKey.self] = newValue }
    }
}
