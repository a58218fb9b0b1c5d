/// Contrast normalisation before the pyramid, for faint images (smooth wallpapers, fog, haze).
///
/// FAST compares intensity differences with fixed thresholds and BRIEF reads ties as 0, so an image
/// whose whole content spans 50 grey levels yields few corners and near-constant descriptors
/// (dropped as flat), although its structure is as repeatable as a normal image's. A linear
/// stretch to a normal spread (the percentile stretch of classic contrast enhancement, Gonzalez &
/// Woods, "Digital Image Processing", §3.2) makes the fixed thresholds relative to the image's own
/// contrast — the contrast invariance that SIFT gets by normalising its descriptor (Lowe 2004) and
/// that FAST's absolute thresholds lack. A linear map with gain ≥ 1 keeps the order of any two grey
/// levels (except where clipped), so BRIEF's comparisons keep their meaning; on the smoothed levels
/// it mostly breaks ties that 8-bit rounding had created. Images whose spread already reaches the
/// target are returned unchanged.
///
/// The spread is measured on a clipped histogram, as CLAHE clips its tile histograms (Zuiderveld,
/// "Contrast limited adaptive histogram equalization", Graphics Gems IV, 1994): no grey level
/// counts for more than `1/clipDivisor` of the samples, and the spread is taken between the 5 %
/// and 95 % points of what remains. A flat border added by padding or a rotation's fill covers up
/// to 40 % of an edited copy with one grey level; clipped, it weighs like one more occupied level
/// and falls outside the 5 % points, so an edited copy gets about the gain of its original.
public enum ContrastNormalisation {
    /// Spread of the clipped histogram between these quantiles.
    static let quantile = 0.05
    static let clipDivisor = 64

    /// Grey levels between the `quantile` and `1 − quantile` points of the clipped histogram
    /// (every other pixel of every other row sampled).
    public static func spread(_ img: GreyImage) -> (low: Int, high: Int) {
        var hist = [Int](repeating: 0, count: 256)
        var n = 0
        img.pixels.withUnsafeBufferPointer { px in
            var y = 0
            while y < img.height {
                let r = y * img.width
                var x = 0
                while x < img.width { hist[Int(px[r &+ x])] &+= 1; x &+= 2 }
                n &+= (img.width + 1) / 2
                y &+= 2
            }
        }
        guard n > 0 else { return (0, 255) }
        let clip = max(1, n / clipDivisor)
        var mass = 0
        for i in 0..<256 { hist[i] = min(hist[i], clip); mass += hist[i] }
        let cut = Double(mass) * quantile
        var low = 0, acc = 0
        while low < 255, Double(acc + hist[low]) <= cut { acc += hist[low]; low += 1 }
        var high = 255
        acc = 0
        while high > low, Double(acc + hist[high]) <= cut { acc += hist[high]; high -= 1 }
        return (low, high)
    }

    /// `img` stretched linearly about the middle of its spread so that the spread becomes
    /// `target` levels (clipped to 0…255), with the gain capped at `maxGain`; `img` itself, gain 1,
    /// when the gain would be below `minGain` or `target` is 0.
    public static func normalised(_ img: GreyImage, target: Int, minGain: Float, maxGain: Float) -> (image: GreyImage, gain: Float) {
        guard target > 0, maxGain > 1 else { return (img, 1) }
        let (low, high) = spread(img)
        let gain = min(maxGain, Float(min(target, 255)) / Float(max(1, high - low)))
        guard gain >= max(1, minGain), gain > 1 else { return (img, 1) }
        let mid = Float(low + high) / 2
        var lut = [UInt8](repeating: 0, count: 256)
        for v in 0..<256 {
            let m = ((Float(v) - mid) * gain + 127.5).rounded()
            lut[v] = UInt8(max(0, min(255, m)))
        }
        var out = img.pixels
        lut.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<o.count { o[i] = t[Int(o[i])] }
            }
        }
        return (GreyImage(uncheckedWidth: img.width, height: img.height, pixels: out), gain)
    }
}
