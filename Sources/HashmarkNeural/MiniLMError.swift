/// Why the MiniLM model could not be loaded or could not embed an input: a code to switch on, a
/// message for people, the underlying error if there was one, and where it was raised.
public struct MiniLMError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// `model.json` is not valid JSON or lacks a field.
        case manifest
        /// The manifest's `format`, activation or pooling is not one this code implements.
        case unsupported
        /// The architecture's numbers do not fit together (e.g. hidden not divisible by heads).
        case architecture
        /// A tensor the forward pass needs is not in the table.
        case missingTensor
        /// A tensor has the wrong shape or dtype for its role.
        case tensorShape
        /// A tensor (or its scales) lies partly or wholly outside `weights.bin`.
        case truncatedWeights
        /// The token ids cannot be embedded: none, too many, or an id outside the vocabulary.
        case invalidInput
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
        var text = "MiniLM \(code.rawValue): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text + " [\(file):\(line)]"
    }
}
