// swift-tools-version:6.1
import PackageDescription

/// Language settings every target shares (see ../shared/STYLE.md, "Package").
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "tracejoin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tracejoin", targets: ["tracejoin"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - Stages, in the order data flows through them
        .target(name: "TraceJoinCore", swiftSettings: strictSettings),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", providers: [.apt(["libpcre2-dev"])]),
        .target(name: "Ingest", dependencies: ["TraceJoinCore", "CZlib"], swiftSettings: strictSettings),
        .target(name: "Normalize", dependencies: ["TraceJoinCore"], swiftSettings: strictSettings),
        .target(
            name: "Rules", dependencies: ["TraceJoinCore", "CPCRE2", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings),
        .target(name: "Correlate", dependencies: ["TraceJoinCore"], swiftSettings: strictSettings),
        .target(
            name: "Store",
            dependencies: ["TraceJoinCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        .target(
            name: "Pipeline",
            dependencies: ["TraceJoinCore", "Ingest", "Normalize", "Rules", "Correlate", "Store"],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "tracejoin",
            dependencies: [
                "TraceJoinCore", "Pipeline", "Store", "Rules", "Normalize",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
        .target(name: "TraceJoinTesting", dependencies: ["TraceJoinCore"], swiftSettings: strictSettings),

        // MARK: - Tests, one target per stage
        .testTarget(name: "TraceJoinCoreTests", dependencies: ["TraceJoinCore", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(name: "NormalizeTests", dependencies: ["Normalize", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(name: "CorrelateTests", dependencies: ["Correlate", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "PipelineTests", dependencies: ["Pipeline", "Store", "TraceJoinTesting"], swiftSettings: strictSettings),
        .testTarget(name: "CLITests", dependencies: ["tracejoin", "TraceJoinTesting"], swiftSettings: strictSettings),
    ]
)
