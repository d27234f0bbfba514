import Ingest
import Testing

/// Table tests of the following logic, one row per scenario of issue 5 and the quirks note.
@Suite struct FollowedFileTests {
    static let head = Array("2026-01-01T00:00:00Z first line\nsecond line\n".utf8)
    static let otherHead = Array("2026-01-02T00:00:00Z another file\n".utf8)
    static let identity = TailFileIdentity(device: 1, inode: 10, head: head)
    static let successor = TailFileIdentity(device: 1, inode: 11, head: otherHead)
    static let reading = LinePosition(byteOffset: Int64(head.count), lineNumber: 3)

    /// A file followed under `app.log`, read to the end of `head`.
    static func followed(linkTarget: String? = nil, grace: Duration = .zero) -> FollowedFile {
        FollowedFile(
            path: "app.log", identity: identity, position: reading, linkTarget: linkTarget,
            partialLineTimeout: .seconds(5), rotatedGrace: grace)
    }

    static func observation(
        path: TailObservation.PathState = .same, movedTo: String? = nil, head: [UInt8] = head, size: Int64? = nil,
        inode: UInt64 = 10, linkTarget: String? = nil, now: Duration = .zero
    ) -> TailObservation {
        TailObservation(
            path: path, movedTo: movedTo, open: TailFileIdentity(device: 1, inode: inode, head: head), openHead: head,
            openSize: size ?? Int64(head.count), linkTarget: linkTarget, now: now)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var observation: TailObservation
        var expected: [TailAction]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "nothing new: nothing to do", observation: observation(), expected: []),
        Row(
            name: "appended: read from the position", observation: observation(size: Int64(head.count) + 40),
            expected: [.readFrom(Int64(head.count))]),
        Row(
            name: "rename + create: finish the open descriptor, then switch",
            observation: observation(path: .other(successor), size: Int64(head.count) + 10),
            expected: [.finishOldDescriptorThenSwitch(.replaced), .readFrom(Int64(head.count))]),
        Row(
            name: "rename + create with nothing left to read: close at once",
            observation: observation(path: .other(successor)),
            expected: [.finishOldDescriptorThenSwitch(.replaced), .close]),
        Row(
            name: "deleted while open: drain, then stop",
            observation: observation(path: .missing, size: Int64(head.count) + 10),
            expected: [.stopAfterDraining(.missing), .readFrom(Int64(head.count))]),
        Row(
            name: "renamed within the patterns: keep following under the new name",
            observation: observation(path: .other(successor), movedTo: "app.log.1", size: Int64(head.count) + 5),
            expected: [.readFrom(Int64(head.count))]),
        Row(
            name: "copytruncate: the file shrank below the position, restart at 0",
            observation: observation(head: [], size: 0),
            expected: [.restartFromZero(reason: .truncated, previous: identity, readUpTo: reading)]),
        Row(
            name: "truncated then written past the position: the head changed, restart at 0",
            observation: observation(head: Array(repeating: UInt8(ascii: "x"), count: 200), size: 200),
            expected: [
                .restartFromZero(reason: .rewritten, previous: identity, readUpTo: reading), .readFrom(0),
            ]),
        Row(
            name: "symlink now points elsewhere: finish the old target",
            observation: observation(path: .other(successor), linkTarget: "/var/log/pods/b/0.log"),
            expected: [.finishOldDescriptorThenSwitch(.symlinkRetargeted), .close]),
    ]

    @Test("one poll's observation gives the actions the scenario needs", arguments: rows)
    func scenario(_ row: Row) {
        var file = Self.followed(linkTarget: row.name.hasPrefix("symlink") ? "/var/log/pods/a/0.log" : nil)
        #expect(file.observe(row.observation) == row.expected)
    }

    @Test("a renamed file is followed under its new name")
    func renamedWithinPatterns() {
        var file = Self.followed()
        _ = file.observe(Self.observation(path: .missing, movedTo: "app.log.1"))
        #expect(file.path == "app.log.1")
        #expect(file.phase == .following)
    }

    @Test("after a drain nothing more is asked")
    func finishedStaysQuiet() {
        var file = Self.followed()
        #expect(file.observe(Self.observation(path: .missing)) == [.stopAfterDraining(.missing), .close])
        file.didClose()
        #expect(file.observe(Self.observation(size: 500)) == [])
    }

    @Test("a partial last line waits for its newline, then is emitted after the timeout")
    func partialLineTimesOut() {
        var file = Self.followed()
        let grown = Int64(Self.head.count) + 7
        #expect(file.observe(Self.observation(size: grown)) == [.readFrom(Int64(Self.head.count))])
        #expect(file.didRead(upTo: Self.reading, endOffset: grown, unterminatedBytes: 7, now: .seconds(1)) == [])
        #expect(file.observe(Self.observation(size: grown, now: .seconds(5))) == [])
        #expect(file.observe(Self.observation(size: grown, now: .seconds(6))) == [.emitPartialLine])
        file.didEmitPartialLine(upTo: LinePosition(byteOffset: grown, lineNumber: 4))
        #expect(file.position == LinePosition(byteOffset: grown, lineNumber: 4))
        #expect(file.observe(Self.observation(size: grown, now: .seconds(60))) == [])
    }

    @Test("a partial line that keeps growing waits: the timeout counts from its last growth")
    func partialLineStillGrowing() {
        var file = Self.followed()
        let start = Int64(Self.head.count)
        for second in 1...8 {
            let size = start + Int64(second) * 3
            #expect(file.observe(Self.observation(size: size, now: .seconds(second))) == [.readFrom(start)])
            let unterminated = size - start
            #expect(
                file.didRead(upTo: Self.reading, endOffset: size, unterminatedBytes: unterminated, now: .seconds(second))
                    == [])
        }
        let size = start + 24
        #expect(file.observe(Self.observation(size: size, now: .seconds(12))) == [])
        #expect(file.observe(Self.observation(size: size, now: .seconds(13))) == [.emitPartialLine])
    }

    @Test("a partial line completed before the timeout is not emitted early")
    func partialLineCompleted() {
        var file = Self.followed()
        let grown = Int64(Self.head.count) + 7
        _ = file.observe(Self.observation(size: grown))
        _ = file.didRead(upTo: Self.reading, endOffset: grown, unterminatedBytes: 7, now: .seconds(1))
        let done = LinePosition(byteOffset: grown + 1, lineNumber: 4)
        #expect(
            file.observe(Self.observation(size: grown + 1, now: .seconds(2))) == [.readFrom(Int64(Self.head.count))])
        #expect(file.didRead(upTo: done, endOffset: grown + 1, unterminatedBytes: 0, now: .seconds(9)) == [])
        #expect(file.partialSince == nil)
    }

    @Test("a rotated file with a partial last line emits it, then closes")
    func partialLineOnRotation() {
        var file = Self.followed()
        let grown = Int64(Self.head.count) + 7
        #expect(
            file.observe(Self.observation(path: .other(Self.successor), size: grown))
                == [.finishOldDescriptorThenSwitch(.replaced), .readFrom(Int64(Self.head.count))])
        #expect(
            file.didRead(upTo: Self.reading, endOffset: grown, unterminatedBytes: 7, now: .zero)
                == [.emitPartialLine, .close])
    }

    @Test("the identity's head grows with the file, so a later truncation is still seen")
    func headRefreshes() {
        let short = Array("a\n".utf8)
        var file = FollowedFile(
            path: "app.log", identity: TailFileIdentity(device: 1, inode: 10, head: short),
            position: LinePosition(byteOffset: 2, lineNumber: 2))
        _ = file.observe(Self.observation(head: Self.head, size: Int64(Self.head.count)))
        #expect(file.identity.headLength == Self.head.count)
    }

    @Test("an identity recognises its content grown or copied, not another file")
    func identityMatching() {
        let grown = Self.head + Array("third\n".utf8)
        #expect(Self.identity.headIsPrefix(of: grown))
        #expect(Self.identity.isContinued(by: TailFileIdentity(device: 1, inode: 10, head: grown), head: grown))
        #expect(!Self.identity.isContinued(by: Self.successor, head: grown))
        #expect(!Self.identity.headIsPrefix(of: Self.otherHead))
        #expect(!Self.identity.headIsPrefix(of: Array(Self.head.prefix(5))))
    }

    @Test("a rotated file stays open while its writer keeps appending, and closes once idle for the grace")
    func rotatedGrace() {
        var file = Self.followed(grace: .seconds(5))
        let size = Int64(Self.head.count)
        #expect(
            file.observe(Self.observation(path: .missing, size: size + 10, now: .seconds(1)))
                == [.stopAfterDraining(.missing), .readFrom(size)])
        let after = LinePosition(byteOffset: size + 10, lineNumber: 4)
        #expect(file.didRead(upTo: after, endOffset: size + 10, unterminatedBytes: 0, now: .seconds(1)) == [])
        #expect(
            file.observe(Self.observation(path: .missing, size: size + 20, now: .seconds(4))) == [.readFrom(size + 10)])
        let later = LinePosition(byteOffset: size + 20, lineNumber: 5)
        #expect(file.didRead(upTo: later, endOffset: size + 20, unterminatedBytes: 0, now: .seconds(4)) == [])
        #expect(file.observe(Self.observation(path: .missing, size: size + 20, now: .seconds(8))) == [])
        #expect(file.observe(Self.observation(path: .missing, size: size + 20, now: .seconds(9))) == [.close])
    }

    @Test("a draining file moved back under a watched path is followed again")
    func drainingMovedBack() {
        var file = Self.followed(grace: .seconds(5))
        _ = file.observe(Self.observation(path: .missing))
        #expect(file.phase == .draining(.missing))
        #expect(file.observe(Self.observation(path: .missing, movedTo: "app.log.1", now: .seconds(1))) == [])
        #expect(file.phase == .following)
        #expect(file.path == "app.log.1")
    }
}
