extension MiniLM {
    /// The L2-normalised sentence embedding (`dimension` floats) of `tokenIDs`, which must be what
    /// the WordPiece tokenizer gives, [CLS] … [SEP] included, at most `maxTokens` of them, no padding.
    /// All tokens are attended to and averaged, as sentence-transformers does for one sentence.
    public func embed(tokenIDs: [Int32]) throws(NeuralError) -> [Float] {
        try embed(batch: [tokenIDs])[0]
    }

    /// The embeddings of several sentences (each as `embed(tokenIDs:)` takes it) in one pass: their
    /// tokens go through every linear layer together, so the weights are read once a layer for
    /// the batch instead of once a sentence (the fixed ~1.1 ms of a sentence on AVX-512 VNNI,
    /// Benchmarks/MINILM.md), while attention and pooling stay within each sentence. Every
    /// result equals `embed(tokenIDs:)` of its sentence bit for bit: each token's arithmetic in
    /// a linear layer, layer norm and GELU does not depend on the other tokens.
    public func embed(batch: [[Int32]]) throws(NeuralError) -> [[Float]] {
        for tokenIDs in batch {
            let n = tokenIDs.count
            guard n > 0, n <= maxTokens else {
                throw NeuralError(.invalidInput, "\(n) token ids: the model takes 1 to \(maxTokens)")
            }
            if let bad = tokenIDs.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
                throw NeuralError(.invalidInput, "token id \(bad) is outside the vocabulary (\(vocabularySize))")
            }
        }
        guard let longest = batch.map(\.count).max() else { return [] }
        let counts = batch.map(\.count), n = counts.reduce(0, +)
        let h = dimension, inter = intermediateSize, padded = (longest + 15) / 16 * 16
        // x, q, k, v, context, tmp: n × h each; the FFN's n × inter; one sentence's scores; one
        // head's keys transposed; one weight panel.
        let sizes = [n * h, n * h, n * h, n * h, n * h, n * h, n * inter, padded, padded * h / heads,
                     inter * Int8GroupMatrix.panelWidth]
        var scratch = [Float](repeating: 0, count: sizes.reduce(0, +))
        var out = [Float](repeating: 0, count: batch.count * h)
        scratch.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress!
            var parts: [UnsafeMutablePointer<Float>] = []
            for size in sizes { parts.append(cursor); cursor += size }
            let (x, q, k, v, context, tmp, ffn, scores, keysT, panel) =
                (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7], parts[8], parts[9])
            // Each sentence's first token row.
            var starts: [Int] = [], row = 0
            for c in counts { starts.append(row); row += c }
            for (tokenIDs, start) in zip(batch, starts) { embedTokens(tokenIDs, into: x + start * h) }
            embeddingGamma.withUnsafeBufferPointer { g in
                embeddingBeta.withUnsafeBufferPointer { b in
                    NeuralKernels.layerNorm(x, rows: n, width: h, gamma: g.baseAddress!, beta: b.baseAddress!, eps: eps)
                }
            }
            for layer in layers {
                linear(x, n, layer.query, layer.queryBias, q, panel)
                linear(x, n, layer.key, layer.keyBias, k, panel)
                linear(x, n, layer.value, layer.valueBias, v, panel)
                for (c, start) in zip(counts, starts) {
                    let at = start * h
                    attention(q + at, k + at, v + at, tokens: c, scores: scores, keysT: keysT, into: context + at)
                }
                linear(context, n, layer.attentionOutput, layer.attentionOutputBias, tmp, panel)
                addAndNorm(tmp, x, n, layer.attentionNormGamma, layer.attentionNormBeta)
                linear(x, n, layer.intermediate, layer.intermediateBias, ffn, panel)
                NeuralKernels.gelu(ffn, n * inter)
                linear(ffn, n, layer.output, layer.outputBias, tmp, panel)
                addAndNorm(tmp, x, n, layer.outputNormGamma, layer.outputNormBeta)
            }
            out.withUnsafeMutableBufferPointer { o in
                for (i, (c, start)) in zip(counts, starts).enumerated() {
                    NeuralKernels.meanPool(x + start * h, rows: c, width: h, into: o.baseAddress! + i * h)
                    NeuralKernels.l2Normalise(o.baseAddress! + i * h, h)
                }
            }
        }
        return (0..<batch.count).map { Array(out[($0 * h)..<(($0 + 1) * h)]) }
    }

    /// Word (int8 groups, dequantised row by row) + position + token type 0.
    private func embedTokens(_ ids: [Int32], into x: UnsafeMutablePointer<Float>) {
        let h = dimension, groups = h / wordGroup
        for (t, id) in ids.enumerated() {
            let row = Int(id)
            for c in 0..<h {
                let word = Float(wordValues[row * h + c]) * wordScales[row * groups + c / wordGroup]
                x[t * h + c] = word + positions[t * h + c] + tokenType0[c]
            }
        }
    }

    private func linear(_ x: UnsafePointer<Float>, _ n: Int, _ m: Int8GroupMatrix, _ bias: [Float],
                        _ y: UnsafeMutablePointer<Float>, _ panel: UnsafeMutablePointer<Float>) {
        bias.withUnsafeBufferPointer { b in
            NeuralKernels.linear(x, tokens: n, matrix: m, bias: b.baseAddress!, into: y, panelScratch: panel,
                                 int16: int16Activations)
        }
    }

    /// `x = layerNorm(sum + x)`.
    private func addAndNorm(_ sum: UnsafeMutablePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ n: Int,
                            _ gamma: [Float], _ beta: [Float]) {
        let count = n * dimension
        for i in 0..<count { sum[i] += x[i] }
        gamma.withUnsafeBufferPointer { g in
            beta.withUnsafeBufferPointer { b in
                NeuralKernels.layerNorm(sum, rows: n, width: dimension, gamma: g.baseAddress!, beta: b.baseAddress!, eps: eps)
            }
        }
        x.update(from: sum, count: count)
    }

    /// Multi-head self-attention over all tokens (no mask: one unpadded sentence). Each head's keys
    /// are transposed (`[d][n]`, zero-padded to 16) so that a query's scores are SIMD across keys.
    private func attention(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
                           tokens n: Int, scores: UnsafeMutablePointer<Float>, keysT: UnsafeMutablePointer<Float>,
                           into out: UnsafeMutablePointer<Float>) {
        let h = dimension, d = h / heads, padded = (n + 15) / 16 * 16
        let scale = 1 / Float(d).squareRoot()
        typealias V16 = SIMD16<Float>
        let load = NeuralKernels.load, store = NeuralKernels.store
        for head in 0..<heads {
            let base = head * d
            for c in 0..<d {
                for j in 0..<n { keysT[c * padded + j] = k[j * h + base + c] }
                for j in n..<padded { keysT[c * padded + j] = 0 }
            }
            for i in 0..<n {
                let qi = q + i * h + base
                // Scores, four blocks of 16 keys at a time (independent FMA chains).
                var jb = 0
                while jb + 64 <= padded {
                    var a0 = V16(), a1 = V16(), a2 = V16(), a3 = V16()
                    for c in 0..<d {
                        let kc = keysT + c * padded + jb, s = qi[c]
                        a0 = a0.addingProduct(s, load(kc)); a1 = a1.addingProduct(s, load(kc + 16))
                        a2 = a2.addingProduct(s, load(kc + 32)); a3 = a3.addingProduct(s, load(kc + 48))
                    }
                    store(a0 * scale, scores + jb); store(a1 * scale, scores + jb + 16)
                    store(a2 * scale, scores + jb + 32); store(a3 * scale, scores + jb + 48)
                    jb += 64
                }
                while jb < padded {
                    var acc = V16()
                    for c in 0..<d { acc = acc.addingProduct(qi[c], load(keysT + c * padded + jb)) }
                    store(acc * scale, scores + jb)
                    jb += 16
                }
                NeuralKernels.softmax(scores, n)
                // Weighted values: keys taken four at a time into separate accumulators.
                var c = 0
                while c < d {
                    let vc = v + base + c
                    var a0 = V16(), a1 = V16(), a2 = V16(), a3 = V16()
                    var j = 0
                    while j + 4 <= n {
                        a0 = a0.addingProduct(scores[j], load(vc + j * h))
                        a1 = a1.addingProduct(scores[j + 1], load(vc + (j + 1) * h))
                        a2 = a2.addingProduct(scores[j + 2], load(vc + (j + 2) * h))
                        a3 = a3.addingProduct(scores[j + 3], load(vc + (j + 3) * h))
                        j += 4
                    }
                    while j < n { a0 = a0.addingProduct(scores[j], load(vc + j * h)); j += 1 }
                    store((a0 + a1) + (a2 + a3), out + i * h + base + c)
                    c += 16
                }
            }
        }
    }
}
