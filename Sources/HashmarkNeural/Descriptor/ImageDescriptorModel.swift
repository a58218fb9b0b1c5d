import Foundation

/// Hashmark's image copy descriptor: an EfficientNet-Lite0 trunk (MBConv blocks with folded batch
/// norm and ReLU6), generalised-mean pooling (p = 3), a linear projection and L2 normalisation, as
/// trained by `Scripts/train-descriptor/train.py` and written by `export.py` into
/// `Models/image-descriptor/`. Pixels in, a unit vector out; reading the files is the caller's.
public struct ImageDescriptorModel: Sendable {
    struct Block: Sendable {
        let expand: PanelWeights?
        let kernel: Int
        let stride: Int
        /// `[k, k, mid]`, channels fastest.
        let depthwise: [Float]
        let depthwiseBias: [Float]
        let project: PanelWeights
        let residual: Bool
    }

    /// `background.bin` as `model.json` describes it: `count` descriptors of unrelated images
    /// (float32 rows of `dimension`), and which of a query's highest cosines with them (`rank`)
    /// the matcher subtracts from a pair's cosine.
    public struct Background: Sendable, Decodable, Equatable {
        public let count: Int
        public let rank: Int
        public let sha256: String
        public let source: String
    }

    /// The model id from `model.json` (named in every report that rests on it).
    public let id: String
    /// The background set's description; nil when the model ships none.
    public let background: Background?
    /// Length of the output vector.
    public let dimension: Int
    /// Side of the square the image is resized to.
    public let inputSize: Int
    let mean: Float
    let scale: Float
    let stem: PanelWeights
    let blocks: [Block]
    let head: PanelWeights
    let projection: PanelWeights

    /// The folder under `Models/` that holds the files.
    public static let folder = "image-descriptor"

    /// Builds the network from `model.json` and `weights.bin`; every tensor's presence, shape and
    /// extent is checked here, so a damaged file fails at load, not mid-inference.
    public init(manifestJSON: Data, weights: Data) throws(NeuralError) {
        let m: DescriptorManifest
        do { m = try JSONDecoder().decode(DescriptorManifest.self, from: manifestJSON) } catch {
            throw NeuralError(.manifest, "model.json of the image descriptor", underlying: error)
        }
        guard m.format == MiniLMModelFiles.format else {
            throw NeuralError(.unsupported, "format \(m.format), expected \(MiniLMModelFiles.format)")
        }
        let a = m.architecture
        guard a.activation == "relu6", a.gemP == 3 else {
            throw NeuralError(.unsupported, "activation \(a.activation) / GeM p \(a.gemP): relu6 and 3 are implemented")
        }
        guard a.input >= 32, a.input <= 512, a.stemChannels % 16 == 0, a.headChannels % 16 == 0, a.dimension > 0,
              a.scale != 0, !a.blocks.isEmpty else {
            throw NeuralError(.architecture, "input \(a.input), stem \(a.stemChannels), head \(a.headChannels)")
        }
        let table = Dictionary(m.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let result = weights.withUnsafeBytes { raw in Result { () throws(NeuralError) -> (PanelWeights, [Block], PanelWeights, PanelWeights) in
            let reader = MiniLMTensorReader(table: table, weights: raw)
            try reader.validateAll()
            func panel(_ name: String, _ cout: Int, _ cin: Int) throws(NeuralError) -> PanelWeights {
                PanelWeights(w: try reader.float32(name + ".weight", shape: [cout, cin]),
                             bias: try reader.float32(name + ".bias", shape: [cout]), cout: cout, cin: cin)
            }
            let stem = try panel("stem", a.stemChannels, 27)
            var blocks: [Block] = []
            var channels = a.stemChannels
            for (i, b) in a.blocks.enumerated() {
                guard b.count == 5, b[0] >= 1, [3, 5].contains(b[1]), [1, 2].contains(b[2]), b[3] == channels, b[4] > 0 else {
                    throw NeuralError(.architecture, "block \(i): \(b) after \(channels) channels")
                }
                let (e, k, s, cin, cout) = (b[0], b[1], b[2], b[3], b[4])
                let mid = cin * e
                guard mid % 16 == 0 else { throw NeuralError(.architecture, "block \(i): \(mid) channels, not a multiple of 16") }
                let name = "blocks.\(i)"
                let dw = try reader.float32(name + ".depthwise.weight", shape: [mid, k, k])
                var relaid = [Float](repeating: 0, count: dw.count)
                for c in 0..<mid { for t in 0..<(k * k) { relaid[t * mid + c] = dw[c * k * k + t] } }
                blocks.append(Block(
                    expand: e == 1 ? nil : try panel(name + ".expand", mid, cin), kernel: k, stride: s,
                    depthwise: relaid, depthwiseBias: try reader.float32(name + ".depthwise.bias", shape: [mid]),
                    project: try panel(name + ".project", cout, mid), residual: s == 1 && cin == cout))
                channels = cout
            }
            return (stem, blocks, try panel("head", a.headChannels, channels),
                    try panel("projection", a.dimension, a.headChannels))
        } }
        let built = try result.get()
        if let b = m.background, b.count < 1 || b.rank < 1 || b.rank > b.count {
            throw NeuralError(.manifest, "background: \(b.count) vectors, rank \(b.rank)")
        }
        background = m.background
        id = m.model
        dimension = a.dimension
        inputSize = a.input
        mean = a.mean
        scale = a.scale
        (stem, blocks, head, projection) = built
    }

    /// The descriptor of an RGB image (`width × height × 3` bytes): area resize to the input square,
    /// rounded to bytes as in training, scaled, then the network.
    public func embed(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int) throws(NeuralError) -> [Float] {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw NeuralError(.invalidInput, "\(width) × \(height) image with \(rgb.count) bytes")
        }
        let resized = AreaResize.resize(rgb: rgb, width: width, height: height, to: inputSize)
        let (mean, scale) = (self.mean, self.scale)
        return embed(normalised: resized.map { (min(max($0, 0), 255).rounded(.toNearestOrEven) - mean) / scale })
    }

    /// The network on an already scaled `[input, input, 3]` tensor (channels fastest).
    @_spi(Testing) public func embed(normalised x: [Float]) -> [Float] {
        var h = inputSize, w = inputSize
        // Stem: 3 × 3, stride 2, padding 1, as an im2col product (patch order ky, kx, channel).
        let oh = (h - 1) / 2 + 1, ow = (w - 1) / 2 + 1
        var patches = [Float](repeating: 0, count: oh * ow * 27)
        for oy in 0..<oh {
            for ox in 0..<ow {
                for ky in 0..<3 {
                    let iy = oy * 2 - 1 + ky
                    guard iy >= 0, iy < h else { continue }
                    for kx in 0..<3 {
                        let ix = ox * 2 - 1 + kx
                        guard ix >= 0, ix < w else { continue }
                        for c in 0..<3 { patches[((oy * ow + ox) * 9 + ky * 3 + kx) * 3 + c] = x[(iy * w + ix) * 3 + c] }
                    }
                }
            }
        }
        (h, w) = (oh, ow)
        var act = Self.pointwise(patches, pixels: h * w, stem, relu6: true, residual: false)
        for b in blocks {
            let expanded = b.expand.map { Self.pointwise(act, pixels: h * w, $0, relu6: true, residual: false) } ?? act
            let mid = b.depthwise.count / (b.kernel * b.kernel)
            let pad = b.kernel / 2
            let dh = (h + 2 * pad - b.kernel) / b.stride + 1, dw = (w + 2 * pad - b.kernel) / b.stride + 1
            var spatial = [Float](repeating: 0, count: dh * dw * mid)
            expanded.withUnsafeBufferPointer { e in
                b.depthwise.withUnsafeBufferPointer { k in
                    b.depthwiseBias.withUnsafeBufferPointer { bias in
                        spatial.withUnsafeMutableBufferPointer { out in
                            ConvKernels.depthwise(e.baseAddress!, height: h, width: w, channels: mid, kernel: b.kernel,
                                                  stride: b.stride, weights: k.baseAddress!, bias: bias.baseAddress!,
                                                  into: out.baseAddress!)
                        }
                    }
                }
            }
            (h, w) = (dh, dw)
            act = b.residual
                ? Self.pointwise(spatial, pixels: h * w, b.project, relu6: false, residual: true, adding: act)
                : Self.pointwise(spatial, pixels: h * w, b.project, relu6: false, residual: false)
        }
        let features = Self.pointwise(act, pixels: h * w, head, relu6: true, residual: false)
        var pooled = [Float](repeating: 0, count: head.cout)
        features.withUnsafeBufferPointer { f in
            pooled.withUnsafeMutableBufferPointer { p in
                ConvKernels.gem3(f.baseAddress!, pixels: h * w, channels: head.cout, into: p.baseAddress!)
            }
        }
        var out = Self.pointwise(pooled, pixels: 1, projection, relu6: false, residual: false)
        out.withUnsafeMutableBufferPointer { NeuralKernels.l2Normalise($0.baseAddress!, $0.count) }
        return out
    }

    static func pointwise(_ x: [Float], pixels: Int, _ weights: PanelWeights, relu6: Bool, residual: Bool,
                          adding skip: [Float] = []) -> [Float] {
        var y = [Float](repeating: 0, count: pixels * weights.cout)
        x.withUnsafeBufferPointer { xp in
            skip.withUnsafeBufferPointer { sp in
                y.withUnsafeMutableBufferPointer { yp in
                    ConvKernels.pointwise(xp.baseAddress!, pixels: pixels, weights: weights, relu6: relu6,
                                          residual: residual ? sp.baseAddress : nil, into: yp.baseAddress!)
                }
            }
        }
        return y
    }
}
