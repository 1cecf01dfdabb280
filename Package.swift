// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way:
// speakerdb → Web/Pipeline → Identity/Extraction/Crawling/Search → Storage/LLM/HTMLParsing/Embeddings/Names → SpeakerCore
let package = Package(
    name: "speakerdb",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "speakerdb", targets: ["speakerdb"]),
        .executable(name: "speakerdb-bench", targets: ["speakerdb-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.50.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0" ..< "5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
    ],
    targets: [
        // MARK: libraries
        .target(
            name: "SpeakerCore",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "HTMLParsing",
            dependencies: ["CLibXML2"],
            swiftSettings: swiftSettings
        ),
        // Person names: the lexicon (census and international name lists, honorifics,
        // organisation words) and the detector, shared by discovery, extraction and identity.
        .target(
            name: "Names",
            dependencies: ["SpeakerCore"],
            resources: [.process("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                "SpeakerCore",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Crawling",
            dependencies: [
                "SpeakerCore",
                "Names",
                "Storage",
                "HTMLParsing",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LLM",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Extraction",
            dependencies: [
                "SpeakerCore",
                "Names",
                "Storage",
                "HTMLParsing",
                "LLM",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Identity",
            dependencies: [
                "SpeakerCore",
                "Names",
                "Storage",
                "Extraction",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "SpeakerCore",
                "Storage",
                "Crawling",
                "Extraction",
                "Identity",
                "LLM",
                "Embeddings",
                "Search",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Measuring discovery and extraction on the evaluation corpus (`speakerdb eval`).
        .target(
            name: "Evaluation",
            dependencies: [
                "SpeakerCore",
                "Storage",
                "Crawling",
                "Extraction",
                "Pipeline",
                "Web",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "Embeddings",
            dependencies: ["CBLAS"],
            // Optimised in debug builds too: the tests and the debug CLI embed real text,
            // which unoptimised loops make about 20 times slower.
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "Search",
            dependencies: ["Embeddings", "Storage", "SpeakerCore", "LLM", .product(name: "FluentKit", package: "fluent-kit")],
            resources: [.process("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Web",
            dependencies: [
                "SpeakerCore",
                "Storage",
                "Identity",
                "Extraction",
                "LLM",
                "Search",
                "Embeddings",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Leaf", package: "leaf"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: executables
        .executableTarget(
            name: "speakerdb",
            dependencies: [
                "SpeakerCore",
                "Storage",
                "Crawling",
                "Extraction",
                "Identity",
                "LLM",
                "HTMLParsing",
                "Pipeline",
                "Web",
                "Search",
                "Embeddings",
                "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "speakerdb-bench",
            dependencies: [
                "SpeakerCore",
                "Storage",
                "Search",
                "Embeddings",
                "Crawling",
                "Extraction",
                "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: tests
        .target(
            name: "TestSupport",
            dependencies: ["Storage", "SpeakerCore", .product(name: "Vapor", package: "vapor"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SpeakerCoreTests",
            dependencies: ["SpeakerCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTMLParsingTests",
            dependencies: ["HTMLParsing"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "SpeakerCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Search", "LLM", "Storage", "SpeakerCore", "Identity", "Crawling", "TestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CrawlingTests",
            dependencies: ["Crawling", "Pipeline", "HTMLParsing", "Storage", "SpeakerCore", "TestSupport",
                           .product(name: "Vapor", package: "vapor")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ExtractionTests",
            dependencies: ["Extraction", "Names", "LLM", "Pipeline", "Crawling", "HTMLParsing", "Storage", "SpeakerCore", "TestSupport", "Search", "Embeddings",
                           .product(name: "Vapor", package: "vapor"), .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SearchTests",
            dependencies: ["Search", "Embeddings", "LLM", "Storage", "SpeakerCore", "TestSupport",
                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IdentityTests",
            dependencies: ["Identity", "Extraction", "Storage", "SpeakerCore", "TestSupport",
                           .product(name: "FluentKit", package: "fluent-kit"), .product(name: "SQLKit", package: "sql-kit"),
                           .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["speakerdb", "Embeddings", "Crawling", "SpeakerCore", "Storage", "Pipeline", "TestSupport", .product(name: "Vapor", package: "vapor"),
                           .product(name: "Yams", package: "Yams"), .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: swiftSettings
        ),
    ]
)

var swiftSettings: [SwiftSetting] {
    [
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
