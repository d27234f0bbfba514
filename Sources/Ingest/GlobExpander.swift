package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Expands a quoted glob: `*`, `?` and `[…]` within one path component (via `fnmatch`), `**` for any depth.
///
/// Glibc's `glob()` has no `**`, and a nightly job written as `tracejoin batch '/var/log/**/*.log.gz'` needs it.
/// Hidden entries match only a component that starts with `.` itself, as in a shell. Linked folders are not
/// entered by `**`, so a link loop cannot hang the expansion.
package enum GlobExpander {
    /// True when the argument holds a glob character.
    package static func isPattern(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    /// The paths (files or folders) the pattern matches, sorted; empty when none.
    package static func expand(_ pattern: String) throws(Diagnostic) -> [String] {
        var components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var base = pattern.hasPrefix("/") ? "/" : "."
        while let first = components.first, !isPattern(first) {
            base = base == "." ? first : FileSystem.join(base, first)
            components.removeFirst()
        }
        guard FileSystem.status(base)?.kind == .directory else { return [] }
        var found = Set<String>()
        match(components[...], in: base, into: &found)
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func match(_ rest: ArraySlice<String>, in directory: String, into found: inout Set<String>) {
        guard let segment = rest.first else {
            found.insert(directory)
            return
        }
        let remainder = rest.dropFirst()
        if segment == "**" {
            if remainder.isEmpty {  // `logs/**`: everything below; the folder walk does the rest
                found.insert(directory)
                return
            }
            match(remainder, in: directory, into: &found)  // zero folders
            for name in FileSystem.entries(of: directory) ?? [] where !name.hasPrefix(".") {
                let path = FileSystem.join(directory, name)
                if FileSystem.status(path)?.kind == .directory, !FileSystem.isSymbolicLink(path) {
                    match(rest, in: path, into: &found)
                }
            }
            return
        }
        if !isPattern(segment) {
            let path = FileSystem.join(directory, segment)
            guard let status = FileSystem.status(path) else { return }
            if remainder.isEmpty || status.kind == .directory { match(remainder, in: path, into: &found) }
            return
        }
        let matchesHidden = segment.hasPrefix(".")
        for name in FileSystem.entries(of: directory) ?? [] {
            if name.hasPrefix("."), !matchesHidden { continue }
            guard fnmatch(segment, name, 0) == 0 else { continue }
            let path = FileSystem.join(directory, name)
            if remainder.isEmpty {
                found.insert(path)
            } else if FileSystem.status(path)?.kind == .directory {
                match(remainder, in: path, into: &found)
            }
        }
    }
}
