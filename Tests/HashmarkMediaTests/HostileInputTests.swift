import HashmarkMedia
import Testing

/// Small files that ask for unbounded work or memory: refused, or decoded within the limits.
@Suite("Hostile input is bounded")
struct HostileInputTests {
    /// 896 valid progressive scans of an 8×8 image (make_many_scans.py): every scan would revisit
    /// every coefficient of the image, so scans × pixels is the work; libjpeg-turbo's limit is 500.
    @Test func progressiveJPEGWithTooManyScansIsRefused() throws {
        let bytes = try MediaFixtures.bytes("progressive-896-scans.jpg")
        let error = mediaError { _ = try ImageDecoder.decode(bytes) }
        #expect(error?.code == "too-many-scans", "\(String(describing: error))")
        #expect(error?.code == MediaError.Code.tooManyScans)
    }

    /// Below the limit a many-scan progressive JPEG still decodes (flat grey 128).
    @Test func progressiveJPEGWithManyScansUnderTheLimitDecodes() throws {
        let decoded = try ImageDecoder.decode(MediaFixtures.bytes("progressive-448-scans.jpg"))
        #expect(decoded.image.width == 8 && decoded.image.height == 8)
        #expect(decoded.image.pixels.allSatisfy { (127...129).contains($0) })
    }
}
