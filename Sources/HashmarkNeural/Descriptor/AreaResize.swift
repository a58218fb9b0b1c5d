/// Box-filter resampling with fractional coverage, the descriptor's one input resize (and
/// `Scripts/train-descriptor/augment.area_resize`'s definition): output cell `i` of `n` averages
/// input `[i·s, (i+1)·s)`, `s = input / n`, each input sample weighted by the length it covers.
/// Separable: rows first, then columns, in Float.
enum AreaResize {
    /// `(first input index, weights)` of each output cell along one axis.
    static func coverage(input: Int, output: Int) -> [(start: Int, weights: [Float])] {
        let s = Double(input) / Double(output)
        return (0..<output).map { i in
            let a = Double(i) * s, b = Double(i + 1) * s
            let j0 = Int(a.rounded(.down)), j1 = min(input, Int(b.rounded(.up)))
            var w = (j0..<j1).map { j in Float(min(b, Double(j + 1)) - max(a, Double(j))) }
            let total = w.reduce(0, +)
            for k in w.indices { w[k] /= total }
            return (j0, w)
        }
    }

    /// RGB bytes `[height, width, 3]` to Float `[size, size, 3]`, not rounded.
    static func resize(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int, to size: Int) -> [Float] {
        let ry = coverage(input: height, output: size), rx = coverage(input: width, output: size)
        let rowLength = width * 3
        // Vertical pass: `size` rows of `width × 3`, each a weighted sum of the input rows it
        // covers (a plain loop over contiguous memory, which the compiler vectorises).
        var rows = [Float](repeating: 0, count: size * rowLength)
        rows.withUnsafeMutableBufferPointer { out in
            guard let src = rgb.baseAddress, let dstBase = out.baseAddress else { return }
            for (i, cell) in ry.enumerated() {
                let dst = dstBase + i * rowLength
                for (t, wt) in cell.weights.enumerated() {
                    let row = src + (cell.start + t) * rowLength
                    for j in 0..<rowLength { dst[j] += wt * Float(row[j]) }
                }
            }
        }
        var out = [Float](repeating: 0, count: size * size * 3)
        rows.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<size {
                    let row = r.baseAddress! + y * rowLength
                    for (i, cell) in rx.enumerated() {
                        var red: Float = 0, green: Float = 0, blue: Float = 0
                        var p = row + cell.start * 3
                        for wt in cell.weights {
                            red += wt * p[0]; green += wt * p[1]; blue += wt * p[2]
                            p += 3
                        }
                        let d = (y * size + i) * 3
                        o[d] = red; o[d + 1] = green; o[d + 2] = blue
                    }
                }
            }
        }
        return out
    }
}
