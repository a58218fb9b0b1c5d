/// A weight matrix stored as int8 values with one float32 scale per `groupSize` consecutive values
/// of a row (PyTorch `[out, in]` layout in the file), re-laid out at load for the matrix product:
/// panels of `panelWidth` output rows, each panel a run of input pairs: for `k` and `k + 1` (`k`
/// even) the 32 outputs' two weights side by side, so that one pair gives `panelWidth` × 2
/// contiguous weights (what `vpdpwssd` multiplies; the float path splits them into even and odd)
/// and the product runs SIMD across outputs with no horizontal sums. For the float path each panel
/// is turned into float32 just before use (`dequantiseOnce: false`, 1 byte a weight held) or once
/// here (`true`, 4 bytes a weight held): see `NeuralKernels.linear`.
@_spi(Testing) public struct Int8GroupMatrix: Sendable {
    /// Output rows per panel: two `SIMD16<Float>`.
    public static let panelWidth = 32
    /// Output features (rows in the file).
    public let rows: Int
    /// Input features (columns in the file).
    public let cols: Int
    public let groupSize: Int
    /// `[rows / 32][cols / 2][32][2]` int8 values (empty when dequantised once).
    let panels: [Int8]
    /// `[rows / 32][cols / groupSize][32]` scales (empty when dequantised once).
    let panelScales: [Float]
    /// `[rows / 32][cols][32]` float32 weights when dequantised once at load, else empty.
    let dequantised: [Float]

    /// `values` row-major `[rows, cols]`, `scales` row-major `[rows, cols / groupSize]`. Returns nil
    /// when the sizes do not fit together (rows not a multiple of 32, cols not of `groupSize`, an odd
    /// `groupSize`).
    public init?(values: UnsafeBufferPointer<Int8>, scales: UnsafeBufferPointer<Float>, rows: Int, cols: Int,
                 groupSize: Int, dequantiseOnce: Bool) {
        let width = Self.panelWidth
        guard rows > 0, cols > 0, groupSize > 0, groupSize % 2 == 0, rows % width == 0, cols % groupSize == 0,
              values.count == rows * cols, scales.count == rows * (cols / groupSize) else { return nil }
        let groups = cols / groupSize
        self.rows = rows
        self.cols = cols
        self.groupSize = groupSize
        var panels = [Int8](repeating: 0, count: rows * cols)
        var panelScales = [Float](repeating: 0, count: rows * groups)
        for panel in 0..<(rows / width) {
            for j in 0..<width {
                let row = panel * width + j
                for k in 0..<cols {
                    panels[(panel * cols + (k & ~1)) * width + 2 * j + (k & 1)] = values[row * cols + k]
                }
                for g in 0..<groups { panelScales[(panel * groups + g) * width + j] = scales[row * groups + g] }
            }
        }
        if dequantiseOnce {
            var floats = [Float](repeating: 0, count: rows * cols)
            panels.withUnsafeBufferPointer { q in
                panelScales.withUnsafeBufferPointer { s in
                    floats.withUnsafeMutableBufferPointer { out in
                        for panel in 0..<(rows / width) {
                            NeuralKernels.dequantisePanel(cols: cols, groupSize: groupSize, panel: panel, values: q.baseAddress!,
                                                          scales: s.baseAddress!,
                                                          into: out.baseAddress! + panel * cols * width)
                        }
                    }
                }
            }
            dequantised = floats
            self.panels = []  // the float32 copy replaces them
            self.panelScales = []
        } else {
            self.panels = panels
            self.panelScales = panelScales
            dequantised = []
        }
    }

    /// Bytes this matrix holds (what a worker pays for it).
    public var residentBytes: Int {
        panels.count + panelScales.count * 4 + dequantised.count * 4
    }
}
