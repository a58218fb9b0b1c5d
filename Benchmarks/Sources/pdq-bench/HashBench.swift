import HashmarkFingerprint

/// Hash only, on a decoded buffer (PPM): exact, exact + dihedral, fast, and the exact path's stages.
func hashBench(_ path: String, reps: Int) throws -> [String: Any] {
    let image = try readPPM(path)
    var exact = PDQHash(hash: .zero, quality: 0)
    var exactDihedral: [Hash256] = []
    var fast = PDQHash(hash: .zero, quality: 0)
    let exactMs = medianMilliseconds(reps: reps) { exact = PDQ.hash(image) }
    let dihedralMs = medianMilliseconds(reps: reps) { exactDihedral = PDQ.hashWithDihedral(image).dihedral }
    let fastMs = medianMilliseconds(reps: reps) { fast = PDQ.fastHash(image).hash }
    // Stages of the exact path, and the SIMD filter against its scalar twin.
    let luma = PDQ.luma(image)
    let lumaMs = medianMilliseconds(reps: reps) { _ = PDQ.luma(image) }
    let windows = (PDQKernels.jaroszWindowSize(old: image.width, new: 64),
                   PDQKernels.jaroszWindowSize(old: image.height, new: 64))
    let filterMs = medianMilliseconds(reps: reps) {
        var b = luma
        PDQKernels.jaroszFilter(&b, rows: image.height, cols: image.width,
                                windowAlongRows: windows.0, windowAlongCols: windows.1, passes: 2)
    }
    let filterScalarMs = medianMilliseconds(reps: reps) {
        var b = luma
        PDQKernels.jaroszFilterScalar(&b, rows: image.height, cols: image.width,
                                      windowAlongRows: windows.0, windowAlongCols: windows.1, passes: 2)
    }
    return [
        "lumaMs": lumaMs, "filterMs": filterMs, "filterScalarMs": filterScalarMs,
        "file": path, "width": image.width, "height": image.height,
        "exactMs": exactMs, "exactDihedralMs": dihedralMs, "fastMs": fastMs,
        "exact": exact.hash.hex, "quality": exact.quality, "fast": fast.hash.hex,
        "fastDistance": fast.hash.distance(to: exact.hash), "dihedralCount": exactDihedral.count,
    ]
}
