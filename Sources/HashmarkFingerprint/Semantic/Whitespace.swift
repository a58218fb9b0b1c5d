extension Unicode.Scalar {
    /// Unicode `White_Space`, answered without the property table for ASCII (tab to carriage
    /// return, space): the sentence splitter asks it of every scalar of every text.
    @_spi(Testing) @inline(__always) public var isWhiteSpace: Bool {
        value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace
    }
}
