/// Every failure of the corpus store: a stable `code` for machines, a `message` for people.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// Stable, documented codes: `db-open`, `db-io`, `db-migrate`, `db-stale`, `work-duplicate-id`,
    /// `work-invalid`, `work-not-found`, `import-bad-row` (kebab-case, like every code).
    public let code: String
    public let message: String
    /// The underlying error (usually a GRDB `DatabaseError`), if any.
    public let underlying: (any Error & Sendable)?
    public let file: String
    public let line: Int

    public init(code: String, message: String, underlying: (any Error & Sendable)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String {
        if let underlying { return "\(code): \(message) (\(underlying))" }
        return "\(code): \(message)"
    }
}
