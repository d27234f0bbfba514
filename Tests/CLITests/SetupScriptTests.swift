import Foundation
import Testing
import TraceJoinTesting

/// `scripts/setup`, which the README's two commands and `.ci/run` call first, on a machine that lacks packages.
/// `dpkg-query` and `apt-get` are stand-ins on `PATH`, so the test sees what the script would install.
@Suite struct SetupScriptTests {
    /// A folder with `dpkg-query` reporting only `installed` as present, and an `apt-get` that logs its arguments.
    private func stubs(installed: [String]) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let known = installed.joined(separator: " ")
        let dpkg = """
            #!/bin/sh
            for p in \(known); do [ "$p" = "$3" ] && { printf 'install ok installed'; exit 0; }; done
            exit 1
            """
        let apt = "#!/bin/sh\necho \"$@\" >> \(folder.file("apt.log"))\n"
        for (name, text) in [("dpkg-query", dpkg), ("apt-get", apt)] {
            try text.write(toFile: folder.file(name), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.file(name))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        return folder
    }

    private func runSetup(_ arguments: [String], stubs: TemporaryFolder, asUser user: String? = nil) throws
        -> (status: Int32, standardError: String)
    {
        let process = Process()
        let script = FixturePaths.repositoryRoot + "/scripts/setup"
        let path = stubs.path + ":/usr/sbin:/usr/bin:/sbin:/bin"
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", "/usr/bin/env", "PATH=" + path, "/bin/bash", script] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script] + arguments
            process.environment = ["PATH": path]
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // The script prints a few lines at most: reading one pipe after the other cannot block it.
        _ = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errorData, as: UTF8.self))
    }

    @Test("as root, setup installs exactly the missing build packages with apt-get", .enabled(if: getuid() == 0))
    func installsMissingAsRoot() throws {
        let folder = try stubs(installed: ["libsqlite3-dev", "zlib1g-dev"])
        defer { folder.remove() }
        let result = try runSetup([], stubs: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let log = try String(contentsOfFile: folder.file("apt.log"), encoding: .utf8)
        #expect(log.contains("update"))
        #expect(log.contains("install -y -qq libpcre2-dev libjemalloc-dev"))
    }

    @Test("with everything installed, setup does nothing")
    func idempotent() throws {
        let all = [
            "libsqlite3-dev", "zlib1g-dev", "libpcre2-dev", "libjemalloc-dev", "curl", "python3-venv", "chromium",
            "chromium-driver",
        ]
        let folder = try stubs(installed: all)
        defer { folder.remove() }
        let result = try runSetup(["--test"], stubs: folder)
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.file("apt.log")))
    }

    @Test("as another user, setup prints the exact command to run and exits 1", .enabled(if: getuid() == 0))
    func printsCommandWhenNotRoot() throws {
        let folder = try stubs(installed: ["libsqlite3-dev", "zlib1g-dev", "libpcre2-dev", "libjemalloc-dev"])
        defer { folder.remove() }
        let result = try runSetup(["--test"], stubs: folder, asUser: "nobody")
        #expect(result.status == 1)
        #expect(
            result.standardError.contains(
                "apt-get update && apt-get install -y curl python3-venv chromium chromium-driver"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("apt.log")))
    }

    @Test("the README's first commands run setup before building")
    func readmeCallsSetup() throws {
        let readme = try String(contentsOfFile: FixturePaths.repositoryRoot + "/README.md", encoding: .utf8)
        let block = try #require(readme.components(separatedBy: "```").dropFirst().first)
        let commands = block.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(commands.count == 2)
        #expect(commands.allSatisfy { $0.hasPrefix("scripts/setup") })
        #expect(commands.last?.hasSuffix("scripts/test") == true)
    }
}
