// swift-tools-version: 6.1
import PackageDescription

/// One set of settings for every Swift target: Swift 6 language mode, strict concurrency.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "crypto-portfolio-tracker",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "portfolio-server", targets: ["portfolio-server"]),
    .executable(name: "devchain", targets: ["devchain"]),
    .executable(name: "portfolio-bench", targets: ["portfolio-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    // Without its default ExternalLoading trait, which only slows the build.
    .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
  ],
  targets: [
    .systemLibrary(
      name: "CWebSockets",
      pkgConfig: "libwebsockets",
      providers: [.apt(["libwebsockets-dev"])]
    ),
    .systemLibrary(
      name: "CCurl",
      pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]
    ),
    .systemLibrary(name: "CAllocator"),
    .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
    .target(
      name: "PortfolioCore",
      dependencies: [.product(name: "BigInt", package: "BigInt")],
      swiftSettings: swiftSettings
    ),
    .target(name: "CurlHTTP", dependencies: ["CCurl", "PortfolioCore"], swiftSettings: swiftSettings),
    .target(
      name: "ChainClients",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"), "CurlHTTP", "PortfolioCore",
        .product(name: "BigInt", package: "BigInt"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "Pricing",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"),
        "PortfolioCore", "CurlHTTP", "ChainClients", "PortfolioConfig",
        .product(name: "BigInt", package: "BigInt"), .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "PortfolioConfig",
      dependencies: ["PortfolioCore", .product(name: "Yams", package: "Yams")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "Storage",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"),
        "PortfolioCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "BigInt", package: "BigInt"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "WebServer",
      dependencies: [
        "CWebSockets", "COpenSSL", "PortfolioCore", .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "PushCrypto",
      dependencies: [.product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "APIDocument",
      dependencies: [.product(name: "OpenAPIKit", package: "OpenAPIKit")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "API",
      dependencies: [
        "PortfolioCore", "Storage", "WebServer", "ChainSync", "ChainClients", "LiveUpdates", "APIDocument",
        "Notifications", "CurlHTTP", "PushCrypto",
        .product(name: "Logging", package: "swift-log"), .product(name: "SwiftCSV", package: "SwiftCSV"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "Notifications",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"),
        "PortfolioCore", "Storage", "LiveUpdates", "CurlHTTP", "PushCrypto",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "PortfolioApp",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        "PortfolioCore", "PortfolioConfig", "Storage", "WebServer", "API", "ChainSync", "CurlHTTP",
        "LiveUpdates", "Pricing", "Notifications",
        .product(name: "Logging", package: "swift-log"), .product(name: "BigInt", package: "BigInt"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "portfolio-server",
      dependencies: [
        "PortfolioApp", "PortfolioConfig", "CAllocator", "Storage", "PortfolioCore", "WebServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ChainSync",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"),
        "ChainClients", "CurlHTTP", "PortfolioCore", "PortfolioConfig", "Storage",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "LiveUpdates",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics"),
        "CAllocator", "ChainSync", "ChainClients", "PortfolioCore", "Storage",
        .product(name: "BigInt", package: "BigInt"), .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "DevChain",
      dependencies: ["PortfolioCore", "WebServer", .product(name: "BigInt", package: "BigInt")],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "devchain",
      dependencies: [
        "DevChain", "PortfolioCore", "WebServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "portfolio-bench",
      dependencies: [
        "DevChain", "ChainClients", "CurlHTTP", "PortfolioCore", "Storage", "CWebSockets", "Pricing",
        "PortfolioConfig", "LiveUpdates", "WebServer", "PushCrypto",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "BigInt", package: "BigInt"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CurlHTTPTests",
      dependencies: ["CurlHTTP", "WebServer", .product(name: "Logging", package: "swift-log")],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ChainClientsTests",
      dependencies: [
        "ChainClients", "PortfolioCore", "DevChain", "CurlHTTP", .product(name: "BigInt", package: "BigInt"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "PricingTests",
      dependencies: [
        "Pricing", "PortfolioCore", "PortfolioConfig", "DevChain", "CurlHTTP", "ChainClients",
        .product(name: "BigInt", package: "BigInt"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "PortfolioCoreTests",
      dependencies: ["PortfolioCore", .product(name: "BigInt", package: "BigInt")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "PortfolioConfigTests", dependencies: ["PortfolioConfig"], swiftSettings: swiftSettings),
    .testTarget(
      name: "StorageTests",
      dependencies: [
        "Storage", "PortfolioCore", .product(name: "BigInt", package: "BigInt"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "NotificationsTests",
      dependencies: [
        "Notifications", "Storage", "PortfolioCore", .product(name: "BigInt", package: "BigInt"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "PushCryptoTests",
      dependencies: ["PushCrypto", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "PortfolioAppTests",
      dependencies: [
        "PortfolioApp", "PortfolioConfig", "Storage", "PortfolioCore", "DevChain", "LiveUpdates", "API",
        "WebServer", "CAllocator", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "BigInt", package: "BigInt"), .product(name: "OpenAPIKit", package: "OpenAPIKit"),
      ],
      swiftSettings: swiftSettings
    ),
  ]
)

// libFuzzer targets (Fuzz/), declared only when scripts/fuzz builds them (PORTFOLIO_FUZZ=1, in
// .build/fuzz, with -sanitize=fuzzer,address): they need libFuzzer linked in, which a plain
// build does not have.
if Context.environment["PORTFOLIO_FUZZ"] == "1" {
  package.targets += [
    .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    .target(
      name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Support", swiftSettings: swiftSettings),
  ]
  let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-address", ["PortfolioCore"]),
    ("fuzz-abi", ["PortfolioCore", .product(name: "BigInt", package: "BigInt")]),
    ("fuzz-jsonrpc", ["ChainClients", "PortfolioCore", .product(name: "BigInt", package: "BigInt")]),
    (
      "fuzz-stream",
      [
        "API", "LiveUpdates", "Storage", "WebServer", "PortfolioCore",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    (
      "fuzz-http",
      [
        "API", "PortfolioApp", "PortfolioConfig", "LiveUpdates", "Storage", "WebServer", "PortfolioCore",
        "DevChain",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
  ]
  for target in fuzzTargets {
    package.targets.append(
      .executableTarget(
        name: target.name, dependencies: ["FuzzSupport"] + target.dependencies,
        path: "Fuzz/Targets/\(target.name)",
        swiftSettings: swiftSettings))
    package.products.append(.executable(name: target.name, targets: [target.name]))
  }
}
