/// One line a ``FileTailer`` delivers: a view into its read buffer, valid only during the callback.
package struct TailedLine {
    /// The path the file is followed under when the line is read.
    package var path: String
    /// The file it was read from.
    package var identity: TailFileIdentity
    /// The line without its `\n` (or `\r\n`); at most `maxLineBytes` bytes.
    package var bytes: UnsafeBufferPointer<UInt8>
    /// 1-based line number in the file (continued across restarts through the checkpoint).
    package var number: Int
    /// Offset of the line's first byte in the file.
    package var byteOffset: Int64
    /// True when the line was longer than `maxLineBytes` and only its start is in `bytes`.
    package var wasCut: Bool
    /// True when the line had no newline: delivered because its file was rotated away or it timed out.
    package var wasUnterminated: Bool
    /// Where the line after this one starts.
    package var next: LinePosition

    /// The checkpoint that covers this line and every line of its file before it: a caller that commits lines
    /// in batches persists the checkpoint of each file's last line in the same transaction.
    package var checkpoint: TailCheckpoint { TailCheckpoint(path: path, identity: identity, position: next) }

    /// The bytes as a String (invalid UTF-8 replaced). Allocates: for tests and messages.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}
