import Ingest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh folder under /tmp for one test, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() {
        var template = Array("/tmp/tracejoin-ingest-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit { removeTree(path) }

    /// Writes `bytes` to `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        var folder = ""
        for component in relative.split(separator: "/").dropLast() {
            folder += "/" + component
            mkdir(path + folder, 0o755)
        }
        let descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(descriptor >= 0, "cannot create \(full)")
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                precondition(count > 0)
                done += count
            }
        }
        close(descriptor)
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    private func removeTree(_ folder: String) {
        guard let handle = opendir(folder) else {
            unlink(folder)
            return
        }
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let child = folder + "/" + name
            var info = stat()
            if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { removeTree(child) } else { unlink(child) }
        }
        closedir(handle)
        rmdir(folder)
    }
}

/// Everything a reader delivered, copied out, so tests can compare whole runs.
struct ReadLine: Equatable, CustomStringConvertible {
    var text: String
    var bytes: [UInt8]
    var number: Int
    var byteOffset: Int64
    var wasCut: Bool

    var description: String { "\(number)@\(byteOffset)\(wasCut ? " cut" : ""): \(text)" }
}

/// Reads every line of `path`; returns the lines and the error that stopped the read, if any.
func readAllLines(
    _ path: String, configuration: LineReader.Configuration = LineReader.Configuration()
) throws -> (lines: [ReadLine], error: (any Error)?, reader: LineReader) {
    let reader = try LineReader(path: path, configuration: configuration)
    var lines: [ReadLine] = []
    do {
        try reader.forEachLine { line in
            lines.append(
                ReadLine(
                    text: line.text, bytes: Array(line.bytes), number: line.number, byteOffset: line.byteOffset,
                    wasCut: line.wasCut))
        }
        return (lines, nil, reader)
    } catch {
        return (lines, error, reader)
    }
}
