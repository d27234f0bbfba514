/// The following logic for one open file, as a value: observations in, actions out, no I/O.
///
/// Life of a followed file: `following` (read whatever is appended) → `draining` (its path no longer names it:
/// keep reading the open descriptor until it has not grown for ``rotatedGrace``, emit an unfinished last line,
/// close) → `finished`. A rotated file is finished from the descriptor opened before the rotation, so nothing
/// written before the rename is lost even when the renamed file is gzipped or deleted right after; the grace
/// covers a writer that keeps appending to the renamed file until it is told to reopen (logrotate `create`
/// followed by a `postrotate` signal). A draining file found under a watched path again is followed again.
///
/// The position is always the start of the first line not yet delivered: a checkpoint. Bytes after the last
/// newline are not consumed; they become a line when their newline arrives, or when the file is rotated away, or
/// once they have waited ``partialLineTimeout``.
package struct FollowedFile: Sendable {
    package enum Phase: Sendable, Equatable {
        case following
        case draining(TailAction.StopReason)
        case finished
    }

    /// The matched path the file is followed under (it changes when the file is renamed within the patterns).
    package private(set) var path: String
    /// The open file's identity; its head is refreshed as the file grows to ``TailFileIdentity/window`` bytes.
    package private(set) var identity: TailFileIdentity
    /// Where the next line starts.
    package private(set) var position: LinePosition
    package private(set) var phase: Phase = .following
    /// Symlink target the path had when last seen, if it is a link.
    package private(set) var linkTarget: String?
    /// When the bytes after the last newline last grew (nil when there are none): the partial-line timeout
    /// counts from the last byte that arrived, so a line written slowly, piece by piece, is never split.
    package private(set) var partialSince: Duration?
    /// How long an unterminated last line waits for its newline before it is delivered as it is.
    package let partialLineTimeout: Duration
    /// How long a rotated-away or deleted file is kept open after it last grew.
    package let rotatedGrace: Duration
    /// File size up to which the driver last read: a poll that sees the same size does not read again.
    package private(set) var readEnd: Int64
    /// When a read last found the file grown (or draining started).
    package private(set) var lastGrowth: Duration?

    package init(
        path: String, identity: TailFileIdentity, position: LinePosition, linkTarget: String? = nil,
        partialLineTimeout: Duration = .seconds(5), rotatedGrace: Duration = .seconds(5)
    ) {
        self.path = path
        self.identity = identity
        self.position = position
        self.linkTarget = linkTarget
        self.partialLineTimeout = partialLineTimeout
        self.rotatedGrace = rotatedGrace
        readEnd = position.byteOffset
    }

    /// The checkpoint to persist with the lines delivered so far.
    package var checkpoint: TailCheckpoint {
        TailCheckpoint(path: path, identity: identity, position: position)
    }

    /// Takes one poll's view of the file and says what to do.
    package mutating func observe(_ observation: TailObservation) -> [TailAction] {
        guard phase != .finished else { return [] }
        var actions: [TailAction] = []

        // The content under the open descriptor: shrunk, or its head replaced, means it was truncated.
        if observation.openSize < position.byteOffset || !identity.headIsPrefix(of: observation.openHead) {
            let reason: TailAction.RestartReason =
                observation.openSize < position.byteOffset ? .truncated : .rewritten
            actions.append(.restartFromZero(reason: reason, previous: identity, readUpTo: position))
            position = .start
            readEnd = 0
            partialSince = nil
        }
        identity = observation.open

        if phase == .following {
            if let movedTo = observation.movedTo {
                path = movedTo
            } else {
                switch observation.path {
                case .same:
                    break
                case .missing:
                    phase = .draining(.missing)
                    lastGrowth = observation.now
                    actions.append(.stopAfterDraining(.missing))
                case .other:
                    let retargeted = observation.linkTarget != nil && observation.linkTarget != linkTarget
                    let reason: TailAction.StopReason = retargeted ? .symlinkRetargeted : .replaced
                    phase = .draining(reason)
                    lastGrowth = observation.now
                    actions.append(.finishOldDescriptorThenSwitch(reason))
                }
            }
            if phase == .following { linkTarget = observation.linkTarget }
        } else if case .draining = phase, observation.movedTo != nil || observation.path == .same {
            // Moved back under a watched path before the grace ran out: follow it again.
            phase = .following
            if let movedTo = observation.movedTo { path = movedTo }
        }

        if observation.openSize != readEnd {
            actions.append(.readFrom(position.byteOffset))
        } else {
            actions += afterReading(now: observation.now)
        }
        return actions
    }

    /// Reports a ``TailAction/readFrom(_:)``: complete lines were delivered up to `position`, the file ended at
    /// `endOffset`, and `unterminatedBytes` after the last newline wait for theirs.
    package mutating func didRead(
        upTo position: LinePosition, endOffset: Int64, unterminatedBytes: Int64, now: Duration
    ) -> [TailAction] {
        if position != self.position { partialSince = nil }
        let grew = endOffset > readEnd
        if grew { lastGrowth = now }
        self.position = position
        readEnd = endOffset
        if unterminatedBytes > 0 {
            if partialSince == nil || grew { partialSince = now }
        } else {
            partialSince = nil
        }
        return afterReading(now: now)
    }

    /// Reports a ``TailAction/emitPartialLine``: the unterminated line was delivered and ended at `position`.
    package mutating func didEmitPartialLine(upTo position: LinePosition) {
        self.position = position
        partialSince = nil
    }

    /// Reports a ``TailAction/close``.
    package mutating func didClose() {
        phase = .finished
    }

    /// What follows a read (or a poll with nothing new): a timed-out partial line, or the end of a drain.
    private mutating func afterReading(now: Duration) -> [TailAction] {
        switch phase {
        case .finished:
            return []
        case .draining:
            if let lastGrowth, now - lastGrowth < rotatedGrace { return [] }
            return partialSince != nil ? [.emitPartialLine, .close] : [.close]
        case .following:
            if let since = partialSince, now - since >= partialLineTimeout { return [.emitPartialLine] }
            return []
        }
    }
}
