/// One line handed to ``LineReader/forEachLine(_:)``: a view into the reader's buffer, not a copy.
///
/// `bytes` is valid only during the call; copy what must outlive it. Bytes are passed through untouched
/// (invalid UTF-8 included): the decoder decides what they mean.
package struct Line {
    /// The line without its `\n` or `\r\n` (and, on line 1, without a UTF-8 byte-order mark).
    package var bytes: UnsafeBufferPointer<UInt8>
    /// 1-based line number in the decompressed stream.
    package var number: Int
    /// Offset of the line's first byte in the decompressed stream.
    package var byteOffset: Int64
    /// True when `bytes` is not the whole line: it was longer than `maxLineBytes`, or the data ended inside it
    /// because a gzip member was truncated or corrupt.
    package var wasCut: Bool

    package init(bytes: UnsafeBufferPointer<UInt8>, number: Int, byteOffset: Int64, wasCut: Bool) {
        self.bytes = bytes
        self.number = number
        self.byteOffset = byteOffset
        self.wasCut = wasCut
    }

    /// The bytes as a String, invalid UTF-8 replaced by U+FFFD. Allocates: for tests and messages, not hot paths.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}
