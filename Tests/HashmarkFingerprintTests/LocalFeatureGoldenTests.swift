import Foundation
import HashmarkFingerprint
import Testing

/// Keypoint regression: the exact features (keypoints, descriptors and mirrored descriptors) of
/// every local-feature fixture, as a keypoint count and a 64-bit digest per image, diffed against
/// Tests/Fixtures/local/features-golden.txt. Any change of the extractor's output, however small,
/// fails here; re-record with HASHMARK_RECORD_GOLDENS=1 (the run then fails, so re-recording is a
/// deliberate act). Recorded on Linux x86-64: orientation goes through the platform's libm
/// (atan2, cos, sin in Double, rounded to Float).
@Suite("LocalFeatureGolden")
struct LocalFeatureGoldenTests {
    static let goldenPath = LocalFixtures.dir.appendingPathComponent("features-golden.txt").path

    /// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over the canonical
    /// little-endian serialisation of a feature set:
    ///
    ///     UTF-8 bytes of `algorithm`, then u32 width, u32 height, u32 keypoint count,
    ///     u32 mirrored count (0xFFFF_FFFF when `mirroredDescriptors` is nil); then per keypoint i:
    ///     f32 bits of x, y, u32 level, f32 bits of scale, angle, response,
    ///     the 4 u64 words of descriptors[i] (words[0] first), and, when present, the 4 u64 words
    ///     of mirroredDescriptors[i].
    ///
    /// Floats enter by their IEEE bit patterns, so −0 and +0 differ: the digest is of the exact bits.
    static func digest(_ f: LocalFeatures) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func byte(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { byte(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }
        func hash(_ d: Hash256) { for k in 0..<4 { u64(d.words[k]) } }
        for b in f.algorithm.utf8 { byte(b) }
        u32(UInt32(truncatingIfNeeded: f.width)); u32(UInt32(truncatingIfNeeded: f.height))
        u32(UInt32(truncatingIfNeeded: f.keypoints.count))
        u32(f.mirroredDescriptors.map { UInt32(truncatingIfNeeded: $0.count) } ?? 0xFFFF_FFFF)
        for (i, k) in f.keypoints.enumerated() {
            u32(k.x.bitPattern); u32(k.y.bitPattern); u32(UInt32(truncatingIfNeeded: k.level))
            u32(k.scale.bitPattern); u32(k.angle.bitPattern); u32(k.response.bitPattern)
            hash(f.descriptors[i])
            if let m = f.mirroredDescriptors { hash(m[i]) }
        }
        return h
    }

    /// The images: the nine fixtures of Tests/Fixtures/local, the two faint ones of
    /// Tests/Fixtures/lowcontrast (contrast normalisation, low FAST floors), astronaut enlarged
    /// 5.5× (2112 px: the box reduction and resize to `maxSide`) and seeded noise of an odd size
    /// (short pyramid, flat-descriptor rejection).
    static func images() throws -> [(name: String, image: RGBImage)] {
        var out = try LocalFixtures.all.map { ($0, try LocalFixtures.load($0)) }
        out += try ["warty_final_ubuntu", "trees_fog"].map { ($0, try LocalFixtures.load($0, folder: "lowcontrast")) }
        let astronaut = try LocalFixtures.load("astronaut")
        out.append(("astronaut-2112", LocalEdits.resize(astronaut, width: 2112, height: 2112)))
        var rng = SplitMix64(state: 15)
        let (w, h) = (97, 63)
        if let noise = RGBImage(width: w, height: h, pixels: (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) {
            out.append(("noise-97x63", noise))
        }
        return out
    }

    /// One line per image: name, keypoint count, digest (16 hex digits) of the mirrored extraction.
    static func lines() throws -> [String] {
        let extractor = LocalFeatureExtractor()
        return try images().map { name, image in
            let f = extractor.extract(image, includeMirrored: true)
            let hex = String(Self.digest(f), radix: 16)
            return "\(name) \(f.keypoints.count) \(String(repeating: "0", count: 16 - hex.count) + hex)"
        }
    }

    static let header = "# LocalFeatureGoldenTests: image, keypoints, FNV-1a 64 digest of the features (with mirrored descriptors)"

    @Test func featuresEqualTheGolden() throws {
        let current = try Self.lines()
        let text = ([Self.header, "algorithm \(LocalFeatures.algorithm)"] + current).joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["HASHMARK_RECORD_GOLDENS"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: Self.goldenPath))
            Issue.record("re-recorded \(Self.goldenPath); unset HASHMARK_RECORD_GOLDENS and re-run")
            return
        }
        let golden = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(golden.first == "algorithm \(LocalFeatures.algorithm)")
        let expected = Array(golden.dropFirst())
        #expect(expected.count == current.count, "golden has \(expected.count) images, extraction \(current.count)")
        for (e, c) in zip(expected, current) { #expect(c == e) }
        // The golden sets are not degenerate: the fixtures have keypoints to compare.
        let counts = current.compactMap { Int($0.split(separator: " ")[1]) }
        #expect(counts.prefix(LocalFixtures.all.count).allSatisfy { $0 >= 100 })
    }

    /// The digest sees every field: one flipped descriptor bit, one keypoint's angle moved by one
    /// ulp, or the mirrored descriptors dropped, each change it.
    @Test func digestSeesEveryField() throws {
        let f = LocalFeatureExtractor().extract(try LocalFixtures.load("coffee"), includeMirrored: true)
        let d = Self.digest(f)
        #expect(d == Self.digest(f))
        var bit = f
        bit.descriptors[7] = Hash256(words: bit.descriptors[7].words ^ SIMD4(0, 0, 1 << 40, 0))
        var mirrorBit = f
        if var m = mirrorBit.mirroredDescriptors { m[3] = Hash256(words: m[3].words ^ SIMD4(1, 0, 0, 0)); mirrorBit.mirroredDescriptors = m }
        var angle = f
        angle.keypoints[11].angle = angle.keypoints[11].angle.nextUp
        var level = f
        level.keypoints[0].level += 1
        for changed in [bit, mirrorBit, angle, level, f.withoutMirror] { #expect(Self.digest(changed) != d) }
    }
}
