/// Caps that keep a hostile document (zip bomb, XML bomb, endless PDF) from exhausting the
/// process that reads it. Checked before the memory is spent, not after.
public struct DocumentLimits: Sendable, Equatable {
    /// ZIP entries in the archive's central directory.
    public var maxEntries: Int
    /// Uncompressed bytes of all entries read, summed (counted while inflating: the sizes a
    /// ZIP declares are not trusted).
    public var maxTotalBytes: Int
    /// Uncompressed bytes of one entry.
    public var maxEntryBytes: Int
    /// Uncompressed / compressed size of one entry (zip bombs reach 1,000 and more; real
    /// documents stay under ~20, XML under ~100).
    public var maxCompressionRatio: Int
    /// Extracted text, UTF-8 bytes.
    public var maxTextBytes: Int
    /// XML element nesting.
    public var maxXMLDepth: Int
    /// Embedded images checked; more are counted in `skippedImages`.
    public var maxImages: Int
    /// PDF pages.
    public var maxPages: Int
    /// Wall-clock seconds for one extractor process (`pdftotext`, `pdfimages`).
    public var processSeconds: Double
    /// Address space of one extractor process (`RLIMIT_AS`).
    public var processMemoryBytes: Int

    public init(maxEntries: Int = 10_000, maxTotalBytes: Int = 256 << 20, maxEntryBytes: Int = 64 << 20,
                maxCompressionRatio: Int = 200, maxTextBytes: Int = 16 << 20, maxXMLDepth: Int = 256,
                maxImages: Int = 64, maxPages: Int = 5_000, processSeconds: Double = 30,
                processMemoryBytes: Int = 1 << 30) {
        self.maxEntries = maxEntries; self.maxTotalBytes = maxTotalBytes; self.maxEntryBytes = maxEntryBytes
        self.maxCompressionRatio = maxCompressionRatio; self.maxTextBytes = maxTextBytes
        self.maxXMLDepth = maxXMLDepth; self.maxImages = maxImages; self.maxPages = maxPages
        self.processSeconds = processSeconds; self.processMemoryBytes = processMemoryBytes
    }
}
