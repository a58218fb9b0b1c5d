import HashmarkFingerprint

/// The stored form of a corpus image's local features: what the matcher needs and no more.
///
/// Layout (little-endian): `"HMLF"`, version `UInt8` = 1, width `UInt32`, height `UInt32`,
/// count `UInt32`, then per keypoint the 32-byte descriptor (hex order) and x, y as `Float32`:
/// 40 bytes a keypoint, ≤ 20 KiB an image at 512 keypoints.
enum LocalFeatureCodec {
    static let magic: [UInt8] = Array("HMLF".utf8)

    static func encode(_ f: LocalFeatures) -> [UInt8] {
        var out = magic + [1]
        out.reserveCapacity(17 + f.descriptors.count * 40)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        u32(UInt32(clamping: f.width))
        u32(UInt32(clamping: f.height))
        let n = min(f.descriptors.count, f.keypoints.count)
        u32(UInt32(n))
        for i in 0..<n {
            let d = f.descriptors[i]
            for k in 0..<4 { withUnsafeBytes(of: d.words[k].bigEndian) { out.append(contentsOf: $0) } }
            u32(f.keypoints[i].x.bitPattern)
            u32(f.keypoints[i].y.bitPattern)
        }
        return out
    }

    /// `nil` for anything malformed (wrong magic, version or length).
    static func decode(_ b: [UInt8]) -> LocalFeatures? {
        guard b.count >= 17, Array(b[0..<4]) == magic, b[4] == 1 else { return nil }
        func u32(_ at: Int) -> UInt32 {
            UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
        }
        func u64be(_ at: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(b[at + $1]) }
        }
        let width = Int(u32(5)), height = Int(u32(9)), n = Int(u32(13))
        guard b.count == 17 + n * 40 else { return nil }
        var keypoints: [LocalKeypoint] = []
        var descriptors: [Hash256] = []
        keypoints.reserveCapacity(n)
        descriptors.reserveCapacity(n)
        for i in 0..<n {
            let at = 17 + i * 40
            descriptors.append(Hash256(words: SIMD4(u64be(at), u64be(at + 8), u64be(at + 16), u64be(at + 24))))
            keypoints.append(LocalKeypoint(x: Float(bitPattern: u32(at + 32)), y: Float(bitPattern: u32(at + 36)),
                                           level: 0, scale: 1, angle: 0, response: 0))
        }
        return LocalFeatures(width: width, height: height, keypoints: keypoints, descriptors: descriptors)
    }
}
