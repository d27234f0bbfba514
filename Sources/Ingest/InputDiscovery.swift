package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns command-line arguments (files, folders, globs) into the list of files to read.
///
/// - A file is taken as is, whatever its name: the format is found from content later.
/// - A folder is walked recursively; hidden entries (`.git`, `.DS_Store`) are skipped and linked folders are not
///   entered (no loops). Linked files are read: `/var/log/containers/*.log` are links.
/// - A glob (`*`, `?`, `[…]`, and `**` for any depth) is expanded by ``GlobExpander``, so it works when quoted.
/// - Within one argument paths are sorted, so runs are deterministic; arguments keep their order.
/// - The same file reached twice (two arguments, a link and its target) is listed once, by device and inode.
package enum InputDiscovery {
    ///
    /// `skipped` hears of each path a glob matched that is not a file or folder (a FIFO), which is left out.
    package static func expand(_ arguments: [String], skipped: (Diagnostic) -> Void = { _ in }) throws(Diagnostic)
        -> [InputFile]
    {
        var seen = Set<FileIdentity>()
        var files: [InputFile] = []
        for argument in arguments {
            for path in try paths(for: argument, skipped: skipped) {
                guard let status = FileSystem.status(path), status.kind == .file else { continue }
                guard seen.insert(FileIdentity(device: status.device, inode: status.inode)).inserted else { continue }
                guard FileSystem.canRead(path) else {
                    throw Diagnostic(
                        location: InputLocation(source: path),
                        message: "cannot read file: \(FileSystem.lastErrorText())",
                        hint: "check its permissions, or leave it out")
                }
                files.append(InputFile(path: path, size: status.size))
            }
        }
        return files
    }

    /// The regular files one argument names, sorted.
    static func paths(for argument: String, skipped: (Diagnostic) -> Void = { _ in }) throws(Diagnostic) -> [String] {
        if let status = FileSystem.status(argument) {
            switch status.kind {
            case .file: return [argument]
            case .directory: return try walk(argument)
            case .other:
                throw Diagnostic(
                    location: InputLocation(source: argument), message: "not a regular file or folder",
                    hint: "pass log files, folders holding them, or a glob")
            }
        }
        if GlobExpander.isPattern(argument) {
            let matches = try GlobExpander.expand(argument)
            if matches.isEmpty {
                throw Diagnostic(
                    location: InputLocation(source: argument), message: "no file matches this glob",
                    hint: "check the pattern; `**` matches folders at any depth, hidden files need an explicit `.`")
            }
            var files: [String] = []
            for match in matches {
                // A FIFO (or socket, device) is skipped as a folder walk skips it: reading one would block, and
                // it is no reason to stop reading the other files.
                if let status = FileSystem.status(match), status.kind == .other {
                    skipped(
                        Diagnostic(
                            location: InputLocation(source: match), severity: .note,
                            message: "not a regular file (a FIFO, socket or device): skipped"))
                    continue
                }
                files += try paths(for: match, skipped: skipped)
            }
            return files
        }
        throw Diagnostic(
            location: InputLocation(source: argument), message: "no such file or folder",
            hint: "check the path (it is relative to \(currentDirectoryText()))")
    }

    /// Every regular file under `directory`, depth first, sorted, hidden entries skipped.
    static func walk(_ directory: String) throws(Diagnostic) -> [String] {
        guard let names = FileSystem.entries(of: directory) else {
            throw Diagnostic(
                location: InputLocation(source: directory),
                message: "cannot read folder: \(FileSystem.lastErrorText())",
                hint: "check its permissions, or leave it out")
        }
        var files: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = FileSystem.join(directory, name)
            guard let status = FileSystem.status(path) else { continue }  // a dangling link
            switch status.kind {
            case .file: files.append(path)
            case .directory where !FileSystem.isSymbolicLink(path): files += try walk(path)
            default: continue
            }
        }
        return files
    }

    private static func currentDirectoryText() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "the working directory" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A file's identity on disk, the same whatever path reached it.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
}
