/// How far a tailer is in one open file, for metrics: what it has read against what the file holds.
package struct TailFileProgress: Sendable, Equatable {
    /// The path the file is followed under (a rotated file draining keeps the name it had).
    package var path: String
    package var identity: TailFileIdentity
    /// The start of the first line not yet delivered.
    package var position: LinePosition
    /// The file's size when it was last looked at (the last poll, or the last read).
    package var size: Int64

    /// Bytes written but not delivered yet: lines a poll cut short by its line budget, or a last line still
    /// waiting for its newline.
    package var bytesBehind: Int64 { max(0, size - position.byteOffset) }
}
