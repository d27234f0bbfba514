#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over POSIX file calls, so the rest of Ingest reads as intent rather than C.
///
/// Foundation's FileManager would do, but `stat` gives the device and inode that de-duplicate inputs,
/// and `readdir` lets a walk skip hidden entries without building URLs.
package enum FileSystem {
    enum Kind: Equatable {
        case file, directory, other
    }

    struct Status {
        var kind: Kind
        var size: Int64
        var device: UInt64
        var inode: UInt64
        /// Last modification, nanoseconds since the epoch.
        var modifiedNanos: Int64
    }

    /// `stat` (following symbolic links: Kubernetes' /var/log/containers holds links to the real files).
    static func status(_ path: String) -> Status? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
        #else
            let modified = info.st_mtim
        #endif
        return Status(
            kind: kind, size: Int64(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            modifiedNanos: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec))
    }

    /// When the file at `path` was last modified (nanoseconds since the epoch), nil if it cannot be read.
    package static func modificationNanos(_ path: String) -> Int64? {
        status(path)?.modifiedNanos
    }

    /// The size of the file at `path` in bytes, nil if it cannot be read.
    package static func size(_ path: String) -> Int64? {
        status(path)?.size
    }

    /// True for a symbolic link itself (not followed). A walk does not descend into linked folders, so it cannot loop.
    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFLNK
    }

    /// Names in a folder, without `.` and `..`, sorted bytewise so every run sees the same order; nil if unreadable.
    static func entries(of directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return names
    }

    /// Whether the process may open the file for reading (an explicit `open`, since root passes `access` checks).
    static func canRead(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// `read(2)`, under a name that types with a `read` method of their own can call.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// `directory/name`, without doubling a trailing slash.
    static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The text of `errno` for messages (it names the reason, never file content).
    static func lastErrorText() -> String {
        String(cString: strerror(errno))
    }
}
