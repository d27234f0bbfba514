import Foundation
import Testing

/// A Python virtual environment under `.build-venv/` (git-ignored) for a test that drives a real Python client:
/// `.ci/run` may create it; the test creates it when it is missing (pip from PyPI, pinned by a lock file).
enum PythonEnvironment {
    /// Creates the environment at `path` with the packages of `requirements`, unless it exists.
    static func ensure(at path: String, requirements: String, holding what: String) throws {
        guard !FileManager.default.isExecutableFile(atPath: path + "/bin/python") else { return }
        let script = """
            set -e
            python3 -m venv "$1"
            "$1/bin/pip" install -q -r "$2"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "venv", path, requirements]
        try process.run()
        process.waitUntilExit()
        try #require(
            process.terminationStatus == 0, "could not install \(what) into \(path): run `bash .ci/run` or pip by hand")
    }
}
