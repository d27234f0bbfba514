import Ingest
import Testing
import TraceJoinTesting

/// The model test issue 5 asks for: random writes, rotations, truncations, deletions and restarts on real files,
/// with the real ``FileTailer`` polled step by step, checked against the lines written.
///
/// Every line is unique (`L<id> …`), so each delivery is traced to one write. A line must be delivered exactly
/// once, unless the file holding it stopped being reachable (deleted, gzipped, moved out of the pattern,
/// truncated in place) when the tailer held no descriptor for it — not polled since it appeared, or stopped.
/// Those may be missed (quirks note, 8), but are still never delivered twice.
@Suite struct FileTailerModelTests {

    /// The world as the writer and logrotate made it, and what the tailer may or must deliver.
    final class Model {
        let files: TailFiles
        let pattern: String
        var generator: SplitMix64
        var tailer: FileTailer?
        var saved: [TailCheckpoint] = []
        /// Name → generation (an inode's life) for plain files; `app.log*` are matched, `old-*` are not.
        var names: [String: Int] = [:]
        var lines: [Int: [Int]] = [:]
        /// Generations the running tailer holds a descriptor for (matched at its last poll).
        var held = Set<Int>()
        /// Generations that became unreachable since the last poll while held: drained by the next poll.
        var goneSincePoll = Set<Int>()
        var texts: [Int: String] = [:]
        var mayMiss = Set<Int>()
        var delivered: [Int: Int] = [:]
        var pending: (id: Int, rest: String)?
        var nextLine = 0
        var nextGeneration = 0
        var nextName = 0
        var log: [String] = []
        let clock = ManualClock()
        /// One line in twenty is 1,500 bytes: longer than the head window, and cut at this length.
        static let maxLineBytes = 1000

        init(folder: TemporaryFolder, seed: UInt64) {
            files = TailFiles(folder: folder)
            pattern = folder.path + "/app.log*"
            generator = SplitMix64(seed: seed)
            tailer = makeTailer()
        }

        func makeTailer() -> FileTailer {
            // Rotated files stay open 3 polls after they last grew; partial lines never time out (a writer that
            // finishes its line later would otherwise split it in two, which the model does not describe).
            FileTailer(
                configuration: TailConfiguration(
                    patterns: [pattern], maxLineBytes: Self.maxLineBytes, partialLineTimeout: .seconds(3600),
                    rotatedGrace: .seconds(3), readChunkBytes: 256),
                now: { [clock] in clock.now })
        }

        func isMatched(_ name: String) -> Bool { name.hasPrefix("app.log") }

        func newLine() -> (Int, String) {
            let id = nextLine
            nextLine += 1
            let padding =
                Int.random(in: 0..<100, using: &generator) < 5 ? 1500 : Int.random(in: 0...40, using: &generator)
            let text = "L\(id) " + String(repeating: "abcdefghij", count: padding / 10 + 1).prefix(padding)
            texts[id] = text
            return (id, text)
        }

        /// The generation at app.log, creating the file if needed.
        func current() -> Int {
            if let generation = names["app.log"] { return generation }
            files.create("app.log")
            nextGeneration += 1
            names["app.log"] = nextGeneration
            lines[nextGeneration] = []
            return nextGeneration
        }

        func completePending() {
            guard let (id, rest) = pending else { return }
            files.append("app.log", rest + "\n")
            lines[names["app.log"]!]!.append(id)
            pending = nil
        }

        /// The generation stopped being reachable through the pattern.
        func unreachable(_ generation: Int) {
            if tailer != nil, held.contains(generation) {
                goneSincePoll.insert(generation)
            } else {
                mayMiss.formUnion(lines[generation] ?? [])
            }
        }

        func freshName() -> Int {
            nextName += 1
            return nextName
        }

        func step() throws {
            let roll = Int.random(in: 0..<110, using: &generator)
            if tailer == nil, roll % 3 == 0 { return restart() }  // a stopped tailer comes back soon
            if roll >= 30, roll < 57 { return try poll() }
            if roll >= 57, roll < 60 { return try killMidPoll() }
            if roll >= 60, roll < 64 { return restart() }
            completePending()
            switch roll {
            case 0..<30:
                let generation = current()
                var text = ""
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let (id, line) = newLine()
                    text += line + "\n"
                    lines[generation]!.append(id)
                }
                files.append("app.log", text)
                log.append("write")
            case 64..<72:
                _ = current()
                let (id, line) = newLine()
                let cut = Int.random(in: 1..<line.utf8.count, using: &generator)
                let bytes = Array(line.utf8)
                files.append("app.log", String(decoding: bytes[..<cut], as: UTF8.self))
                pending = (id, String(decoding: bytes[cut...], as: UTF8.self))
                log.append("partial")
            case 72..<78:
                guard let generation = names.removeValue(forKey: "app.log") else { return }
                let name = "app.log.\(freshName())"
                files.rename("app.log", name)
                names[name] = generation
                _ = current()
                log.append("rename+create \(name)")
            case 78..<83:
                guard let generation = names["app.log"] else { return }
                let name = "app.log.\(freshName())"
                if Int.random(in: 0..<2, using: &generator) == 0 {
                    files.copyTruncate("app.log", to: name)
                } else {
                    // The copy is seen half-written (or still empty) by a poll, then completed and the original
                    // truncated; a kill -9 may come right after.
                    let content = files.contents("app.log")
                    let half = Int.random(in: 0...content.count, using: &generator)
                    files.folder.write(name, Array(content[..<half]))
                    try poll()
                    files.append(name, String(decoding: content[half...], as: UTF8.self))
                    files.truncate("app.log")
                    log.append("copy seen at \(half) of \(content.count)")
                    if Int.random(in: 0..<2, using: &generator) == 0 { restart() }
                }
                nextGeneration += 1
                names[name] = nextGeneration
                lines[nextGeneration] = lines[generation]
                lines[generation] = []
                log.append("copytruncate \(name)")
            case 83..<87:
                guard let generation = names.removeValue(forKey: "app.log") else { return }
                let name = "app.log.\(freshName())"
                files.rename("app.log", name)
                files.gzip(name, to: name + ".gz")
                unreachable(generation)
                _ = current()
                log.append("rename+gzip")
            case 87..<90:
                guard let generation = names["app.log"] else { return }
                files.truncate("app.log")
                mayMiss.formUnion(lines[generation]!)  // truncated in place: unread lines are gone
                lines[generation] = []
                log.append("truncate")
            case 90..<93:
                guard let generation = names.removeValue(forKey: "app.log") else { return }
                files.remove("app.log")
                unreachable(generation)
                log.append("delete")
            case 93..<100:
                let backups = names.keys.filter { $0.hasPrefix("app.log.") }.sorted()
                guard let oldest = backups.first, let generation = names.removeValue(forKey: oldest) else { return }
                files.remove(oldest)
                unreachable(generation)
                log.append("delete backup \(oldest)")
            case 100..<105:
                guard let generation = names.removeValue(forKey: "app.log") else { return }
                let name = "old-\(freshName())"
                files.rename("app.log", name)
                names[name] = generation
                unreachable(generation)
                log.append("move out")
            default:
                guard names["app.log"] == nil,
                    let name = names.keys.filter({ $0.hasPrefix("old-") }).sorted().last,
                    let generation = names.removeValue(forKey: name)
                else { return }
                files.rename(name, "app.log")
                names["app.log"] = generation
                log.append("move back")
            }
        }

        func poll() throws {
            guard let tailer else { return }
            clock.now += .seconds(1)
            try tailer.pollOnce { record($0) }
            held = Set(names.filter { isMatched($0.key) }.map(\.value))
            goneSincePoll = []
            log.append("poll")
        }

        /// A poll cut short by its line budget (a commit of part of what was there), then kill -9 right after.
        func killMidPoll() throws {
            guard let tailer else { return }
            clock.now += .seconds(1)
            _ = try tailer.pollOnce(maxLines: Int.random(in: 0...3, using: &generator)) { record($0) }
            log.append("budget poll")
            // Files the cut poll did not reach are still held; the ones it drained are not looked at again.
            restart()
        }

        func record(_ line: TailedLine) {
            let text = line.text
            let id = Int(text.dropFirst().prefix { $0 != " " })!
            let written = texts[id]!
            #expect(text == String(written.prefix(Self.maxLineBytes)), "line \(id) damaged; steps: \(log)")
            #expect(line.wasCut == (written.utf8.count > Self.maxLineBytes))
            delivered[id, default: 0] += 1
            log.append("got \(id) from \(line.path.split(separator: "/").last!)@\(line.byteOffset)")
        }

        /// kill -9 right after the last poll's checkpoint was persisted, then a restart from it.
        func restart() {
            if let tailer {
                saved = tailer.checkpoints
                tailer.close()
                self.tailer = nil
                for generation in goneSincePoll { mayMiss.formUnion(lines[generation] ?? []) }
                goneSincePoll = []
                held = []
                log.append("kill")
            } else {
                let tailer = makeTailer()
                tailer.restore(saved)
                self.tailer = tailer
                log.append("restart")
            }
        }

        func finish() throws {
            completePending()
            if tailer == nil { restart() }
            try poll()
            try poll()
        }
    }

    @Test("random writes, rotations, truncations, deletions and restarts: no line lost, none repeated")
    func randomSequences() throws {
        var written = 0
        var excusedAndMissed = 0
        var operations = Set<String>()
        for seed in UInt64(1)...200 {
            let folder = TemporaryFolder()
            let model = Model(folder: folder, seed: seed)
            for _ in 0..<40 { try model.step() }
            try model.finish()
            let repeated = model.delivered.filter { $0.value > 1 }.keys.sorted()
            let lost = (0..<model.nextLine).filter { model.delivered[$0] == nil && !model.mayMiss.contains($0) }
            #expect(repeated.isEmpty, "seed \(seed): repeated \(repeated); steps: \(model.log)")
            #expect(lost.isEmpty, "seed \(seed): lost \(lost); steps: \(model.log)")
            if !repeated.isEmpty || !lost.isEmpty { return }
            written += model.nextLine
            excusedAndMissed += model.mayMiss.filter { model.delivered[$0] == nil }.count
            operations.formUnion(model.log.map { String($0.prefix { $0 != " " }) })
        }
        // The sequences exercise every operation, and most lines are held to "exactly once".
        #expect(
            operations.isSuperset(of: [
                "write", "partial", "poll", "rename+create", "copytruncate", "copy", "rename+gzip", "truncate",
                "delete", "move", "kill", "restart", "budget",
            ]))
        #expect(excusedAndMissed * 3 < written, "\(excusedAndMissed) of \(written) lines excused")
    }
}
