/// The features kept so far in one extraction.
struct FeatureSink {
    var keypoints: [LocalKeypoint] = []
    var descriptors: [Hash256] = []
    /// Present when the mirrored descriptors are asked for.
    var mirrored: [Hash256]?

    init(includeMirrored: Bool) { mirrored = includeMirrored ? [] : nil }

    func features(width: Int, height: Int) -> LocalFeatures {
        LocalFeatures(width: width, height: height, keypoints: keypoints, descriptors: descriptors,
                      mirroredDescriptors: mirrored)
    }
}

extension LocalFeatureExtractor {
    /// Descriptors with fewer set (or clear) bits than this are dropped as flat.
    static let minDescriptorBits = 32

    /// Step 4, the description of the `ranked` keypoints of pyramid level `l`: the intensity-centroid
    /// orientation over a radius-15 disc, then steered BRIEF on the level smoothed by `LocalBlur`
    /// (only each keypoint's patch is smoothed; the scalar path smooths the whole level), and the
    /// mirrored descriptor of the same keypoint when `sink` collects them. Keypoints go into `sink`
    /// in original-image coordinates; a near-constant descriptor is dropped with its keypoint.
    func describe(_ ranked: [RankedCorner], on level: GreyImage, index l: Int, originalWidth: Int, originalHeight: Int,
                  scratch: LocalBlur.Scratch, useSIMD: Bool, into sink: inout FeatureSink) {
        let smooth = useSIMD ? level : LocalBlur.scalar(level)
        let sx = Float(originalWidth) / Float(level.width), sy = Float(originalHeight) / Float(level.height)
        level.pixels.withUnsafeBufferPointer { px in
            smooth.pixels.withUnsafeBufferPointer { sm in
                guard let base = UnsafeRawPointer(px.baseAddress) else { return }
                let w = level.width
                for c in ranked {
                    let x = Int(c.x), y = Int(c.y)
                    let (m10, m01) = useSIMD ? ORBKernels.moments(base, width: w, x, y)
                                             : ORBKernels.momentsScalar(px, width: w, x, y)
                    let angle = LocalMath.atan2f(Float(m01), Float(m10))
                    let cs = LocalMath.cosf(angle), sn = LocalMath.sinf(angle)
                    if useSIMD {
                        LocalBlur.patch(px, width: w, height: level.height, cx: x, cy: y,
                                        window: scratch.window, rows: scratch.rows, into: scratch.patch)
                    }
                    func describe(_ mirror: Bool) -> Hash256 {
                        let r = LocalBlur.patchRadius
                        return useSIMD
                            ? pattern.describe(scratch.patchBuffer, width: LocalBlur.patchStride,
                                               cx: r, cy: r, cos: cs, sin: sn, mirror: mirror)
                            : pattern.describeScalar(sm, width: w, cx: x, cy: y, cos: cs, sin: sn, mirror: mirror)
                    }
                    let d = describe(false)
                    // A near-constant descriptor comes from a flat patch (ties read as 0): it would
                    // match flat patches of every work, so it is dropped.
                    let ones = d.words[0].nonzeroBitCount + d.words[1].nonzeroBitCount
                        + d.words[2].nonzeroBitCount + d.words[3].nonzeroBitCount
                    guard ones >= Self.minDescriptorBits, ones <= 256 - Self.minDescriptorBits else { continue }
                    sink.keypoints.append(LocalKeypoint(x: (Float(x) + 0.5) * sx - 0.5, y: (Float(y) + 0.5) * sy - 0.5,
                                                        level: l, scale: (sx + sy) / 2, angle: angle, response: c.r))
                    sink.descriptors.append(d)
                    if sink.mirrored != nil { sink.mirrored?.append(describe(true)) }
                }
            }
        }
    }
}
