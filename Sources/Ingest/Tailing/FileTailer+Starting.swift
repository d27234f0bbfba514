/// Where a file seen for the first time starts: its own checkpoint, the position reached in the content it
/// copies, or (while its content cannot tell yet) nowhere yet.
///
/// A `copytruncate` copy is written while the tailer looks: `cat app.log > app.log.1` can be seen empty, or
/// half-written. Started at 0, its lines would be stored twice; so a file that is empty, or whose content so
/// far is a prefix of content already read further than its size, waits (its descriptor open, nothing read)
/// until it is complete — it has reached the position read in the content it copies — or has become
/// something else.
extension FileTailer {
    /// A file found and opened, not yet read (see ``poll(_:)``).
    struct Unstarted {
        var key: InodeKey
        var path: String
        var descriptor: TailDescriptor
    }

    /// Where to start a new file.
    enum StartDecision: Equatable {
        case at(LinePosition)
        /// Empty, or a copy still being written of content read past its size: look again at the next poll.
        case wait
    }

    /// Starts following a file found by a poll; false when it must wait (``StartDecision/wait``). A file that
    /// no longer matches (`mayWait` false) and would wait is dropped: it is empty, or a copy of lines read.
    func start(_ found: Unstarted, mayWait: Bool, now: Duration, _ body: (TailedLine) throws -> Void) throws -> Bool {
        guard let open = found.descriptor.identity() else { return true }
        if open.head.count >= 2, open.head[0] == 0x1F, open.head[1] == 0x8B { return true }  // a gzip backup
        guard case .at(let position) = startDecision(open.identity, head: open.head, size: open.size, found: found)
        else { return !mayWait }
        var file = FollowedFile(
            path: found.path, identity: open.identity, position: position, linkTarget: Self.linkTarget(found.path),
            partialLineTimeout: configuration.partialLineTimeout, rotatedGrace: configuration.rotatedGrace)
        let actions = file.observe(
            TailObservation(
                path: .same, open: open.identity, openHead: open.head, openSize: open.size,
                linkTarget: file.linkTarget, now: now))
        opened += 1
        followed[found.key] = Entry(
            file: file, descriptor: found.descriptor, order: opened, size: open.size, head: open.head, lastGrowth: now)
        closedIdle[found.key] = nil
        try perform(actions, key: found.key, now: now, body)
        return true
    }

    /// Its own checkpoint, else the position reached in the content it copies, else the end (first poll,
    /// `startAt: .end`, nothing restored), else the beginning; or wait, while empty or a copy being written.
    func startDecision(_ identity: TailFileIdentity, head: [UInt8], size: Int64, found: Unstarted) -> StartDecision {
        // An empty head says nothing (and its position is 0): a reused inode must not match it.
        if let index = retired.lastIndex(where: {
            $0.checkpoint.identity.headLength > 0 && $0.checkpoint.identity.isContinued(by: identity, head: head)
        }) {
            let checkpoint = retired.remove(at: index).checkpoint
            if checkpoint.position.byteOffset <= size { return .at(checkpoint.position) }
        }
        if size == 0 { return .wait }
        let key = InodeKey(identity)
        let known =
            retired.filter { InodeKey($0.checkpoint.identity) != key }.map { ($0.checkpoint, $0.head) }
            + followed.values.map { ($0.file.checkpoint, Optional($0.head)) }
        let copied = known.filter { Self.mayBeCopied($0.0.identity, knownHead: $0.1, by: head) }.map(\.0)
        if copied.contains(where: { $0.position.byteOffset > size }) { return .wait }
        if let best = copied.max(by: { $0.position.byteOffset < $1.position.byteOffset }) { return .at(best.position) }
        if polls == 0, !restoredCheckpoints, configuration.startAt == .end { return .at(endPosition(found.descriptor)) }
        return .at(.start)
    }

    /// Whether a file starting with `head` holds (the beginning of) the content `identity` describes: its hash
    /// when the file is as long as that content's head, else the bytes, when this process saw them.
    static func mayBeCopied(_ identity: TailFileIdentity, knownHead: [UInt8]?, by head: [UInt8]) -> Bool {
        guard identity.headLength > 0 else { return false }
        if head.count >= identity.headLength { return identity.headIsPrefix(of: head) }
        guard let knownHead else { return false }
        return knownHead.count >= head.count && knownHead.starts(with: head)
    }

    /// After the last newline, with the line number counted, for `startAt: .end`.
    private func endPosition(_ descriptor: TailDescriptor) -> LinePosition {
        descriptor.readLines(
            from: .start, maxLineBytes: configuration.maxLineBytes, chunkBytes: configuration.readChunkBytes
        ) { _ in }.position
    }
}
