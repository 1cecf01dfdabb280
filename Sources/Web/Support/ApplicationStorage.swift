import SpeakerCore
import Storage
import Vapor

extension Application {
    private struct SettingsKey: StorageKey {
        typealias Value = Settings
    }

    private struct StorageContextKey: StorageKey {
        typealias Value = StorageContext
    }

    /// The settings this process started with.
    public var speakerdbSettings: Settings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:settings:) was not called") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }

    /// The database, shared by every request.
    public var storageContext: StorageContext {
        get {
            guard let context = storage[StorageContextKey.self] else { fatalError("configure(_:settings:) was not called") }
            return context
        }
        set { storage[StorageContextKey.self] = newValue }
    }
}
