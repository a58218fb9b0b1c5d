extension LocalFeatureExtractor {
    /// The scale step between pyramid levels (`scaleFactor`, at least 1.01).
    var levelFactor: Double { max(1.01, Double(parameters.scaleFactor)) }

    /// Step 1, the pyramid: the grey image reduced so its longest side is at most `maxSide` (a box
    /// reduction by the integer part of the ratio, then bilinear), a faint image stretched to a
    /// normal contrast (`ContrastNormalisation`), then up to `levels` levels, level l of size
    /// base / scaleFactor^l resampled bilinearly from level l − 1. Levels too small for a
    /// keypoint's patch and its border are left out; an image too small for one level gives none.
    func pyramid(of grey: GreyImage) -> [GreyImage] {
        let p = parameters
        var base = grey
        let longest = max(grey.width, grey.height)
        let maxSide = min(max(64, p.maxSide), 65535)  // level coordinates fit 16 bits (rankKey)
        if longest > maxSide {
            let k = longest / maxSide
            if k >= 2 { base = base.boxReduced(by: k) }
            let s = Double(maxSide) / Double(longest)
            base = base.resized(width: max(1, Int((Double(grey.width) * s).rounded())),
                                height: max(1, Int((Double(grey.height) * s).rounded())))
        }
        base = ContrastNormalisation.normalised(base, target: p.contrastSpread, minGain: p.minContrastGain,
                                                maxGain: p.maxContrastGain).image
        let minSide = 2 * Self.edge + 8
        var levels: [GreyImage] = []
        var current = base
        let factor = levelFactor
        for l in 0..<max(1, p.levels) {
            if l > 0 {
                let sc = LocalMath.ipow(factor, l)
                let w = Int((Double(base.width) / sc).rounded()), h = Int((Double(base.height) / sc).rounded())
                guard w >= minSide, h >= minSide else { break }
                current = current.resized(width: w, height: h)
            }
            guard current.width >= minSide, current.height >= minSide else { break }
            levels.append(current)
        }
        return levels
    }
}
