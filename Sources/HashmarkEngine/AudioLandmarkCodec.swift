import HashmarkFingerprint

/// The stored form of a corpus recording's landmarks at the default `AudioFingerprint.Parameters`.
///
/// Layout (little-endian): `"HMAL"`, version `UInt8` = 1, frames `UInt32`, count `UInt32`, then
/// per landmark its hash `UInt32` and anchor frame `Int32`: 8 bytes a landmark, about 30 KiB a
/// minute of music.
public enum AudioLandmarkCodec {
    static let magic: [UInt8] = Array("HMAL".utf8)

    static func encode(_ f: AudioFingerprint) -> [UInt8] {
        var out = magic + [1]
        out.reserveCapacity(13 + f.landmarks.count * 8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        u32(UInt32(clamping: f.frames))
        u32(UInt32(clamping: f.landmarks.count))
        for l in f.landmarks {
            u32(l.hash)
            u32(UInt32(bitPattern: l.time))
        }
        return out
    }

    /// `nil` for anything malformed (wrong magic, version or length).
    public static func decode(_ b: [UInt8]) -> AudioFingerprint? {
        guard b.count >= 13, Array(b[0..<4]) == magic, b[4] == 1 else { return nil }
        func u32(_ at: Int) -> UInt32 {
            UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
        }
        let frames = Int(u32(5)), n = Int(u32(9))
        guard b.count == 13 + n * 8 else { return nil }
        var landmarks: [Landmark] = []
        landmarks.reserveCapacity(n)
        for i in 0..<n {
            let at = 13 + i * 8
            landmarks.append(Landmark(hash: u32(at), time: Int32(bitPattern: u32(at + 4))))
        }
        return AudioFingerprint(parameters: .init(), frames: frames, landmarks: landmarks)
    }
}
