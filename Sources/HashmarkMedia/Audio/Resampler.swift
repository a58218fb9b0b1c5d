import CSamplerate

/// Streaming mono resampling through libsamplerate's `src_process` (SRC_SINC_FASTEST), so a long
/// recording is converted chunk by chunk and only the output is kept whole.
final class Resampler {
    private let state: OpaquePointer
    private let ratio: Double

    convenience init(from sourceRate: Int, to targetRate: Int) throws(MediaError) {
        try self.init(ratio: Double(targetRate) / Double(sourceRate))
    }

    /// `ratio`: output samples per input sample.
    init(ratio: Double) throws(MediaError) {
        var error: Int32 = 0
        guard let state = src_new(Int32(SRC_SINC_FASTEST), 1, &error) else {
            throw MediaError(code: MediaError.Code.internalError, message: "libsamplerate could not start.",
                             underlying: Self.message(error))
        }
        self.state = state
        self.ratio = ratio
    }

    deinit { src_delete(state) }

    /// Converts `input` and appends the result to `output`; `end` flushes the filter's tail.
    func process(_ input: UnsafeBufferPointer<Float>, end: Bool, into output: inout [Float]) throws(MediaError) {
        var chunk = [Float](repeating: 0, count: Int((Double(input.count) * ratio).rounded(.up)) + 256)
        var consumed = 0
        while true {
            let remaining = input.count - consumed
            var data = SRC_DATA()
            let generated: Int = try chunk.withUnsafeMutableBufferPointer { out throws(MediaError) -> Int in
                data.data_in = remaining > 0 ? input.baseAddress.map { UnsafePointer($0 + consumed) } : nil
                data.input_frames = remaining
                data.data_out = out.baseAddress
                data.output_frames = out.count
                data.end_of_input = end ? 1 : 0
                data.src_ratio = ratio
                let status = src_process(state, &data)
                guard status == 0 else {
                    throw MediaError(code: MediaError.Code.internalError, message: "libsamplerate failed.",
                                     underlying: Self.message(status))
                }
                return data.output_frames_gen
            }
            consumed += data.input_frames_used
            output.append(contentsOf: chunk.prefix(generated))
            // Done once the input is used and (when flushing) the tail is out.
            if consumed >= input.count && (!end || generated == 0) { return }
            if generated == 0 && data.input_frames_used == 0 { return }
        }
    }

    private static func message(_ error: Int32) -> String {
        src_strerror(error).map { String(cString: $0) } ?? "error \(error)"
    }
}

/// Whole-buffer resampling through libsamplerate (SRC_SINC_FASTEST), for edits of decoded audio.
public enum AudioResampling {
    /// `x` stretched to `ratio` times as many samples (below 1: shorter). Played at the same
    /// rate, a ratio of 1/1.05 sounds 5 % faster and 5 % higher.
    public static func resample(_ x: [Float], ratio: Double) throws(MediaError) -> [Float] {
        guard ratio > 1.0 / 256, ratio < 256 else {
            throw MediaError(code: MediaError.Code.invalidArgument, message: "A resampling ratio must be within 1/256…256.")
        }
        let resampler = try Resampler(ratio: ratio)
        var out: [Float] = []
        out.reserveCapacity(Int(Double(x.count) * ratio) + 256)
        try x.withUnsafeBufferPointer { buf throws(MediaError) in try resampler.process(buf, end: false, into: &out) }
        try resampler.process(UnsafeBufferPointer(start: nil, count: 0), end: true, into: &out)
        return out
    }
}
