// RGB → luma as the `pdqhash` wrapper computes it (numpy, in double:
// `R*0.299 + G*0.587 + B*0.114`, then rounded to float).

extension PDQ {
    /// The BT.601 weights, multiplied in double: `(R·wr + G·wg) + B·wb` rounds exactly like numpy's
    /// expression (Swift does not contract it into fused multiply-adds).
    static let lumaWeights = (r: 0.299, g: 0.587, b: 0.114)

    /// Row-major luma (0…255) exactly as `pdqhash` feeds Meta's C++: the entry point for callers
    /// that keep luma around (e.g. to hash several crops).
    public static func luma(_ image: RGBImage) -> [Float] {
        let n = image.width * image.height
        let (wr, wg, wb) = lumaWeights
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            image.pixels.withUnsafeBufferPointer { px in
                for i in 0..<n {
                    let o = 3 * i
                    out[i] = Float(Double(px[o]) * wr + Double(px[o + 1]) * wg + Double(px[o + 2]) * wb)
                }
            }
            initialized = n
        }
    }
}
