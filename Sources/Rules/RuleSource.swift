import Foundation
package import TraceJoinCore

/// The text of one rule file and the path used in messages about it.
package struct RuleSource: Sendable, Equatable {
    package var path: String
    package var text: String

    package init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Every `*.yaml` / `*.yml` file under `folder`, recursively, sorted by path.
    /// Paths in messages are `folder/relative`. A single file may be given instead of a folder.
    /// Throws a diagnostic for every file or folder that cannot be read, naming it and why.
    package static func files(in folder: String) throws(RuleSetError) -> [RuleSource] {
        let (sources, problems) = read(folder)
        if !problems.isEmpty { throw RuleSetError(diagnostics: problems) }
        return sources
    }

    /// `files(in:)` without throwing: the files that could be read, and a diagnostic for each that could not.
    package static func read(_ folder: String) -> (sources: [RuleSource], problems: [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            return ([], [Diagnostic(location: InputLocation(source: folder), message: "no such file or folder")])
        }
        let (paths, listingProblems) = isDirectory.boolValue ? RuleFileReader.paths(under: folder) : ([folder], [])
        var sources: [RuleSource] = []
        var problems = listingProblems
        for path in paths {
            switch RuleFileReader.read(path) {
            case .success(let source): sources.append(source)
            case .failure(let diagnostic): problems.append(diagnostic)
            }
        }
        return (sources, problems)
    }
}

extension RuleSource {
    /// The shipped packs built into the binary (see scripts/embed-rules.sh), as the first layer of a `RuleSet`.
    package static var builtIn: [RuleSource] {
        EmbeddedRules.files.map { RuleSource(path: $0.path, text: $0.text) }
    }
}
