import Foundation
import TraceJoinCore

/// The HMAC key of the `hash` action: never stored in the database, so hashed values can be joined on but not reversed.
package enum HashKey {
    /// Environment variable holding the key itself.
    package static let environmentVariable = "TRACEJOIN_HASH_KEY"
    /// Environment variable naming a file whose content (trailing newline removed) is the key.
    package static let fileEnvironmentVariable = "TRACEJOIN_HASH_KEY_FILE"
    /// The fixed key `rules test` uses, so examples of hash rules have a stable output. Never for real data.
    package static let exampleKey = Array("tracejoin-example-key".utf8)

    /// The key from `TRACEJOIN_HASH_KEY`, else from the file `TRACEJOIN_HASH_KEY_FILE` (or `file`), else nil.
    package static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment, file: String? = nil
    ) throws -> [UInt8]? {
        if let key = environment[environmentVariable], !key.isEmpty { return Array(key.utf8) }
        guard let path = file ?? environment[fileEnvironmentVariable] else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(location: InputLocation(source: path), message: "hash key file cannot be read")
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= 16 else {
            throw Diagnostic(
                location: InputLocation(source: path), message: "hash key is shorter than 16 bytes",
                hint: "generate one with `openssl rand -hex 32`")
        }
        return bytes
    }
}
