/// One file to read, as found on the command line or under a folder or glob.
///
/// `size` is the size on disk (compressed for `.gz`), which is what progress is measured in.
package struct InputFile: Hashable, Sendable {
    /// The path as the user will recognise it: the argument, or the argument joined with what was found under it.
    package var path: String
    /// Bytes on disk when the file was found.
    package var size: Int64

    package init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }
}
