/// Paths to files in the repository's `Fixtures/` and `../shared/`, for tests.
package enum FixturePaths {
    /// The repository root, found from this source file's location.
    package static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 {  // Sources/TraceJoinTesting/FixturePaths.swift
            if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
        }
        return path
    }()

    /// `Fixtures/<relative>`.
    package static func fixture(_ relative: String) -> String { repositoryRoot + "/Fixtures/" + relative }

    /// `../shared/<relative>`, the read-only material beside the project.
    package static func shared(_ relative: String) -> String { repositoryRoot + "/../shared/" + relative }
}
