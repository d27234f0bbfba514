import Foundation
import Ingest
import Testing

/// The tailer on real files, one scenario of the quirks note per test, driven poll by poll.
@Suite struct FileTailerTests {
    let folder = TemporaryFolder()
    var files: TailFiles { TailFiles(folder: folder) }

    func tailer(
        _ patterns: [String] = ["app.log*"], startAt: TailConfiguration.StartPosition = .beginning,
        maxLineBytes: Int = 1 << 20, clock: ManualClock = ManualClock(), grace: Duration = .zero
    ) -> FileTailer {
        FileTailer(
            configuration: TailConfiguration(
                patterns: patterns.map { folder.path + "/" + $0 }, startAt: startAt, maxLineBytes: maxLineBytes,
                partialLineTimeout: .seconds(5), rotatedGrace: grace, readChunkBytes: 64),
            now: { clock.now })
    }

    @Test("appended lines are delivered once each, with numbers and offsets")
    func appended() throws {
        files.append("app.log", "one\ntwo\n")
        let tailer = tailer()
        var lines: [(String, Int, Int64)] = []
        try tailer.pollOnce { lines.append(($0.text, $0.number, $0.byteOffset)) }
        files.append("app.log", "three\n")
        try tailer.pollOnce { lines.append(($0.text, $0.number, $0.byteOffset)) }
        try tailer.pollOnce { lines.append(($0.text, $0.number, $0.byteOffset)) }
        #expect(lines.map(\.0) == ["one", "two", "three"])
        #expect(lines.map(\.1) == [1, 2, 3])
        #expect(lines.map(\.2) == [0, 4, 8])
    }

    @Test("rename + create, several times in a row: the renamed file is finished first")
    func renameCreate() throws {
        let tailer = tailer(["app.log"])
        files.append("app.log", "a1\n")
        #expect(try pollTexts(tailer) == ["a1"])
        files.append("app.log", "a2\n")
        files.rename("app.log", "app.log.1")
        files.append("app.log", "b1\n")
        files.rename("app.log", "app.log.2")
        files.append("app.log", "c1\n")
        // b1's file was never seen while it matched: it is lost (quirk 8), but nothing is repeated.
        #expect(try pollTexts(tailer) == ["a2", "c1"])
        #expect(try pollTexts(tailer) == [])
    }

    @Test("rename then gzip of the old file: its last lines come from the open descriptor")
    func renameGzip() throws {
        let tailer = tailer()
        files.append("app.log", "a1\n")
        #expect(try pollTexts(tailer) == ["a1"])
        files.append("app.log", "a2\n")
        files.rename("app.log", "app.log.1")
        files.gzip("app.log.1", to: "app.log.1.gz")
        files.append("app.log", "b1\n")
        #expect(try pollTexts(tailer) == ["a2", "b1"])
        #expect(try pollTexts(tailer) == [])
    }

    @Test("copytruncate: the copy is recognised by its head and not read again")
    func copyTruncate() throws {
        let tailer = tailer()
        files.append("app.log", "2026 first line of the day\n")
        #expect(try pollTexts(tailer) == ["2026 first line of the day"])
        files.append("app.log", "missed by the last poll\n")
        files.copyTruncate("app.log", to: "app.log.1")
        files.append("app.log", "after\n")
        #expect(try pollTexts(tailer) == ["after", "missed by the last poll"])
        files.append("app.log", "more\n")
        #expect(try pollTexts(tailer) == ["more"])
    }

    @Test("a file truncated then written past the old offset is read again from the start")
    func truncateThenWrite() throws {
        let tailer = tailer()
        files.append("app.log", "short\n")
        #expect(try pollTexts(tailer) == ["short"])
        files.truncate("app.log")
        files.append("app.log", "a much longer first line\n")
        #expect(try pollTexts(tailer) == ["a much longer first line"])
    }

    @Test("deleted while open: the rest is read, then the file is let go; recreated, it is read from the start")
    func deleteAndRecreate() throws {
        let tailer = tailer()
        files.append("app.log", "one\n")
        #expect(try pollTexts(tailer) == ["one"])
        files.append("app.log", "two\n")
        files.remove("app.log")
        #expect(try pollTexts(tailer) == ["two"])
        #expect(tailer.followedPaths.isEmpty)
        files.append("app.log", "three\n")
        #expect(try pollTexts(tailer) == ["three"])
    }

    @Test("a file moved out of the patterns and back is resumed, not read again")
    func movedAwayAndBack() throws {
        let tailer = tailer()
        files.append("app.log", "one\n")
        #expect(try pollTexts(tailer) == ["one"])
        files.append("app.log", "two\n")
        files.rename("app.log", "hidden")
        #expect(try pollTexts(tailer) == ["two"])
        files.append("hidden", "three\n")
        files.rename("hidden", "app.log")
        #expect(try pollTexts(tailer) == ["three"])
    }

    @Test("a symlink whose target changes: the old target is finished, the new one read from its start")
    func symlinkRetargeted() throws {
        let tailer = tailer(["containers/*.log"])
        files.append("pods-0.log", "first container\n")
        folder.write("containers/.keep", "")
        files.symlink("pods-0.log", "containers/app.log")
        #expect(try pollTexts(tailer) == ["first container"])
        files.append("pods-0.log", "last words\n")
        files.append("pods-1.log", "restarted\n")
        files.symlink("pods-1.log", "containers/app.log")
        #expect(try pollTexts(tailer) == ["last words", "restarted"])
    }

    @Test("a partial last line waits for its newline, and is delivered after the timeout or on rotation")
    func partialLine() throws {
        let clock = ManualClock()
        let tailer = tailer(["app.log"], clock: clock)
        files.append("app.log", "whole\nhal")
        #expect(try pollTexts(tailer) == ["whole"])
        files.append("app.log", "f\n")
        #expect(try pollTexts(tailer) == ["half"])
        files.append("app.log", "stuck")
        clock.now = .seconds(1)
        #expect(try pollTexts(tailer) == [])
        clock.now = .seconds(7)
        var unterminated: [Bool] = []
        try tailer.pollOnce { unterminated.append($0.wasUnterminated) }
        #expect(unterminated == [true])
        files.append("app.log", "tail")
        #expect(try pollTexts(tailer) == [])
        files.rename("app.log", "app.log.1")
        #expect(try pollTexts(tailer) == ["tail"])
    }

    @Test("lines longer than the limit are cut and counted, the next line is intact")
    func longLines() throws {
        let tailer = tailer(maxLineBytes: 10)
        files.append("app.log", String(repeating: "x", count: 100))
        #expect(try pollTexts(tailer) == [])
        files.append("app.log", String(repeating: "y", count: 100) + "\nnext\n")
        var lines: [(String, Bool)] = []
        try tailer.pollOnce { lines.append(($0.text, $0.wasCut)) }
        #expect(lines.map(\.0) == ["xxxxxxxxxx", "next"])
        #expect(lines.map(\.1) == [true, false])
        #expect(tailer.linesCut == 1)
    }

    @Test("--from end skips what files held at the first poll, not what is written later or in new files")
    func fromEnd() throws {
        files.append("app.log", "old\nold too\npart")
        let tailer = tailer(startAt: .end)
        #expect(try pollTexts(tailer) == [])
        files.append("app.log", "ial\n")
        files.append("app.log.new", "new file\n")
        var lines: [(String, Int)] = []
        try tailer.pollOnce { lines.append(($0.text, $0.number)) }
        #expect(lines.map(\.0) == ["partial", "new file"])
        #expect(lines.map(\.1) == [3, 1])
    }

    @Test("restart from checkpoints: a file renamed and appended to meanwhile is read only for its new part")
    func restartAfterRename() throws {
        let first = tailer()
        files.append("app.log", "one\ntwo\n")
        #expect(try pollTexts(first) == ["one", "two"])
        let saved = first.checkpoints
        first.close()
        files.append("app.log", "three\n")
        files.rename("app.log", "app.log.1")
        files.append("app.log.1", "four\n")
        files.append("app.log", "five\n")
        let second = tailer()
        second.restore(saved)
        var lines: [(String, Int)] = []
        try second.pollOnce { lines.append(($0.text, $0.number)) }
        #expect(lines.map(\.0) == ["five", "three", "four"])
        #expect(lines.map(\.1) == [1, 3, 4])
    }

    @Test("a callback that throws leaves the checkpoint at the failed line")
    func throwingCallback() throws {
        struct Stop: Error {}
        let tailer = tailer()
        files.append("app.log", "one\ntwo\nthree\n")
        var seen: [String] = []
        #expect(throws: Stop.self) {
            try tailer.pollOnce { line in
                if line.text == "two" { throw Stop() }
                seen.append(line.text)
            }
        }
        #expect(try pollTexts(tailer) == ["two", "three"])
        #expect(seen == ["one"])
    }

    @Test("a file in a folder created after the tailer started is found by a later poll")
    func folderCreatedLater() throws {
        let tailer = tailer(["pods/*/0.log"])
        #expect(try pollTexts(tailer) == [])
        folder.write("pods/new-pod/0.log", "hello from a new pod\n")
        #expect(try pollTexts(tailer) == ["hello from a new pod"])
        #expect(tailer.followedPaths.count == 1)
    }

    @Test("checkpoints survive a round trip through JSON and resume at the same line")
    func checkpointsCodable() throws {
        let first = tailer()
        files.append("app.log", "one\ntwo\n")
        _ = try pollTexts(first)
        let data = try JSONEncoder().encode(first.checkpoints)
        first.close()
        files.append("app.log", "three\n")
        let second = tailer()
        second.restore(try JSONDecoder().decode([TailCheckpoint].self, from: data))
        var lines: [(String, Int)] = []
        try second.pollOnce { lines.append(($0.text, $0.number)) }
        #expect(lines.map(\.0) == ["three"])
        #expect(lines.map(\.1) == [3])
    }

    @Test("a folder pattern follows every file under it, new ones included")
    func folderPattern() throws {
        let tailer = tailer(["logs"])
        folder.write("logs/a.log", "a\n")
        #expect(try pollTexts(tailer) == ["a"])
        folder.write("logs/deep/b.log", "b\n")
        folder.write("logs/.hidden", "hidden\n")
        #expect(try pollTexts(tailer) == ["b"])
    }

    @Test("each line carries the checkpoint that covers it")
    func lineCheckpoints() throws {
        let first = tailer()
        files.append("app.log", "one\ntwo\nthree\n")
        var afterTwo: TailCheckpoint?
        try first.pollOnce { line in
            if line.text == "two" { afterTwo = line.checkpoint }
        }
        first.close()
        let second = tailer()
        second.restore([try #require(afterTwo)])
        #expect(try pollTexts(second) == ["three"])
    }

    @Test("a writer that appends to the renamed file before reopening loses nothing within the grace")
    func writerReopensLate() throws {
        let clock = ManualClock()
        let tailer = tailer(["app.log"], clock: clock, grace: .seconds(5))
        files.append("app.log", "one\n")
        #expect(try pollTexts(tailer) == ["one"])
        files.rename("app.log", "app.log.1")
        files.create("app.log")
        clock.now = .seconds(1)
        #expect(try pollTexts(tailer) == [])
        files.append("app.log.1", "late, before the reopen\n")
        files.append("app.log", "after the reopen\n")
        clock.now = .seconds(2)
        #expect(try pollTexts(tailer) == ["late, before the reopen", "after the reopen"])
        clock.now = .seconds(8)
        #expect(try pollTexts(tailer) == [])
        #expect(tailer.followedPaths.count == 1)
    }

    @Test("a poll stops after maxLines with checkpoints covering exactly the lines delivered")
    func lineBudget() throws {
        let first = tailer()
        files.append("app.log", "1\n2\n3\n")
        files.append("app.log.1", "a\nb\n")
        var texts: [String] = []
        #expect(try first.pollOnce(maxLines: 2) { texts.append($0.text) })
        let saved = first.checkpoints
        first.close()
        let second = tailer()
        second.restore(saved)
        #expect(try second.pollOnce(maxLines: 2) { texts.append($0.text) })
        #expect(try !second.pollOnce(maxLines: 2) { texts.append($0.text) })
        #expect(texts.sorted() == ["1", "2", "3", "a", "b"])
    }

    @Test("after a restart, a new file at the old name (its inode maybe reused) is read from its start")
    func inodeReuseAfterRestart() throws {
        let first = tailer()
        files.append("app.log", "old content line\n")
        #expect(try pollTexts(first) == ["old content line"])
        let saved = first.checkpoints
        first.close()
        files.remove("app.log")
        files.append("app.log", "new file, first line\nsecond\n")
        let second = tailer()
        second.restore(saved)
        #expect(try pollTexts(second) == ["new file, first line", "second"])
    }

    @Test("with checkpoints restored, --from end does not skip files found at the first poll")
    func fromEndAfterRestore() throws {
        let first = tailer(startAt: .end)
        files.append("app.log", "skipped\n")
        #expect(try pollTexts(first) == [])
        let saved = first.checkpoints
        first.close()
        files.append("app.log.1", "written while stopped\n")
        let second = tailer(startAt: .end)
        second.restore(saved)
        #expect(try pollTexts(second) == ["written while stopped"])
    }

    @Test("a tailer behind its writers opens new files before its line budget runs out: rotated away and deleted unread, they are still read")
    func newFilesOpenedBeforeTheBudgetRunsOut() throws {
        let tailer = tailer(["*.log"])
        files.append("old.log", (1...50).map { "old-\($0)\n" }.joined())
        var texts: [String] = []
        // The first poll reads 10 of old.log's 50 lines, then stops: its budget is spent.
        #expect(try tailer.pollOnce(maxLines: 10) { texts.append($0.text) })
        files.append("new.log", "new-1\nnew-2\n")
        // This poll finds new.log but spends its budget on old.log again.
        #expect(try tailer.pollOnce(maxLines: 10) { texts.append($0.text) })
        // new.log is rotated away and its backup deleted before the tailer reads a byte of it.
        files.rename("new.log", "new.log.1")
        files.remove("new.log.1")
        while try tailer.pollOnce(maxLines: 10, { texts.append($0.text) }) {}
        try tailer.pollOnce { texts.append($0.text) }
        #expect(texts == (1...50).map { "old-\($0)" } + ["new-1", "new-2"])
    }
}
