#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

package import TraceJoinCore

/// Follows every file the patterns match, delivering each complete line once, surviving rotation and restarts.
///
/// Each poll (``pollOnce(maxLines:_:)``) first looks at the files already open — each a ``FollowedFile``
/// state machine fed a ``TailObservation`` — oldest first, so a rotated file is read to its end from its open
/// descriptor before its successor is read; then it opens files that match for the first time, starting each
/// where a checkpoint or an earlier reading of the same content left off (a `copytruncate` copy is recognised
/// by its head, not read again).
///
/// Files are tracked by device + inode, not by name: a file renamed within the patterns (`app.log` →
/// `app.log.1` with `app.log*`) keeps being followed under its new name. Gzip files (magic `1f 8b`) are never
/// followed: they are rotated backups whose lines were read before compression, from the uncompressed file.
///
/// Not thread-safe: one task drives it. A caller may poll early when a ``TailDirectoryWatcher`` reports a change
/// in ``directoriesToWatch``: a poll looks at every file whatever woke it, so events change when lines are
/// read, never which.
package final class FileTailer {
    package let configuration: TailConfiguration
    /// Lines delivered cut (longer than `maxLineBytes`).
    package private(set) var linesCut = 0
    /// Lines delivered without a newline (rotated away or timed out).
    package private(set) var linesUnterminated = 0

    struct InodeKey: Hashable {
        var device: UInt64
        var inode: UInt64

        init(device: UInt64, inode: UInt64) {
            self.device = device
            self.inode = inode
        }

        init(_ identity: TailFileIdentity) {
            self.init(device: identity.device, inode: identity.inode)
        }
    }

    struct Entry {
        var file: FollowedFile
        let descriptor: TailDescriptor
        /// Opening order: older files (a rotated one) are read before newer ones (its successor).
        let order: Int
        /// The size when last looked at, for ``FileTailer/openFiles``.
        var size: Int64
        /// The first bytes when last looked at (up to ``TailFileIdentity/window``): a copy still shorter than
        /// the window is recognised by comparing bytes, not hashes.
        var head: [UInt8]
        /// When a poll last found it grown (or opened it): the least recently grown idle file is closed first
        /// when files wait for a descriptor.
        var lastGrowth: Duration
    }

    /// Content no longer open (finished, replaced by a truncation, or restored from checkpoints).
    struct Retired {
        var checkpoint: TailCheckpoint
        /// Its first bytes, when this process saw them (not after a restore: checkpoints keep only a hash).
        var head: [UInt8]?
    }

    let now: () -> Duration
    var followed: [InodeKey: Entry] = [:]
    /// Files opened and not started yet, oldest first: found by a poll that ran out of line budget before
    /// reading them, or waiting until their content says where to start (empty, or a copy still being written).
    var unstarted: [Unstarted] = []
    /// Content finished or replaced (and restored checkpoints), most recent last, at most `retiredLimit`.
    var retired: [Retired] = []
    var restoredCheckpoints = false
    /// Matched files that could not be opened and were noted (see ``takeNotices()``).
    private var unreadable = Set<InodeKey>()
    var notices: [Diagnostic] = []
    /// Whether files waiting for a descriptor were noted (again once none wait any more).
    var notedWaitingForDescriptors = false
    /// Files closed while idle to free a descriptor, with their size then: opened again when they grow.
    var closedIdle: [InodeKey: Int64] = [:]
    var polls = 0
    var opened = 0

    /// - Parameter now: monotonic time for the partial-line timeout; tests pass a manual clock.
    package init(configuration: TailConfiguration, now: @escaping () -> Duration = FileTailer.monotonicNow) {
        self.configuration = configuration
        self.now = now
    }

    /// Time since an arbitrary start, from the continuous clock.
    package static func monotonicNow() -> Duration {
        ContinuousClock.now - start
    }
    private static let start = ContinuousClock.now

    /// Resumes from checkpoints a caller persisted: a file found again (by identity, whatever its name now)
    /// continues at its position; a file whose head matches a checkpoint's content (a copy) starts there too.
    /// Call before the first poll.
    package func restore(_ checkpoints: [TailCheckpoint]) {
        retired = checkpoints.suffix(configuration.retiredLimit).map { Retired(checkpoint: $0, head: nil) }
        restoredCheckpoints = true
    }

    /// Where every followed file stands, and the content recently finished: persist these with the lines
    /// delivered so far, and pass them to ``restore(_:)`` after a restart.
    ///
    /// One per file (device + inode), as a store keyed by file keeps them: finished content first, open files
    /// last. Content a file held before it was truncated is remembered here to recognise its copy, but only
    /// what the file holds now is persisted: a row alternating between the two made a restart read the new
    /// content again (issue #15).
    package var checkpoints: [TailCheckpoint] {
        var seen = Set(followed.keys)
        var finished: [TailCheckpoint] = []
        for entry in retired.reversed() where seen.insert(InodeKey(entry.checkpoint.identity)).inserted {
            finished.append(entry.checkpoint)
        }
        return finished.reversed()
            + followed.values.map(\.file.checkpoint).sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The checkpoints of the files open now (a subset of ``checkpoints``): a file missing from it was closed.
    package var openCheckpoints: [TailCheckpoint] {
        followed.values.map(\.file.checkpoint)
    }

    /// The first `count` bytes (or fewer) of a file open now, read through its descriptor whatever it is called
    /// now; nil when it is not open. Safe to call from a line callback: a caller choosing how to decode a file
    /// looks at its start even when reading resumes in its middle.
    package func firstBytes(of identity: TailFileIdentity, count: Int) -> [UInt8]? {
        followed[InodeKey(device: identity.device, inode: identity.inode)]?.descriptor.bytes(at: 0, count: count)
    }

    /// Where each open file stands against its size, oldest opened first.
    package var openFiles: [TailFileProgress] {
        followed.values.sorted { $0.order < $1.order }.map {
            TailFileProgress(path: $0.file.path, identity: $0.file.identity, position: $0.file.position, size: $0.size)
        }
    }

    /// What the tailer has to say since the last call (a matched file it cannot open), for a log at notice level.
    package func takeNotices() -> [Diagnostic] {
        defer { notices = [] }
        return notices
    }

    /// Paths followed now (files waiting to be started included).
    package var followedPaths: [String] {
        (followed.values.map(\.file.path) + unstarted.map(\.path)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// One poll: reads what was appended, handles rotations, opens new files, calling `body` for each line.
    ///
    /// At most `maxLines` lines are delivered; the poll then stops where it is, with ``checkpoints`` covering
    /// exactly the lines delivered, and returns true (call again before sleeping). A caller that commits each
    /// poll's lines with its checkpoints in one transaction thus bounds the transaction, and a kill between two
    /// commits loses nothing and repeats nothing.
    ///
    /// An error thrown by `body` stops the poll the same way; positions stay after the last line accepted, so
    /// the next poll delivers the line that failed again.
    @discardableResult
    package func pollOnce(maxLines: Int = .max, _ body: (TailedLine) throws -> Void) throws -> Bool {
        var delivered = 0
        do {
            try poll { line in
                guard delivered < maxLines else { throw BudgetReached() }
                delivered += 1
                try body(line)
            }
        } catch is BudgetReached {
            return true
        }
        polls += 1
        return false
    }

    private struct BudgetReached: Error {}

    private func poll(_ body: (TailedLine) throws -> Void) throws {
        let matched = matchedPaths()
        var byInode: [InodeKey: String] = [:]
        for (path, key, _) in matched where byInode[key] == nil { byInode[key] = path }
        let time = now()
        let keys = followed.keys.sorted { followed[$0]!.order < followed[$1]!.order }

        // Files seen for the first time are opened before anything is read, though read last: a tailer behind
        // its writers (each poll cut short by its line budget before reaching them) still holds every new
        // file's content when it is rotated away and deleted before its turn comes.
        unreadable = unreadable.filter { byInode[$0] != nil }
        closedIdle = closedIdle.filter { byInode[$0.key] != nil }
        let starting = Set(unstarted.map(\.key))
        var waitingForDescriptor = 0
        var idleFiles: [InodeKey]?
        for (path, key, size) in matched where followed[key] == nil && !starting.contains(key) {
            // A file closed while idle is opened again when it has grown, not before.
            if isUnchangedSinceClosed(key, size: size) { continue }
            guard
                followed.count + unstarted.count < configuration.maxOpenFiles
                    || closeIdleFile(now: time, candidates: &idleFiles)
            else {
                waitingForDescriptor += 1
                continue
            }
            let descriptor: TailDescriptor
            do {
                descriptor = try TailDescriptor(path: path)
            } catch where error.isOutOfDescriptors {
                waitingForDescriptor += 1
                continue
            } catch {
                noteUnreadable(path, key: key, error)
                continue
            }
            guard let status = descriptor.status(), status.device == key.device, status.inode == key.inode
            else { continue }  // replaced since the glob: next poll
            unreadable.remove(key)
            unstarted.append(Unstarted(key: key, path: path, descriptor: descriptor))
        }
        noteWaitingForDescriptors(waitingForDescriptor)

        // Files already open first: a rotated file is finished before its successor is read.
        for key in keys {
            guard let entry = followed[key], let open = entry.descriptor.identity() else { continue }
            let observation = observe(entry.file, key: key, open: open, byInode: byInode, now: time)
            var file = entry.file
            let actions = file.observe(observation)
            followed[key]?.file = file
            followed[key]?.size = open.size
            followed[key]?.head = open.head
            if open.size != entry.size { followed[key]?.lastGrowth = time }
            try perform(actions, key: key, now: time, previousHead: entry.head, body)
        }

        // Then the new ones, in the order they were found, under the name they match now if they still do.
        // One that no longer matches is started anyway, to be drained: its content may not be anywhere else.
        var waiting: [Unstarted] = []
        defer { unstarted = waiting + unstarted }
        while !unstarted.isEmpty {
            var next = unstarted.removeFirst()
            next.path = byInode[next.key] ?? next.path
            if try !start(next, mayWait: byInode[next.key] != nil, now: time, body) { waiting.append(next) }
        }
    }

    /// Polls every `pollInterval` until the task is cancelled.
    package func run(_ body: (TailedLine) throws -> Void) async throws {
        while !Task.isCancelled {
            while try pollOnce(body) {}
            try await Task.sleep(for: configuration.pollInterval)
        }
    }

    /// Closes every descriptor (checkpoints stay readable).
    package func close() {
        followed.removeAll()
        unstarted.removeAll()
    }

    /// The folders whose changes can concern this tailer, for a ``TailDirectoryWatcher``: each pattern's folder
    /// (the part before its first glob character; the deepest one that exists yet, so its creation is seen),
    /// the folder of every file followed, and of every symlink's target (a Kubernetes container log is written
    /// in `/var/log/pods/…`, not beside its link).
    package var directoriesToWatch: Set<String> {
        var directories = Set<String>()
        for pattern in configuration.patterns { directories.insert(Self.existingBase(of: pattern)) }
        for entry in followed.values {
            directories.insert(Self.directory(of: entry.file.path))
            if let target = entry.file.linkTarget {
                let resolved = target.hasPrefix("/") ? target : Self.directory(of: entry.file.path) + "/" + target
                directories.insert(Self.directory(of: resolved))
            }
        }
        return directories
    }

    /// The folder a pattern names, or holds its glob in: a folder itself, a file's parent, the components before
    /// the first glob character; walked up to the deepest ancestor that exists.
    static func existingBase(of pattern: String) -> String {
        var components = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let glob = components.firstIndex(where: GlobExpander.isPattern) {
            components.removeSubrange(glob...)
        } else if FileSystem.status(pattern)?.kind != .directory {
            components.removeLast()
        }
        while true {
            let candidate = components.isEmpty ? "." : components.joined(separator: "/")
            if candidate.isEmpty { return "/" }
            if FileSystem.status(candidate)?.kind == .directory { return candidate }
            if components.isEmpty { return "." }
            components.removeLast()
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    // MARK: - Observing

    private func observe(
        _ file: FollowedFile, key: InodeKey, open: (identity: TailFileIdentity, head: [UInt8], size: Int64),
        byInode: [InodeKey: String], now: Duration
    ) -> TailObservation {
        let pathState: TailObservation.PathState
        if let status = FileSystem.status(file.path) {
            let there = InodeKey(device: status.device, inode: status.inode)
            pathState =
                there == key
                ? .same : .other(TailFileIdentity(device: there.device, inode: there.inode, headLength: 0, headHash: 0))
        } else {
            pathState = .missing
        }
        var movedTo: String?
        if pathState != .same, let elsewhere = byInode[key], elsewhere != file.path { movedTo = elsewhere }
        return TailObservation(
            path: pathState, movedTo: movedTo, open: open.identity, openHead: open.head, openSize: open.size,
            linkTarget: Self.linkTarget(file.path), now: now)
    }

    /// Regular files the patterns match now (files, folders walked, globs), each inode once, in pattern then
    /// path order. Gzip files are filtered out when opened.
    private func matchedPaths() -> [(String, InodeKey, Int64)] {
        var seen = Set<InodeKey>()
        var found: [(String, InodeKey, Int64)] = []
        for pattern in configuration.patterns {
            // A glob matching nothing yet, or a folder not created yet, is not an error for a tailer: look again.
            for path in (try? InputDiscovery.paths(for: pattern)) ?? [] {
                guard let status = FileSystem.status(path), status.kind == .file else { continue }
                let key = InodeKey(device: status.device, inode: status.inode)
                guard seen.insert(key).inserted else { continue }
                found.append((path, key, status.size))
            }
        }
        return found
    }

    static func linkTarget(_ path: String) -> String? {
        guard FileSystem.isSymbolicLink(path) else { return nil }
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: - Acting

    /// Does what a file's state machine asked; `previousHead` is its head before this poll (the content a
    /// truncation replaced).
    func perform(
        _ actions: [TailAction], key: InodeKey, now: Duration, previousHead: [UInt8] = [],
        _ body: (TailedLine) throws -> Void
    ) throws {
        for action in actions {
            guard let entry = followed[key] else { return }
            var file = entry.file
            var more: [TailAction] = []
            switch action {
            case .readFrom:
                let identity = file.identity
                let path = file.path
                var reached = file.position
                let result: TailDescriptor.ReadResult
                do {
                    result = try entry.descriptor.readLines(
                        from: file.position, maxLineBytes: configuration.maxLineBytes,
                        chunkBytes: configuration.readChunkBytes
                    ) { line in
                        try body(
                            TailedLine(
                                path: path, identity: identity, bytes: line.bytes, number: line.number,
                                byteOffset: line.byteOffset, wasCut: line.wasCut, wasUnterminated: false,
                                next: line.next))
                        reached = line.next
                    }
                } catch {
                    // The checkpoint stays after the last line delivered: the next poll retries the failed one.
                    _ = file.didRead(upTo: reached, endOffset: reached.byteOffset, unterminatedBytes: 0, now: now)
                    followed[key]?.file = file
                    throw error
                }
                linesCut += result.linesCut
                if let size = followed[key]?.size, result.endOffset > size { followed[key]?.size = result.endOffset }
                more = file.didRead(
                    upTo: result.position, endOffset: result.endOffset, unterminatedBytes: result.unterminatedBytes,
                    now: now)
            case .finishOldDescriptorThenSwitch, .stopAfterDraining:
                break  // the read that follows drains the descriptor
            case .restartFromZero(_, let previous, let readUpTo):
                remember(TailCheckpoint(path: file.path, identity: previous, position: readUpTo), head: previousHead)
            case .emitPartialLine:
                let start = file.position
                let bytes = entry.descriptor.readPartialLine(
                    from: start.byteOffset, to: file.readEnd, maxLineBytes: configuration.maxLineBytes)
                let cut = file.readEnd - start.byteOffset > Int64(configuration.maxLineBytes)
                let next = LinePosition(byteOffset: file.readEnd, lineNumber: start.lineNumber + 1)
                if cut { linesCut += 1 }
                linesUnterminated += 1
                try bytes.withUnsafeBufferPointer { buffer in
                    try body(
                        TailedLine(
                            path: file.path, identity: file.identity, bytes: buffer, number: start.lineNumber,
                            byteOffset: start.byteOffset, wasCut: cut, wasUnterminated: true, next: next))
                }
                file.didEmitPartialLine(upTo: next)
            case .close:
                file.didClose()
                // A file deleted for good (no name left) can never be found again: nothing to remember it by.
                if !entry.descriptor.isDeleted { remember(file.checkpoint, head: entry.head) }
                followed[key] = nil
                continue
            }
            followed[key]?.file = file
            try perform(more, key: key, now: now, previousHead: previousHead, body)
        }
    }

    /// A matched file that cannot be opened (permissions) is said once, not on every poll, until it is
    /// opened or stops matching.
    private func noteUnreadable(_ path: String, key: InodeKey, _ error: TailOpenError) {
        guard !error.isMissing, unreadable.insert(key).inserted else { return }
        notices.append(
            Diagnostic(
                location: InputLocation(source: path), severity: .note,
                message: "matches but cannot be opened (\(error.reason)); it is not followed until it can be",
                hint: "give tracejoin read access to the file"))
    }

    private func remember(_ checkpoint: TailCheckpoint, head: [UInt8]) {
        guard checkpoint.identity.headLength > 0 else { return }  // an empty file: nothing to recognise
        let known = head.count >= checkpoint.identity.headLength ? Array(head.prefix(checkpoint.identity.headLength)) : nil
        retired.append(Retired(checkpoint: checkpoint, head: known))
        if retired.count > configuration.retiredLimit {
            retired.removeFirst(retired.count - configuration.retiredLimit)
        }
    }
}
