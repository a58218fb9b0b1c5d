/// Settings of pairwise verification.
public struct LocalMatchParameters: Sendable, Hashable {
    /// Lowe's ratio test: keep a match when best < ratio × second best.
    public var ratio: Float
    /// Descriptor pairs farther apart than this (of 256 bits) are never matches.
    public var maxDistance: Int
    /// RANSAC inlier tolerance, as a fraction of the candidate image's diagonal (min 3 px).
    public var tolerance: Float
    /// Upper bound on RANSAC hypotheses (adaptive stopping at 99.9 % confidence below it).
    public var maxIterations: Int
    /// Seed of the deterministic sampler.
    public var seed: UInt64
    /// Decision threshold: a pair with at least this many geometric inliers is a match.
    /// 20 was never reached by unrelated real images in the tests (see LocalFeatureMatchTests).
    public var minInliers: Int
    /// Largest accepted anisotropy (ratio of singular values) of the affine model.
    public var maxAnisotropy: Float

    public init(ratio: Float = 0.8, maxDistance: Int = 64, tolerance: Float = 0.015, maxIterations: Int = 2000,
                seed: UInt64 = 0x5241_4E53_4143_3031, minInliers: Int = 20, maxAnisotropy: Float = 2.5) {
        self.ratio = ratio; self.maxDistance = maxDistance; self.tolerance = tolerance
        self.maxIterations = maxIterations; self.seed = seed; self.minInliers = minInliers
        self.maxAnisotropy = maxAnisotropy
    }

    public static let `default` = LocalMatchParameters()
}

/// The evidence that a query shows (part of) a candidate image.
public struct LocalMatchEvidence: Sendable, Hashable {
    /// Geometrically consistent correspondences: the score.
    public var inliers: Int
    /// Ratio-tested correspondences offered to RANSAC.
    public var tentativeMatches: Int
    /// inliers ≥ parameters.minInliers.
    public var isMatch: Bool
    /// Query → candidate map (nil when no model was found).
    public var transform: LocalAffine?
    /// Matched through the mirrored descriptors (a horizontally flipped copy).
    public var mirrored: Bool
    /// The query's bounds mapped into the candidate (4 corners, unclipped, clockwise from top-left).
    public var candidateQuad: [LocalPoint]
    /// That quad clipped to the candidate's bounds, as its bounding rectangle: the matched region.
    public var candidateRegion: LocalRect?
    /// Bounding box of the inlier keypoints in the query.
    public var queryInlierBounds: LocalRect?
    /// The candidate's bounds mapped back into the query, clipped to it (where the work sits in a
    /// padded or composited query).
    public var queryRegion: LocalRect?
    /// Scale of the copy relative to the work (query pixels per candidate pixel), 1 / transform.scale.
    public var copyScale: Float? { transform.map { 1 / $0.scale } }
    /// Rotation applied to the work to make the copy, degrees, clockwise on screen positive.
    public var copyRotationDegrees: Float? { transform.map { -$0.rotationDegrees } }
    /// Inlier pairs: (query keypoint index, candidate keypoint index).
    public var inlierPairs: [SIMD2<Int32>]

    static func none(tentative: Int) -> LocalMatchEvidence {
        LocalMatchEvidence(inliers: 0, tentativeMatches: tentative, isMatch: false, transform: nil, mirrored: false,
                           candidateQuad: [], candidateRegion: nil, queryInlierBounds: nil, queryRegion: nil,
                           inlierPairs: [])
    }
}

/// Pairwise verification: nearest neighbours with the ratio test, then RANSAC over an affine model
/// (3-point samples, seeded sampler, constrained scale/anisotropy/orientation sign), then
/// least-squares refinement on the inliers.
public struct LocalMatcher: Sendable {
    public var parameters: LocalMatchParameters

    public init(parameters: LocalMatchParameters = .default) { self.parameters = parameters }

    /// Best evidence over the direct and (when the query carries them) mirrored descriptors.
    public func match(query: LocalFeatures, candidate: LocalFeatures) throws(LocalFeatureError) -> LocalMatchEvidence {
        guard query.algorithm == candidate.algorithm else {
            throw .algorithmMismatch(query.algorithm, candidate.algorithm)
        }
        guard query.keypoints.count == query.descriptors.count,
              candidate.keypoints.count == candidate.descriptors.count,
              query.mirroredDescriptors.map({ $0.count == query.keypoints.count }) ?? true else {
            throw .malformed("keypoint and descriptor counts differ")
        }
        var best = verify(query: query, descriptors: query.descriptors, candidate: candidate, mirrored: false)
        if let m = query.mirroredDescriptors {
            let e = verify(query: query, descriptors: m, candidate: candidate, mirrored: true)
            if e.inliers > best.inliers { best = e }
        }
        return best
    }

    /// For each query descriptor: (best index — the first of equally near ones —, best distance,
    /// second-best distance; -1 / 257 when absent).
    ///
    /// The corpus is transposed once into four word columns so the distance loop vectorises (with
    /// AVX-512 VPOPCNTQ, 8 descriptors per instruction); each distance is packed with its index
    /// as `distance << 16 | index`, so the nearest two are the two smallest keys, found by min
    /// reductions that vectorise too. Corpora of 65,536 descriptors or more use the plain scan.
    public static func nearestTwo(_ query: [Hash256], _ corpus: [Hash256]) -> [SIMD3<Int32>] {
        let n = corpus.count
        guard n > 0, n < 1 << 16 else { return nearestTwoScan(query, corpus) }
        var columns = [UInt64](repeating: 0, count: 4 * n)
        for (j, c) in corpus.enumerated() {
            columns[j] = c.words[0]; columns[n + j] = c.words[1]
            columns[2 * n + j] = c.words[2]; columns[3 * n + j] = c.words[3]
        }
        var keys = [UInt32](repeating: 0, count: n)
        return columns.withUnsafeBufferPointer { col in
            keys.withUnsafeMutableBufferPointer { key in
                guard let c0 = col.baseAddress, let k = key.baseAddress else { return nearestTwoScan(query, corpus) }
                let c1 = c0 + n, c2 = c0 + 2 * n, c3 = c0 + 3 * n
                return query.map { q in
                    let q0 = q.words[0], q1 = q.words[1], q2 = q.words[2], q3 = q.words[3]
                    var k1 = UInt32.max
                    for j in 0..<n {
                        let d = (c0[j] ^ q0).nonzeroBitCount &+ (c1[j] ^ q1).nonzeroBitCount
                            &+ (c2[j] ^ q2).nonzeroBitCount &+ (c3[j] ^ q3).nonzeroBitCount
                        let kj = UInt32(truncatingIfNeeded: d) << 16 | UInt32(truncatingIfNeeded: j)
                        k[j] = kj
                        k1 = min(k1, kj)
                    }
                    // Keys are distinct and ≥ k1: the next one is the smallest k − (k1 + 1), and k1
                    // itself wraps to UInt32.max (the plain arithmetic keeps the loop vectorised).
                    let next = k1 &+ 1
                    var gap = UInt32.max
                    for j in 0..<n { gap = min(gap, k[j] &- next) }
                    return SIMD3(Int32(k1 & 0xFFFF), Int32(k1 >> 16), gap == .max ? 257 : Int32((gap &+ next) >> 16))
                }
            }
        }
    }

    /// `nearestTwo` one descriptor pair at a time (`Hash256.distance`).
    static func nearestTwoScan(_ query: [Hash256], _ corpus: [Hash256]) -> [SIMD3<Int32>] {
        query.map { q in
            var b = Int32(-1), d1 = Int32(257), d2 = Int32(257)
            for (j, c) in corpus.enumerated() {
                let d = Int32(q.distance(to: c))
                if d < d1 { d2 = d1; d1 = d; b = Int32(j) } else if d < d2 { d2 = d }
            }
            return SIMD3(b, d1, d2)
        }
    }

    /// Scalar twin of `nearestTwo`: bit-by-bit Hamming distance.
    @_spi(Testing) public static func nearestTwoScalar(_ query: [Hash256], _ corpus: [Hash256]) -> [SIMD3<Int32>] {
        query.map { q in
            var b = Int32(-1), d1 = Int32(257), d2 = Int32(257)
            for (j, c) in corpus.enumerated() {
                var d: Int32 = 0
                for i in 0..<256 where q[bit: i] != c[bit: i] { d += 1 }
                if d < d1 { d2 = d1; d1 = d; b = Int32(j) } else if d < d2 { d2 = d }
            }
            return SIMD3(b, d1, d2)
        }
    }

    func verify(query: LocalFeatures, descriptors: [Hash256], candidate: LocalFeatures, mirrored: Bool) -> LocalMatchEvidence {
        let p = parameters
        // Ratio test, then one query per candidate keypoint (the closest).
        var byCandidate: [Int32: (q: Int, d: Int32)] = [:]
        for (qi, nn) in Self.nearestTwo(descriptors, candidate.descriptors).enumerated() {
            guard nn.x >= 0, nn.y <= Int32(p.maxDistance), Float(nn.y) < p.ratio * Float(nn.z) else { continue }
            if let old = byCandidate[nn.x], old.d <= nn.y { continue }
            byCandidate[nn.x] = (qi, nn.y)
        }
        let pairs = byCandidate.map { (q: $0.value.q, c: Int($0.key)) }.sorted { $0.q < $1.q }
        let n = pairs.count
        guard n >= 3 else { return .none(tentative: n) }
        let qp = pairs.map { LocalPoint(x: query.keypoints[$0.q].x, y: query.keypoints[$0.q].y) }
        let cp = pairs.map { LocalPoint(x: candidate.keypoints[$0.c].x, y: candidate.keypoints[$0.c].y) }
        let diag = (Float(candidate.width * candidate.width + candidate.height * candidate.height)).squareRoot()
        let tol = max(3, p.tolerance * diag)
        let tol2 = tol * tol

        func acceptable(_ m: LocalAffine) -> Bool {
            let s = m.scale
            return m.isMirrored == mirrored && s > 1.0 / 8 && s < 8 && m.anisotropy <= p.maxAnisotropy
        }
        func inliers(_ m: LocalAffine) -> [Int] {
            var out: [Int] = []
            for i in 0..<n {
                let t = m.apply(qp[i])
                let dx = t.x - cp[i].x, dy = t.y - cp[i].y
                if dx * dx + dy * dy <= tol2 { out.append(i) }
            }
            return out
        }

        var rng = SplitMix64(state: p.seed)
        var best: [Int] = []
        var bestModel: LocalAffine?
        var iterations = p.maxIterations
        var it = 0
        while it < iterations {
            it += 1
            let i = rng.next(below: n), j = rng.next(below: n), k = rng.next(below: n)
            guard i != j, j != k, i != k,
                  let m = LocalAffine.through([qp[i], qp[j], qp[k]], [cp[i], cp[j], cp[k]]), acceptable(m) else { continue }
            let inl = inliers(m)
            if inl.count > best.count {
                best = inl; bestModel = m
                let w = Double(inl.count) / Double(n)
                let miss = 1 - w * w * w
                if miss <= 0 { break }
                let needed = (LocalMath.logd(0.001) / LocalMath.logd(miss)).rounded(.up)
                iterations = min(p.maxIterations, max(100, Int(min(needed, 1e9))))
            }
        }
        guard var model = bestModel, best.count >= 3 else { return .none(tentative: n) }
        // Least-squares refinement, re-scoring with the refined model (kept only if it is no worse).
        for _ in 0..<3 {
            guard let refined = LocalAffine.leastSquares(best.map { qp[$0] }, best.map { cp[$0] }),
                  acceptable(refined) else { break }
            let inl = inliers(refined)
            guard inl.count >= best.count else { break }
            let same = inl == best
            best = inl; model = refined
            if same { break }
        }
        let qw = Float(query.width), qh = Float(query.height)
        let corners = [LocalPoint(x: 0, y: 0), LocalPoint(x: qw, y: 0), LocalPoint(x: qw, y: qh), LocalPoint(x: 0, y: qh)]
        let quad = corners.map { model.apply($0) }
        let cRect = LocalRect(minX: 0, minY: 0, maxX: Float(candidate.width), maxY: Float(candidate.height))
        let cRegion = LocalRect(bounding: PolygonClip.clip(quad, to: cRect))
        var qRegion: LocalRect?
        if let inv = model.inverse {
            let back = [LocalPoint(x: 0, y: 0), LocalPoint(x: cRect.maxX, y: 0),
                        LocalPoint(x: cRect.maxX, y: cRect.maxY), LocalPoint(x: 0, y: cRect.maxY)].map { inv.apply($0) }
            qRegion = LocalRect(bounding: PolygonClip.clip(back, to: LocalRect(minX: 0, minY: 0, maxX: qw, maxY: qh)))
        }
        return LocalMatchEvidence(
            inliers: best.count, tentativeMatches: n, isMatch: best.count >= p.minInliers, transform: model,
            mirrored: mirrored, candidateQuad: quad, candidateRegion: cRegion,
            queryInlierBounds: LocalRect(bounding: best.map { qp[$0] }), queryRegion: qRegion,
            inlierPairs: best.map { SIMD2(Int32(pairs[$0].q), Int32(pairs[$0].c)) })
    }
}
