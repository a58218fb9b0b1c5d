// swift-tools-version:6.1
import PackageDescription

/// Benchmarks live apart from the main package so its build and CI do not pay for them.
/// Run from the repository root: `python3 Benchmarks/pdq_bench.py` (see README.md).
let package = Package(
    name: "HashmarkBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Hashmark", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "pdq-bench",
            dependencies: [.product(name: "HashmarkFingerprint", package: "Hashmark"),
                           .product(name: "HashmarkMedia", package: "Hashmark"),
                           .product(name: "HashmarkEngine", package: "Hashmark")],
            path: "Sources/pdq-bench"
        ),
        .executableTarget(
            name: "mih-bench",
            dependencies: [.product(name: "HashmarkIndex", package: "Hashmark"),
                           .product(name: "HashmarkStore", package: "Hashmark"),
                           .product(name: "HashmarkFingerprint", package: "Hashmark")],
            path: "Sources/mih-bench"
        ),
        .executableTarget(
            name: "text-bench",
            dependencies: [.product(name: "HashmarkFingerprint", package: "Hashmark"),
                           .product(name: "HashmarkIndex", package: "Hashmark"),
                           .product(name: "HashmarkEngine", package: "Hashmark")],
            path: "Sources/text-bench", exclude: ["text_bench.py"]
        ),
        .executableTarget(
            name: "orb-bench",
            dependencies: [.product(name: "HashmarkFingerprint", package: "Hashmark"),
                           .product(name: "HashmarkIndex", package: "Hashmark"),
                           .product(name: "HashmarkMedia", package: "Hashmark"),
                           .product(name: "HashmarkTransforms", package: "Hashmark")],
            path: "Sources/orb-bench"
        ),
        .executableTarget(
            name: "minilm-bench",
            dependencies: [.product(name: "HashmarkNeural", package: "Hashmark")],
            path: "Sources/minilm-bench", exclude: ["minilm_bench.py"]
        ),
        .executableTarget(
            name: "audio-index-bench",
            dependencies: [.product(name: "HashmarkIndex", package: "Hashmark"),
                           .product(name: "HashmarkEngine", package: "Hashmark"),
                           .product(name: "HashmarkFingerprint", package: "Hashmark"),
                           .product(name: "HashmarkMedia", package: "Hashmark")],
            path: "Sources/audio-index-bench"
        ),
        .executableTarget(
            name: "vector-bench",
            dependencies: [.product(name: "HashmarkIndex", package: "Hashmark")],
            path: "Sources/vector-bench", exclude: ["vector_bench.py"]
        ),
        .executableTarget(
            name: "descriptor-bench",
            dependencies: [.product(name: "HashmarkNeural", package: "Hashmark"),
                           .product(name: "HashmarkMedia", package: "Hashmark")],
            path: "Sources/descriptor-bench", exclude: ["descriptor_bench.py"]
        ),
    ]
)
