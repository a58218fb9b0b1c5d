// swift-tools-version:6.1
import PackageDescription

/// Hashmark: detects AI-generated copies of protected works.
///
/// Targets by concern (see README "Layout"): pure fingerprint maths apart from I/O,
/// one system-library target per C library, a thin `hashmark` executable.
let package = Package(
    name: "Hashmark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hashmark", targets: ["hashmark"]),
        .library(name: "HashmarkFingerprint", targets: ["HashmarkFingerprint"]),
        .library(name: "HashmarkMedia", targets: ["HashmarkMedia"]),
        .library(name: "HashmarkIndex", targets: ["HashmarkIndex"]),
        .library(name: "HashmarkStore", targets: ["HashmarkStore"]),
        .library(name: "HashmarkReport", targets: ["HashmarkReport"]),
        .library(name: "HashmarkEngine", targets: ["HashmarkEngine"]),
        .library(name: "HashmarkView", targets: ["HashmarkView"]),
        .library(name: "HashmarkNeural", targets: ["HashmarkNeural"]),
        .library(name: "HashmarkTransforms", targets: ["HashmarkTransforms"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        // C libraries from Debian packages (see Makefile DEBIAN_PACKAGES).
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg",
                       providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CGIF", pkgConfig: "libgif", providers: [.apt(["libgif-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSndfile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CSamplerate", pkgConfig: "samplerate", providers: [.apt(["libsamplerate0-dev"])]),
        /// glibc and Linux UAPI headers (prctl, seccomp, renameat2, posix_spawn closefrom).
        .systemLibrary(name: "CLinux"),

        /// Shared primitives below every I/O target: the one SHA-256 (OpenSSL EVP) and hex codec.
        .target(name: "HashmarkPrimitives", dependencies: ["COpenSSL"]),
        /// Pure maths: buffers in, values out. No files, clock, network or database.
        .target(name: "HashmarkFingerprint"),
        /// Model inference in our own code (tokenizer, transformer forward pass, SIMD kernels with
        /// scalar twins): weights and text in, vectors out. No files.
        .target(name: "HashmarkNeural", dependencies: ["CKernels"]),
        /// The kernels Swift cannot emit for a portable build (AVX-512 VNNI `vpdpwssd`): MiniLM's
        /// linear layers and the int16 first pass of the vector scan, chosen at run time; their
        /// scalar twins are Swift.
        .target(name: "CKernels"),
        /// Shared by the test targets only (seeded random generator); no product contains it.
        .target(name: "HashmarkTestSupport"),
        /// Pure image operations (geometric and photometric edits) for the evaluation suite and tests.
        /// Also the document writers (PDF, EPUB, DOCX, ODT) that make the evaluation's document cases.
        .target(name: "HashmarkTransforms",
                dependencies: ["HashmarkFingerprint", "HashmarkMedia", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        /// Decoding of real files: format sniffing, limits, image and text decoders.
        .target(name: "HashmarkMedia",
                dependencies: ["HashmarkFingerprint", "CTurboJPEG", "CPNG", "CWebP", "CGIF", "CSndfile", "CSamplerate"]),
        /// Documents (PDF, EPUB, DOCX, ODT) to text and images with their locations: ZIP + XML in
        /// our own code under limits, PDF through Poppler's `pdftotext` in a limited child process.
        .target(name: "HashmarkDocument",
                dependencies: ["HashmarkMedia", "HashmarkReport", "CLinux",
                               .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        /// In-memory indexes (multi-index hashing, inverted shingle index) and their oracles.
        .target(name: "HashmarkIndex", dependencies: ["HashmarkFingerprint", "CKernels"]),
        /// The corpus store: one SQL interface, two back ends: SQLite through GRDB (the embedded
        /// default) and PostgreSQL through postgres-nio (several hosts on one database).
        .target(name: "HashmarkStore",
                dependencies: ["HashmarkFingerprint", "HashmarkPrimitives", .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "PostgresNIO", package: "postgres-nio"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        /// Signed verdict reports: canonical JSON, Ed25519 through OpenSSL, the ledger.
        .target(name: "HashmarkReport", dependencies: ["HashmarkPrimitives", "COpenSSL"]),
        /// The one matching call shared by `check`, the daemon and the evaluator.
        .target(name: "HashmarkEngine",
                dependencies: ["HashmarkNeural", "HashmarkFingerprint", "HashmarkMedia", "HashmarkDocument", "HashmarkIndex",
                               "HashmarkStore", "HashmarkReport", "HashmarkPrimitives"]),
        /// What people read: the self-contained HTML evidence page and thumbnails.
        .target(name: "HashmarkView",
                dependencies: ["HashmarkEngine", "HashmarkReport", "HashmarkStore", "HashmarkMedia", "HashmarkFingerprint",
                               "HashmarkPrimitives", "HashmarkDocument"]),
        /// `hashmark watch`: the spool daemon (inotify, queue, workers, systemd notify, metrics).
        .target(name: "HashmarkDaemon",
                dependencies: ["HashmarkEngine", "HashmarkDocument", "HashmarkReport", "HashmarkStore", "HashmarkPrimitives", "CLinux",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "TOMLKit", package: "TOMLKit")]),
        /// `hashmark eval`: the accuracy suite and the decision-model fitter.
        .target(name: "HashmarkEval", dependencies: ["HashmarkEngine", "HashmarkTransforms", "HashmarkReport"]),
        /// The thin command-line executable: argument parsing and wiring only.
        .executableTarget(name: "hashmark",
                          dependencies: ["HashmarkEngine", "HashmarkView", "HashmarkDaemon", "HashmarkEval",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "HashmarkPrimitivesTests", dependencies: ["HashmarkPrimitives"]),
        .testTarget(name: "HashmarkFingerprintTests", dependencies: ["HashmarkTestSupport", "HashmarkFingerprint"]),
        .testTarget(name: "HashmarkNeuralTests", dependencies: ["HashmarkTestSupport", "HashmarkNeural", "HashmarkFingerprint", "HashmarkMedia"]),
        .testTarget(name: "HashmarkTransformsTests",
                    dependencies: ["HashmarkTransforms", "HashmarkFingerprint", "HashmarkMedia"]),
        .testTarget(name: "HashmarkMediaTests", dependencies: ["HashmarkMedia"]),
        .testTarget(name: "HashmarkDocumentTests",
                    dependencies: ["HashmarkDocument", "HashmarkTransforms", "HashmarkReport",
                                   .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "HashmarkIndexTests",
                    dependencies: ["HashmarkTestSupport", "HashmarkIndex", "HashmarkStore", "HashmarkPrimitives",
                                   .product(name: "GRDB", package: "GRDB.swift"),
                                   .product(name: "NIOCore", package: "swift-nio"),
                                   .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "HashmarkReportTests", dependencies: ["HashmarkTestSupport", "HashmarkReport", "HashmarkPrimitives"]),
        .testTarget(name: "HashmarkEvalTests", dependencies: ["HashmarkTestSupport", "HashmarkEval"]),
        .testTarget(name: "HashmarkDaemonTests", dependencies: ["HashmarkDaemon", "HashmarkStore"]),
        .testTarget(name: "HashmarkIntegrationTests",
                    dependencies: ["HashmarkTestSupport", "HashmarkEngine", "HashmarkView", "HashmarkTransforms",
                                   .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ]
)
