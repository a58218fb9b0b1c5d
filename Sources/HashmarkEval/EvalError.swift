/// Why an evaluation could not run (a case that fails is a result, not an error).
public struct EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable: `pool-invalid`, `pool-too-small`, `corpus-build-failed`, `cases-invalid`, `write-failed`.
    public var code: String
    public var message: String
    /// The underlying error, described (kept as text so the type stays `Equatable`).
    public var underlying: String?
    /// Where it was raised (`file:line`), for logs; not part of any contract.
    public var location: String

    public init(code: String, message: String, underlying: (any Error)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying.map { "\($0)" }
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        underlying.map { "\(code): \(message) (\($0))" } ?? "\(code): \(message)"
    }
}
