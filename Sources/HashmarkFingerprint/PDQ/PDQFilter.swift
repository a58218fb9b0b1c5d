// Jarosz tent filter (two passes of 1-D box filters along rows then columns) and decimation,
// arithmetic in the same order as Meta's pdq/cpp/downscaling so results are bit-identical.
// Each SIMD kernel runs the reference's sequential running sum in 8 independent lanes (8 rows
// or 8 columns at once), so every lane performs exactly the scalar operations.

extension PDQKernels {
    /// Meta's window size for one box pass: half of `old / new`, rounded up (two passes make a tent).
    @inlinable public static func jaroszWindowSize(old: Int, new: Int) -> Int {
        (old + 2 * new - 1) / (2 * new)
    }

    /// In-place two-dimensional Jarosz filter of a row-major `rows × cols` buffer, SIMD path.
    /// Windows are clamped to `1...dimension` so the kernel stays memory-safe for any argument;
    /// buffers whose count is not `rows * cols` are left untouched.
    public static func jaroszFilter(_ buffer: inout [Float], rows: Int, cols: Int,
                                    windowAlongRows: Int, windowAlongCols: Int, passes: Int) {
        jarosz(&buffer, rows: rows, cols: cols, windowAlongRows: windowAlongRows,
               windowAlongCols: windowAlongCols, passes: passes, simd: true)
    }

    /// Scalar twin of `jaroszFilter`: a plain transcription of the reference, one row or column
    /// at a time.
    public static func jaroszFilterScalar(_ buffer: inout [Float], rows: Int, cols: Int,
                                          windowAlongRows: Int, windowAlongCols: Int, passes: Int) {
        jarosz(&buffer, rows: rows, cols: cols, windowAlongRows: windowAlongRows,
               windowAlongCols: windowAlongCols, passes: passes, simd: false)
    }

    static func jarosz(_ buffer: inout [Float], rows: Int, cols: Int, windowAlongRows: Int,
                       windowAlongCols: Int, passes: Int, simd: Bool) {
        guard rows > 0, cols > 0, buffer.count == rows * cols else { return }
        let wr = Swift.min(Swift.max(windowAlongRows, 1), cols)
        let wc = Swift.min(Swift.max(windowAlongCols, 1), rows)
        var scratch = [Float](repeating: 0, count: buffer.count)
        buffer.withUnsafeMutableBufferPointer { b1 in
            scratch.withUnsafeMutableBufferPointer { b2 in
                guard let p1 = b1.baseAddress, let p2 = b2.baseAddress else { return }
                for _ in 0..<Swift.max(passes, 0) {
                    if simd {
                        boxAlongRowsSIMD(p1, p2, rows: rows, cols: cols, window: wr)
                        boxAlongColsSIMD(p2, p1, rows: rows, cols: cols, window: wc)
                    } else {
                        for i in 0..<rows {
                            box1DScalar(p1 + i * cols, p2 + i * cols, length: cols, stride: 1, window: wr)
                        }
                        for j in 0..<cols {
                            box1DScalar(p2 + j, p1 + j, length: rows, stride: cols, window: wc)
                        }
                    }
                }
            }
        }
    }

    /// The reference's `box1DFloat`; `1 <= window <= length` is the caller's duty.
    @inline(__always)
    static func box1DScalar(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                            length: Int, stride: Int, window: Int) {
        let half = (window + 2) / 2
        var li = 0, ri = 0, oi = 0
        var sum: Float = 0
        var count = 0
        for _ in 0..<(half - 1) {
            sum += input[ri]; count += 1; ri += stride
        }
        for _ in 0..<(window - half + 1) {
            sum += input[ri]; count += 1
            output[oi] = sum / Float(count)
            ri += stride; oi += stride
        }
        for _ in 0..<(length - window) {
            sum += input[ri]
            sum -= input[li]
            output[oi] = sum / Float(count)
            li += stride; ri += stride; oi += stride
        }
        for _ in 0..<(half - 1) {
            sum -= input[li]; count -= 1
            output[oi] = sum / Float(count)
            li += stride; oi += stride
        }
    }

    /// Columns `j..<j+8` filtered together: contiguous 8-float loads per row.
    static func boxAlongColsSIMD(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                                 rows: Int, cols: Int, window: Int) {
        let half = (window + 2) / 2
        var j = 0
        while j + 8 <= cols {
            let inBase = UnsafeRawPointer(input + j)
            let outBase = UnsafeMutableRawPointer(output + j)
            let rowBytes = cols * MemoryLayout<Float>.stride
            var li = 0, ri = 0, oi = 0
            var sum = SIMD8<Float>(repeating: 0)
            var count = 0
            for _ in 0..<(half - 1) {
                sum += inBase.loadUnaligned(fromByteOffset: ri, as: SIMD8<Float>.self)
                count += 1; ri += rowBytes
            }
            for _ in 0..<(window - half + 1) {
                sum += inBase.loadUnaligned(fromByteOffset: ri, as: SIMD8<Float>.self)
                count += 1
                outBase.storeBytes(of: sum / SIMD8(repeating: Float(count)), toByteOffset: oi,
                                   as: SIMD8<Float>.self)
                ri += rowBytes; oi += rowBytes
            }
            let divisor = SIMD8<Float>(repeating: Float(count))
            for _ in 0..<(rows - window) {
                sum += inBase.loadUnaligned(fromByteOffset: ri, as: SIMD8<Float>.self)
                sum -= inBase.loadUnaligned(fromByteOffset: li, as: SIMD8<Float>.self)
                outBase.storeBytes(of: sum / divisor, toByteOffset: oi, as: SIMD8<Float>.self)
                li += rowBytes; ri += rowBytes; oi += rowBytes
            }
            for _ in 0..<(half - 1) {
                sum -= inBase.loadUnaligned(fromByteOffset: li, as: SIMD8<Float>.self)
                count -= 1
                outBase.storeBytes(of: sum / SIMD8(repeating: Float(count)), toByteOffset: oi,
                                   as: SIMD8<Float>.self)
                li += rowBytes; oi += rowBytes
            }
            j += 8
        }
        while j < cols {
            box1DScalar(input + j, output + j, length: rows, stride: cols, window: window)
            j += 1
        }
    }

    /// Rows `r..<r+8` filtered together: one lane per row, gathered column by column.
    static func boxAlongRowsSIMD(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                                 rows: Int, cols: Int, window: Int) {
        let half = (window + 2) / 2
        var r = 0
        @inline(__always) func gather(_ p: UnsafePointer<Float>, _ c: Int) -> SIMD8<Float> {
            SIMD8(p[c], p[c + cols], p[c + 2 * cols], p[c + 3 * cols],
                  p[c + 4 * cols], p[c + 5 * cols], p[c + 6 * cols], p[c + 7 * cols])
        }
        @inline(__always) func scatter(_ p: UnsafeMutablePointer<Float>, _ c: Int, _ v: SIMD8<Float>) {
            p[c] = v[0]; p[c + cols] = v[1]; p[c + 2 * cols] = v[2]; p[c + 3 * cols] = v[3]
            p[c + 4 * cols] = v[4]; p[c + 5 * cols] = v[5]; p[c + 6 * cols] = v[6]; p[c + 7 * cols] = v[7]
        }
        while r + 8 <= rows {
            let inp = input + r * cols
            let out = output + r * cols
            var li = 0, ri = 0, oi = 0
            var sum = SIMD8<Float>(repeating: 0)
            var count = 0
            for _ in 0..<(half - 1) {
                sum += gather(inp, ri); count += 1; ri += 1
            }
            for _ in 0..<(window - half + 1) {
                sum += gather(inp, ri); count += 1
                scatter(out, oi, sum / SIMD8(repeating: Float(count)))
                ri += 1; oi += 1
            }
            let divisor = SIMD8<Float>(repeating: Float(count))
            for _ in 0..<(cols - window) {
                sum += gather(inp, ri)
                sum -= gather(inp, li)
                scatter(out, oi, sum / divisor)
                li += 1; ri += 1; oi += 1
            }
            for _ in 0..<(half - 1) {
                sum -= gather(inp, li); count -= 1
                scatter(out, oi, sum / SIMD8(repeating: Float(count)))
                li += 1; oi += 1
            }
            r += 8
        }
        while r < rows {
            box1DScalar(input + r * cols, output + r * cols, length: cols, stride: 1, window: window)
            r += 1
        }
    }

    /// Samples the 64×64 grid at pixel centres, as the reference's `decimateFloat` does.
    static func decimate64(_ input: UnsafePointer<Float>, rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 64 * 64)
        for oi in 0..<64 {
            let ii = Int((Double(oi) + 0.5) * Double(rows) / 64.0)
            for oj in 0..<64 {
                let ij = Int((Double(oj) + 0.5) * Double(cols) / 64.0)
                out[oi * 64 + oj] = input[ii * cols + ij]
            }
        }
        return out
    }
}
