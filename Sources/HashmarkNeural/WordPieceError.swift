/// Why a vocabulary cannot be used: a code, a message and where it was raised.
public struct WordPieceError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case emptyVocabulary, emptyToken, duplicateToken, missingSpecialToken
    }

    public let code: Code
    public let message: String
    public let file: String
    public let line: Int

    init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "WordPiece \(code.rawValue): \(message) (\(file):\(line))" }
}
