/// Where following one file stands, for a caller to persist with the lines it covers.
///
/// Why `(identity, offset, line)`: the identity finds the file again after a restart whatever it was renamed
/// to (and refuses a reused inode holding other content); the byte offset is where reading resumes; the line
/// number keeps numbering — and so the stored `file:line` of every later line — the same as an uninterrupted run.
package struct TailCheckpoint: Hashable, Sendable, Codable {
    /// The path it was last followed under (informative: the identity decides).
    package var path: String
    package var identity: TailFileIdentity
    /// The start of the first line not yet delivered.
    package var position: LinePosition

    package init(path: String, identity: TailFileIdentity, position: LinePosition) {
        self.path = path
        self.identity = identity
        self.position = position
    }
}
