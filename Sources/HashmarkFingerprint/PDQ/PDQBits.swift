// Median thresholding and the eight dihedral variants, derived from one 16×16 DCT by sign flips
// and transposition (pdqhashing.cpp `dct16OriginalTo…`, `pdqBuffer16x16ToBits`, torben.cpp).

extension PDQKernels {
    /// Torben Mogensen's median without sorting: the value the reference thresholds against.
    /// Ties and the `(n + 1) / 2` rule are the reference's; an empty input gives 0.
    public static func torbenMedian(_ m: [Float]) -> Float {
        let n = m.count
        guard n > 0 else { return 0 }
        var lo = m[0], hi = m[0]
        for x in m.dropFirst() {
            if x < lo { lo = x }
            if x > hi { hi = x }
        }
        var less = 0, greater = 0, equal = 0
        var guess: Float = 0, maxLtGuess: Float = 0, minGtGuess: Float = 0
        let halfN = (n + 1) / 2
        while true {
            guess = (lo + hi) / 2
            less = 0; greater = 0; equal = 0
            maxLtGuess = lo
            minGtGuess = hi
            for x in m {
                if x < guess {
                    less += 1
                    if x > maxLtGuess { maxLtGuess = x }
                } else if x > guess {
                    greater += 1
                    if x < minGtGuess { minGtGuess = x }
                } else {
                    equal += 1
                }
            }
            if less <= halfN && greater <= halfN { break }
            if less > greater { hi = maxLtGuess } else { lo = minGtGuess }
        }
        if less >= halfN { return maxLtGuess }
        if less + equal >= halfN { return guess }
        return minGtGuess
    }

    /// Bit `k = 16 i + j` of the reference's `Hash256` is set when `B[i][j]` exceeds the median.
    /// The reference's bit `k` is bit `255 - k` of `Hash256` here (ThreatExchange hex order),
    /// i.e. bit `k % 64` of `words[3 - k / 64]`.
    public static func bits(_ b: [Float]) -> Hash256 {
        guard b.count == 256 else { return .zero }
        let median = torbenMedian(b)
        var words = SIMD4<UInt64>.zero
        for k in 0..<256 where b[k] > median {
            words[3 - (k >> 6)] |= UInt64(1) << UInt64(k & 63)
        }
        return Hash256(words: words)
    }

    /// The 16×16 DCT of the image turned or mirrored, in `pdqhash.compute_dihedral` order:
    /// original, rotate 90, rotate 180, rotate 270, flip X, flip Y, flip +1 (transpose),
    /// flip −1 (anti-transpose). Index `d` in 0…7; other values return the input unchanged.
    public static func dihedralDCT(_ a: [Float], variant d: Int) -> [Float] {
        guard a.count == 256 else { return a }
        var b = [Float](repeating: 0, count: 256)
        for i in 0..<16 {
            for j in 0..<16 {
                let v = a[i * 16 + j]
                switch d {
                case 1: b[j * 16 + i] = (j & 1) != 0 ? v : -v
                case 2: b[i * 16 + j] = ((i + j) & 1) != 0 ? -v : v
                case 3: b[j * 16 + i] = (i & 1) != 0 ? v : -v
                case 4: b[i * 16 + j] = (i & 1) != 0 ? v : -v
                case 5: b[i * 16 + j] = (j & 1) != 0 ? v : -v
                case 6: b[j * 16 + i] = v
                case 7: b[j * 16 + i] = ((i + j) & 1) != 0 ? -v : v
                default: b[i * 16 + j] = v
                }
            }
        }
        return b
    }
}
