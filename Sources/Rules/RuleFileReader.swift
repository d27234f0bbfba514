import Foundation
import TraceJoinCore

/// Finds and reads rule files, naming each one that cannot be read and why, compiler-style:
///
/// ```
/// my-rules/gone.yaml: error: rule file cannot be read: No such file or directory
///   hint: it is a symbolic link whose target is missing
/// my-rules/latin1.yaml:3:14: error: rule file is not UTF-8 text
///   hint: save it as UTF-8
/// ```
///
/// POSIX calls rather than `FileManager`, whose enumerator skips what it cannot read without a word
/// and whose read errors carry no errno. Symbolic links to files are followed (a Kubernetes ConfigMap
/// mounts each file as one); symbolic links to folders are not descended into (the ConfigMap's
/// `..data` link would list every file twice). A folder named `x.yaml` is a folder.
enum RuleFileReader {
    /// The paths of every `*.yaml` / `*.yml` entry under `folder`, recursively, sorted; and a diagnostic
    /// for each folder that cannot be listed.
    static func paths(under folder: String) -> (paths: [String], problems: [Diagnostic]) {
        var paths: [String] = []
        var problems: [Diagnostic] = []
        walk(folder.hasSuffix("/") ? String(folder.dropLast()) : folder, into: &paths, problems: &problems)
        return (paths.sorted(), problems)
    }

    static func isRuleFile(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    private static func walk(_ folder: String, into paths: inout [String], problems: inout [Diagnostic]) {
        guard let directory = opendir(folder) else {
            problems.append(
                Diagnostic(location: InputLocation(source: folder), message: "rule folder cannot be read: \(reason(errno))"))
            return
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                walk(path, into: &paths, problems: &problems)
            } else if isRuleFile(name) {
                paths.append(path)
            }
        }
    }

    /// The text of the rule file at `path`, or the diagnostic saying why it cannot be had.
    static func read(_ path: String) -> Result<RuleSource, Diagnostic> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(unreadable(path, errno)) }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return .failure(unreadable(path, EISDIR)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(unreadable(path, errno))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Byte(bytes)
            let lineStart = (bytes[..<offset].lastIndex(of: 0x0A) ?? -1) + 1
            let line = bytes[..<offset].count(where: { $0 == 0x0A }) + 1
            return .failure(
                Diagnostic(
                    location: InputLocation(source: path, line: line), column: offset - lineStart + 1,
                    message: "rule file is not UTF-8 text", hint: "save it as UTF-8"))
        }
        return .success(RuleSource(path: path, text: text))
    }

    private static func unreadable(_ path: String, _ code: Int32) -> Diagnostic {
        var hint: String?
        var info = stat()
        if code == ENOENT, lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            hint = "it is a symbolic link whose target is missing"
        }
        return Diagnostic(
            location: InputLocation(source: path), message: "rule file cannot be read: \(reason(code))", hint: hint)
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// The offset of the first byte that does not belong to valid UTF-8 (`bytes` is known to hold one).
    private static func firstInvalidUTF8Byte(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return offset
            }
        }
    }
}
