import HashmarkFingerprint
import Testing

/// Bit-exactness against Meta's reference (`pdqhash`), on the committed fixtures.
@Suite struct PDQGoldenTests {
    static let entries: [PDQFixtures.Golden.Entry] = (try? PDQFixtures.golden().fixtures) ?? []

    @Test func goldenFileIsPresentAndCoversTheEdgeCases() throws {
        let golden = try PDQFixtures.golden()
        #expect(golden.fixtures.count >= 10)
        #expect(golden.fixtures.contains { $0.width == 1024 })
        #expect(golden.fixtures.contains { $0.width == 64 && $0.height == 64 })
        #expect(golden.fixtures.contains { min($0.width, $0.height) < PDQ.minimumDimension })
        #expect(golden.fixtures.contains { $0.width % 2 == 1 || $0.height % 2 == 1 })
    }

    @Test(arguments: entries)
    func exactHashEqualsReference(entry: PDQFixtures.Golden.Entry) throws {
        let image = try PDQFixtures.image(entry.file)
        #expect(image.width == entry.width && image.height == entry.height)
        let result = PDQ.hash(image)
        #expect(result.hash.hex == entry.pdq, "\(entry.file): distance \(result.hash.distance(to: Hash256(hex: entry.pdq) ?? .zero))")
        #expect(result.quality == entry.quality)
    }

    @Test(arguments: entries)
    func dihedralHashesEqualReference(entry: PDQFixtures.Golden.Entry) throws {
        let image = try PDQFixtures.image(entry.file)
        let (hash, dihedral) = PDQ.hashWithDihedral(image)
        #expect(dihedral.map(\.hex) == entry.dihedral, "\(entry.file)")
        #expect(hash.hash.hex == entry.dihedral.first)
        #expect(hash.quality == entry.dihedralQuality)
    }

    @Test(arguments: entries)
    func lumaEntryPointAgreesWithRGB(entry: PDQFixtures.Golden.Entry) throws {
        let image = try PDQFixtures.image(entry.file)
        let luma = PDQ.luma(image)
        let viaLuma = try #require(PDQ.hash(luma: luma, width: image.width, height: image.height))
        #expect(viaLuma.hash.hex == entry.pdq)
        #expect(PDQ.hash(luma: luma, width: image.width + 1, height: image.height) == nil)
    }

    /// Meta's conformance bound for resized inputs: the fast path stays within 10 bits.
    @Test(arguments: entries.filter { $0.quality >= 80 })
    func fastPathStaysWithinConformanceBound(entry: PDQFixtures.Golden.Entry) throws {
        let image = try PDQFixtures.image(entry.file)
        let exact = try #require(Hash256(hex: entry.pdq))
        let (fast, dihedral) = PDQ.fastHash(image)
        #expect(fast.hash.distance(to: exact) <= 10, "\(entry.file): \(fast.hash.distance(to: exact))")
        #expect(fast.quality >= 50)
        #expect(dihedral.count == 8)
        for (d, want) in zip(dihedral, entry.dihedral) {
            #expect(d.distance(to: Hash256(hex: want) ?? .zero) <= 10)
        }
        if max(image.width, image.height) <= PDQ.fastPathMaxDimension {
            #expect(fast.hash == exact) // nothing to downsample: the fast path is the exact one
        }
    }

    /// The fast grid is the exact grid computed another way: equal up to float rounding.
    @Test(arguments: entries.filter { min($0.width, $0.height) >= PDQ.minimumDimension })
    func fastGridEqualsExactGridUpToRounding(entry: PDQFixtures.Golden.Entry) throws {
        let image = try PDQFixtures.image(entry.file)
        let exact = try #require(PDQKernels.jaroszGrid64(luma: PDQ.luma(image), width: image.width, height: image.height))
        let fast = PDQKernels.sampledJaroszGrid64(image)
        let worst = zip(exact, fast).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-3, "\(entry.file): max difference \(worst)")
    }

    @Test func invertedImageHashesToTheComplement() throws {
        let image = try PDQFixtures.image("chelsea_451x300.ppm")
        guard let negative = RGBImage(width: image.width, height: image.height,
                                      pixels: image.pixels.map { 255 - $0 }) else {
            Issue.record("could not build negative"); return
        }
        let a = PDQ.hash(image).hash, b = PDQ.hash(negative).hash
        // PDQ is (nearly) sign-symmetric: the negative is close to the bitwise complement.
        #expect(a.distance(to: b) >= 240)
        #expect(a.invertAwareDistance(to: b) <= 16)
    }
}

extension PDQFixtures.Golden.Entry: CustomTestStringConvertible {
    var testDescription: String { file }
}
