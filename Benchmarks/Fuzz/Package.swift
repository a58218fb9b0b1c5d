// swift-tools-version:6.1
import PackageDescription

/// libFuzzer targets for Hashmark's hostile-input surfaces. A separate package, so the main build
/// and CI do not pay for it. Build and run through `Scripts/fuzz.sh` (see ../FUZZ.md); the build
/// needs all three sanitizer flags (SwiftPM's alone leave the code without coverage):
///
///     swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
///         --package-path Benchmarks/Fuzz
///
/// Each executable holds one file defining `LLVMFuzzerTestOneInput` and no `main`: libFuzzer's
/// runtime (linked by `-sanitize=fuzzer`) provides `main`.
let media: Target.Dependency = .product(name: "HashmarkMedia", package: "Hashmark")
let fingerprint: Target.Dependency = .product(name: "HashmarkFingerprint", package: "Hashmark")
let report: Target.Dependency = .product(name: "HashmarkReport", package: "Hashmark")

/// Target name → what it links besides `FuzzSupport`.
let fuzzTargets: [(String, [Target.Dependency])] = [
    ("fuzz-sniff", [media]),
    ("fuzz-jpeg", [media, fingerprint]),
    ("fuzz-png", [media, fingerprint]),
    ("fuzz-webp", [media, fingerprint]),
    ("fuzz-gif", [media, fingerprint]),
    ("fuzz-image", [media, fingerprint]),
    ("fuzz-text-plain", [media]),
    ("fuzz-text-html", [media]),
    ("fuzz-text-markdown", [media]),
    ("fuzz-normalize", [fingerprint]),
    ("fuzz-report-json", [report]),
]

let package = Package(
    name: "HashmarkFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Hashmark", path: "../.."),
    ],
    targets: [
        /// The invariant checks shared by the targets (an invariant failure aborts, so libFuzzer
        /// saves the input as a crash).
        .target(name: "FuzzSupport", dependencies: [media, fingerprint], path: "Sources/FuzzSupport"),
    ] + fuzzTargets.map { name, dependencies in
        .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Sources/\(name)")
    }
)
