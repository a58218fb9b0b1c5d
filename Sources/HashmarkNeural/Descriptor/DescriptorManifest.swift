import Foundation

/// `model.json` of the image descriptor as `Scripts/train-descriptor/export.py` writes it (format
/// `hashmark.weights/1`, the tensor table shared with MiniLM): the architecture and the table.
struct DescriptorManifest: Decodable {
    struct Architecture: Decodable {
        /// Square input side in pixels.
        let input: Int
        /// Input scaling: `(byte − mean) / scale`.
        let mean: Float
        let scale: Float
        let stemChannels: Int
        /// `[expand, kernel, stride, in, out]` of each MBConv block, in order.
        let blocks: [[Int]]
        let headChannels: Int
        let dimension: Int
        /// The generalised-mean exponent (3 is the one implemented).
        let gemP: Double
        let activation: String
    }

    let format: String
    let model: String
    let architecture: Architecture
    let tensors: [MiniLMManifest.Tensor]
    let weightsSha256: String
    let background: ImageDescriptorModel.Background?
}
