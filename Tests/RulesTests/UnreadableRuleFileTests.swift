import Foundation
import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A rule file that cannot be read is named, with the reason, compiler-style; the folder is not blamed.
///
/// Tests run as root, for whom a mode-000 file is readable, so the faults are ones that fail for root
/// too: a symbolic link whose target is gone (a ConfigMap updated under a running pod) and a file in
/// Latin-1 rather than UTF-8.
@Suite struct UnreadableRuleFileTests {
    static let goodRule = "- id: my.good\n  match: {pattern: 'secret-[0-9]+'}\n  action: {redact: '<s>'}\n"

    /// A folder with one good rule file, a dangling link `gone.yaml` and a Latin-1 `latin1.yaml`.
    static func folder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try goodRule.write(toFile: folder.file("good.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.file("gone.yaml"), withDestinationPath: "/nonexistent/rules.yaml")
        let latin1: [UInt8] = Array("- id: my.latin\n  description: caf".utf8) + [0xE9] + Array("\n".utf8)
        try Data(latin1).write(to: URL(fileURLWithPath: folder.file("latin1.yaml")))
        try FileManager.default.createDirectory(atPath: folder.file("more.yaml"), withIntermediateDirectories: false)
        try goodRule.replacingOccurrences(of: "my.good", with: "my.nested")
            .write(toFile: folder.file("more.yaml/nested.yml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test("each unreadable rule file is named with why: a dangling link, and Latin-1 text at its line and column")
    func namesEachFile() throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let (sources, problems) = RuleSource.read(folder.path)
        #expect(sources.map(\.path) == [folder.file("good.yaml"), folder.file("more.yaml/nested.yml")])
        #expect(
            problems.map(\.description) == [
                "\(folder.file("gone.yaml")): error: rule file cannot be read: No such file or directory\n"
                    + "  hint: it is a symbolic link whose target is missing",
                "\(folder.file("latin1.yaml")):2:19: error: rule file is not UTF-8 text\n  hint: save it as UTF-8",
            ])
    }

    @Test("loading --rules with an unreadable file fails with those diagnostics, not the folder's name alone")
    func loadingFails() throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        #expect {
            _ = try Scrubber.load(ruleFolders: [folder.path], includeBuiltIn: false)
        } throws: { error in
            let descriptions = (error as? RuleSetError)?.diagnostics.map(\.description) ?? []
            return descriptions.count == 2 && descriptions[0].hasPrefix(folder.file("gone.yaml") + ": error:")
                && descriptions[1].hasPrefix(folder.file("latin1.yaml") + ":2:19: error:")
        }
    }
}
