import Ingest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations a log writer and logrotate perform, on real files in a ``TemporaryFolder``.
struct TailFiles {
    let folder: TemporaryFolder

    func path(_ name: String) -> String { folder.path + "/" + name }

    /// Appends `text` (creating the file if needed), as a writer with `O_APPEND` does.
    func append(_ name: String, _ text: String) {
        let descriptor = open(path(name), O_WRONLY | O_CREAT | O_APPEND, 0o644)
        precondition(descriptor >= 0, "cannot open \(name)")
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = write(descriptor, raw.baseAddress! + done, raw.count - done)
                precondition(count > 0)
                done += count
            }
        }
        close(descriptor)
    }

    func contents(_ name: String) -> [UInt8] {
        guard let descriptor = Optional(open(path(name), O_RDONLY)), descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    func exists(_ name: String) -> Bool { access(path(name), F_OK) == 0 }
    func rename(_ from: String, _ to: String) { precondition(Glibc.rename(path(from), path(to)) == 0) }
    func remove(_ name: String) { unlink(path(name)) }
    func truncate(_ name: String) { precondition(Glibc.truncate(path(name), 0) == 0) }
    func create(_ name: String) { folder.write(name, "") }

    /// logrotate `copytruncate`: copy the content to `copy`, then truncate the original in place.
    func copyTruncate(_ name: String, to copy: String) {
        folder.write(copy, contents(name))
        truncate(name)
    }

    /// Rename, then compress the renamed file (`compress` without `delaycompress`): only `gz` remains.
    func gzip(_ name: String, to gz: String) {
        folder.write(gz, GzipEncoder.compress(contents(name)))
        remove(name)
    }

    func symlink(_ target: String, _ link: String) {
        unlink(path(link))
        precondition(Glibc.symlink(path(target), path(link)) == 0)
    }
}

/// Polls once and returns the lines delivered, as text.
func pollTexts(_ tailer: FileTailer) throws -> [String] {
    var texts: [String] = []
    try tailer.pollOnce { texts.append($0.text) }
    return texts
}

/// A clock the tests move by hand.
final class ManualClock: @unchecked Sendable {
    var now: Duration = .zero
}
