import Foundation
import TraceJoinCore

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
    package static func files(in folder: String) throws -> [RuleSource] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw Diagnostic(location: InputLocation(source: folder), message: "no such file or folder")
        }
        if !isDirectory.boolValue {
            return [RuleSource(path: folder, text: try String(contentsOfFile: folder, encoding: .utf8))]
        }
        var relatives: [String] = []
        if let enumerator = manager.enumerator(atPath: folder) {
            for case let relative as String in enumerator
            where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                relatives.append(relative)
            }
        }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        return try relatives.sorted().map { relative in
            let path = base + "/" + relative
            return RuleSource(path: path, text: try String(contentsOfFile: path, encoding: .utf8))
        }
    }
}

extension RuleSource {
    /// The shipped packs built into the binary (see scripts/embed-rules.sh), as the first layer of a `RuleSet`.
    package static var builtIn: [RuleSource] {
        EmbeddedRules.files.map { RuleSource(path: $0.path, text: $0.text) }
    }
}
