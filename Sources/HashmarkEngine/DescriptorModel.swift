import Foundation
import HashmarkFingerprint
import HashmarkIndex
import HashmarkNeural
import HashmarkPrimitives
import HashmarkStore

/// The learned image descriptor (`Models/image-descriptor`: `model.json`, `weights.bin`, and
/// `background.bin` when the manifest names one), the third image matcher after PDQ and
/// keypoints. Every file's SHA-256 is checked against the manifest at load, so a report citing it
/// names the bytes that computed the vectors. Immutable and shared by threads.
public struct DescriptorModel: FolderModel {
    public let network: ImageDescriptorModel
    public let weightsSha256: String
    public let folder: String
    /// Descriptors of unrelated images (`background.bin`): a pair's similarity is its cosine minus
    /// the query's `network.background.rank`-th highest cosine with them.
    let background: VectorScan?

    public var modelID: String { network.id }
    /// The model id and the weights' SHA-256, as evaluation reports cite them.
    public var identity: ModelIdentity { ModelIdentity(id: network.id, sha256: weightsSha256) }
    /// The stored rows' algorithm: vectors of another model are never compared with this one's.
    public var algorithm: FingerprintAlgorithm { .descriptor(model: network.id) }

    public init(folder: String) throws(EngineError) {
        func read(_ name: String) throws(EngineError) -> Data {
            try ModelFolder.read(name, in: folder, missing: EngineError.Code.descriptorModelUnavailable)
        }
        let manifest = try read("model.json"), weights = try read("weights.bin")
        do {
            network = try ImageDescriptorModel(manifestJSON: manifest, weights: weights)
        } catch {
            throw EngineError(code: EngineError.Code.descriptorModelInvalid, message: "\(folder): \(error)")
        }
        let recorded = (try? JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["weightsSha256"] as? String
        let actual = SHA256.hex(Array(weights))
        guard recorded == actual else {
            throw EngineError(code: EngineError.Code.descriptorModelInvalid,
                              message: "\(folder)/weights.bin does not match the SHA-256 its manifest records.")
        }
        weightsSha256 = actual
        self.folder = folder
        if let info = network.background {
            let bytes = try read("background.bin")
            let dimension = network.dimension
            guard SHA256.hex(Array(bytes)) == info.sha256, bytes.count == info.count * dimension * 4, dimension % 8 == 0 else {
                throw EngineError(code: EngineError.Code.descriptorModelInvalid,
                                  message: "\(folder)/background.bin does not match its manifest (SHA-256, \(info.count) × \(dimension) floats).")
            }
            var scan = VectorScan(dimension: dimension)
            bytes.withUnsafeBytes { raw in
                for row in 0..<info.count {
                    scan.append((0..<dimension).map { i in
                        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * (row * dimension + i), as: UInt32.self)))
                    })
                }
            }
            background = scan
        } else {
            background = nil
        }
    }

    /// The query's `rank`-th highest cosine with the background set; nil without one.
    func backgroundCosine(_ query: [Float]) -> Double? {
        guard let background, let rank = network.background?.rank, query.count == background.dimension else { return nil }
        return background.nearest(query, k: rank).last.map { Double($0.score) }
    }

    // Where its folder is looked for, and what is said when it is found nowhere: `FolderModel`.
    public static let environment = "HASHMARK_DESCRIPTOR_MODEL"
    public static let folderName = ImageDescriptorModel.folder
    public static let missing = (model: "image descriptor model",
                                 consequence: "images are matched by PDQ and keypoints only (re-rendered copies are missed more often)")

    /// The unit descriptor of decoded pixels (nil only for an empty image).
    public func embed(_ image: RGBImage) -> [Float]? {
        image.pixels.withUnsafeBufferPointer {
            try? network.embed(rgb: $0, width: image.width, height: image.height)
        }
    }

    /// The stored row of a work's descriptor.
    func fingerprint(_ image: RGBImage) -> StoredFingerprint? {
        embed(image).map { StoredFingerprint(algorithm: algorithm.id, version: algorithm.version,
                                             data: DescriptorCodec.encode($0)) }
    }
}

/// The stored form of a descriptor: `"HMDV"`, version `UInt8` = 1, dimension `UInt16`, then the
/// float32 values, little-endian.
public enum DescriptorCodec {
    static let magic: [UInt8] = Array("HMDV".utf8)

    static func encode(_ v: [Float]) -> [UInt8] {
        var out = magic + [1]
        withUnsafeBytes(of: UInt16(clamping: v.count).littleEndian) { out.append(contentsOf: $0) }
        for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// `nil` for anything malformed (wrong magic, version or length, a non-finite value).
    public static func decode(_ b: [UInt8]) -> [Float]? {
        guard b.count >= 7, Array(b[0..<4]) == magic, b[4] == 1 else { return nil }
        let n = Int(b[5]) | Int(b[6]) << 8
        guard n > 0, b.count == 7 + 4 * n else { return nil }
        var v = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let at = 7 + 4 * i
            v[i] = Float(bitPattern: UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24)
            guard v[i].isFinite else { return nil }
        }
        return v
    }
}
