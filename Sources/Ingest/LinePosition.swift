/// Where the next line starts: its offset in the decompressed stream and its 1-based number.
///
/// A checkpoint: a reader started at a position delivers the same lines, with the same numbers and offsets,
/// as one that read from the start, which keeps stored `(source, byte_offset)` keys stable across runs.
package struct LinePosition: Hashable, Sendable, Codable {
    package var byteOffset: Int64
    package var lineNumber: Int

    package init(byteOffset: Int64, lineNumber: Int) {
        self.byteOffset = byteOffset
        self.lineNumber = lineNumber
    }

    /// The start of the file.
    package static let start = LinePosition(byteOffset: 0, lineNumber: 1)
}
