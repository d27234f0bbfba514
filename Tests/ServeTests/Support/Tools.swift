import Foundation

/// The system's `gzip` and `curl`, run as a user would: real gzip streams, real chunked uploads.
enum Tools {
    /// `gzip -c` of `bytes`, as one gzip member.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: input) }
        let result = try run("/usr/bin/gzip", ["-c", "-n", input.path])
        guard result.status == 0 else { throw ToolFailed(tool: "gzip", status: result.status) }
        return result.output
    }

    /// Posts `bytes` with `curl` as `Transfer-Encoding: chunked` (no Content-Length), so the receiver can
    /// only count the bytes as they stream in. Returns the status code and the body.
    static func postChunked(
        _ bytes: [UInt8], to url: String, contentType: String
    ) throws -> (status: Int, body: [UInt8]) {
        let input = try temporaryFile(bytes)
        let answer = try temporaryFile([])
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: answer)
        }
        let result = try run(
            "/usr/bin/curl",
            [
                "--silent", "--show-error", "--max-time", "30", "-X", "POST", "-H", "Content-Type: \(contentType)",
                "-H", "Transfer-Encoding: chunked", "-H", "Expect:", "--data-binary", "@\(input.path)",
                "--output", answer.path, "--write-out", "%{http_code}", url,
            ])
        guard result.status == 0, let status = Int(String(decoding: result.output, as: UTF8.self)) else {
            throw ToolFailed(tool: "curl", status: result.status)
        }
        return (status, Array(try Data(contentsOf: answer)))
    }

    private static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("serve-tests-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(data))
    }
}

struct ToolFailed: Error {
    var tool: String
    var status: Int32
}
