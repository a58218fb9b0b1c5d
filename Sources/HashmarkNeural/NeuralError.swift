/// Why a model or its vocabulary cannot be used, or an input cannot be embedded: a kebab-case code
/// to switch on, a message for people, the underlying error if there was one, and where it was
/// raised. The one error type of this target.
public struct NeuralError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        // The vocabulary (`vocab.txt`).
        /// No tokens at all.
        case emptyVocabulary = "empty-vocabulary"
        /// A blank line where a token should be.
        case emptyToken = "empty-token"
        /// The same token on two lines.
        case duplicateToken = "duplicate-token"
        /// [CLS], [SEP], [UNK] or [PAD] is missing.
        case missingSpecialToken = "missing-special-token"
        // The model (`model.json`, `weights.bin`).
        /// `model.json` is not valid JSON or lacks a field.
        case manifest = "manifest-invalid"
        /// The manifest's `format`, activation or pooling is not one this code implements.
        case unsupported = "model-unsupported"
        /// The architecture's numbers do not fit together (e.g. hidden not divisible by heads).
        case architecture = "architecture-invalid"
        /// A tensor the forward pass needs is not in the table.
        case missingTensor = "missing-tensor"
        /// A tensor has the wrong shape or dtype for its role.
        case tensorShape = "tensor-shape"
        /// A tensor (or its scales) lies partly or wholly outside `weights.bin`.
        case truncatedWeights = "truncated-weights"
        // Inputs.
        /// The token ids cannot be embedded: none, too many, or an id outside the vocabulary.
        case invalidInput = "invalid-input"
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text + " [\(file):\(line)]"
    }
}
