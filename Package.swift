// swift-tools-version:6.1
import PackageDescription

/// The data plane's modules (the proxy engine, its wire format and its event loops) are built
/// without dynamic exclusivity checks in release builds: they run per request on one thread
/// each, their state is confined to that thread, and the checks measured a few percent of
/// the proxy's CPU time. Debug builds (and so the tests) keep them.
let dataPlaneSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// Wharf: a self-hosted Amazon ECS for Linux. See ARCHITECTURE.md for the module map.
let package = Package(
    name: "Wharf",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wharf", targets: ["wharf"]),
        .executable(name: "wharf-shim", targets: ["wharf-shim"]),
        .library(name: "Runtime", targets: ["Runtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CLibev", path: "Sources/CLibev", providers: [.apt(["libev-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // The one C target of the launch path: clone -> namespaces -> mounts -> pivot_root -> exec.
        .target(
            name: "CWharfLaunch",
            cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"])]
        ),

        // Foundation-free Linux primitives shared by the runtime and the per-task supervisor.
        .target(name: "LinuxHost", dependencies: ["CWharfLaunch"]),
        // The plan a supervisor executes and its on-disk encoding (Foundation-free).
        .target(name: "ShimProtocol", dependencies: ["LinuxHost"]),
        // The per-task supervisor: holds a task's containers, outlives the daemon (Foundation-free).
        // Linked statically (Swift standard library and libc): it is exec'd once per task
        // launch, and the dynamic loader's work (loading libstdc++, symbol lookup, relocations)
        // was ~3 ms of every launch. It uses no NSS functions (getpwnam etc.), which static
        // glibc cannot serve.
        .executableTarget(
            name: "wharf-shim", dependencies: ["LinuxHost", "ShimProtocol", "CWharfLaunch"],
            linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),

        .target(name: "ImageStore", dependencies: ["CZlib", "CZstd", "COpenSSL", "CWharfLaunch", "LinuxHost", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Runtime",
            dependencies: ["LinuxHost", "ShimProtocol", "ImageStore", "CWharfLaunch", .product(name: "Logging", package: "swift-log")]
        ),
        // HTTP/1.1 wire format: parser, framing rules, chunked scanner, bounded buffers (pure, no Foundation).
        .target(name: "HTTPCore", swiftSettings: dataPlaneSettings),
        // Event loops (libev), non-blocking sockets and TLS (OpenSSL) (no Foundation).
        .target(name: "WharfIO", dependencies: ["CLibev", "COpenSSL"], swiftSettings: dataPlaneSettings),
        // The layer-7 load balancer and the one HTTP/1.1 server engine.
        .target(
            name: "LB",
            dependencies: [
                "HTTPCore", "WharfIO", "LinuxHost",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: dataPlaneSettings
        ),
        // Scaling policies: target tracking, step scaling, scheduled actions (pure, fake-clock tested).
        .target(name: "Autoscaler"),
        // Application Auto Scaling: its AWS JSON API, durable state and the scaling loop. Knows
        // nothing of ECS: services are reached through the protocols the control plane implements.
        .target(
            name: "AutoScaling",
            dependencies: [
                "Autoscaler", "AWSProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Secrets Manager: its AWS JSON API and the secrets' own SQLite file (mode 0600), which
        // a task's repositoryCredentials are resolved from. Knows nothing of ECS.
        .target(
            name: "SecretsManager",
            dependencies: ["AWSProtocol", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // OCI Distribution client: pulls images from registries into the image store.
        .target(
            name: "Registry",
            dependencies: ["ImageStore", "HTTPCore", "WharfIO", .product(name: "Logging", package: "swift-log")]
        ),
        // The health dashboard and /metrics, served on Wharf's HTTP engine.
        .target(name: "Dashboard", dependencies: ["LB"]),
        // AWS JSON 1.1 protocol and Signature Version 4 (pure).
        .target(name: "AWSProtocol", dependencies: ["COpenSSL"]),
        // ECS task placement: strategies, constraints, cluster query language (pure).
        .target(name: "Scheduler"),
        .target(
            name: "ControlPlane",
            dependencies: [
                "Runtime", "LinuxHost", "AWSProtocol", "Scheduler", "LB", "WharfIO",
                "Autoscaler", "AutoScaling", "Registry", "Dashboard",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "wharf",
            dependencies: [
                "Runtime", "ImageStore", "ControlPlane", "LB", "Autoscaler", "AutoScaling", "SecretsManager", "LinuxHost", "AWSProtocol",
                "Registry", "Dashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Drives the runtime benchmarks of bench/ (not shipped).
        .executableTarget(name: "wharf-bench", dependencies: ["Runtime", "LinuxHost", "ImageStore", "Scheduler", "AWSProtocol", "HTTPCore"]),

        // Helpers shared by test targets (subprocesses, temporary directories, free ports, the
        // busybox image, a local docker-registry, loopback TLS certificates): a regular target
        // because test targets cannot depend on each other.
        .target(name: "WharfTestSupport", path: "Tests/Support"),
        // Signed AWS JSON 1.1 requests and answer checks for the API tests of AWSProtocol's users.
        .target(name: "AWSTestSupport", dependencies: ["AWSProtocol"], path: "Tests/AWSSupport"),

        .testTarget(name: "LinuxHostTests", dependencies: ["LinuxHost", "WharfTestSupport"]),
        .testTarget(name: "ShimProtocolTests", dependencies: ["ShimProtocol", "LinuxHost"]),
        .testTarget(name: "LaunchTests", dependencies: ["CWharfLaunch", "LinuxHost"]),
        .testTarget(name: "ImageStoreTests", dependencies: ["ImageStore", "CZstd", "WharfTestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "ImageStore", "LinuxHost", "ShimProtocol", "WharfTestSupport"]),
        // Scripts/ holds the boto3 script the tests run with python3 (read by path, not a resource).
        .testTarget(name: "ControlPlaneTests", dependencies: ["ControlPlane", "Runtime", "LinuxHost", "WharfTestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"]),
        .testTarget(name: "WharfIOTests", dependencies: ["WharfIO", "LinuxHost"]),
        .testTarget(name: "LBTests", dependencies: ["LB", "HTTPCore", "WharfIO", "WharfTestSupport"]),
        .testTarget(name: "AWSProtocolTests", dependencies: ["AWSProtocol", "WharfTestSupport"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler"]),
        .testTarget(name: "AutoscalerTests", dependencies: ["Autoscaler"]),
        .testTarget(
            name: "AutoScalingTests",
            dependencies: ["AutoScaling", "Autoscaler", "AWSProtocol", "AWSTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "SecretsManagerTests", dependencies: ["SecretsManager", "AWSProtocol", "AWSTestSupport", "WharfTestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "ImageStore", "WharfIO", "LinuxHost", "WharfTestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "LB", "HTTPCore", "WharfIO", "WharfTestSupport"]),
    ]
)
