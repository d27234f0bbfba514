import Foundation
import TraceJoinCore

/// The live progress line of long runs: bytes done of total, events/s and ETA, on a terminal only.
///
/// Redrawn at most four times a second on standard error, so it costs nothing measurable.
package final class ProgressReporter: @unchecked Sendable {
    private let enabled: Bool
    private let totalBytes: Int64
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drewSomething = false

    /// - Parameters:
    ///   - totalBytes: the size on disk of all inputs.
    ///   - enabled: draw at all (false with `--quiet` or when standard error is not a terminal).
    package init(totalBytes: Int64, enabled: Bool) {
        self.totalBytes = totalBytes
        self.enabled = enabled
    }

    /// True when standard error is a terminal.
    package static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    package func update(bytesDone: Int64, events: Int, file: String) {
        guard let now = drawTime() else { return }
        let elapsed = Double(now - started) / 1e9
        let rate = elapsed > 0 ? Double(events) / elapsed : 0
        let fraction = totalBytes > 0 ? Double(bytesDone) / Double(totalBytes) : 0
        let eta = fraction > 0.01 ? elapsed / fraction - elapsed : .nan
        let name = TerminalText.escaped((file as NSString).lastPathComponent)
        let line = String(
            format: "\r\u{1B}[K%@ of %@ (%.0f%%)  %.0f events/s  ETA %@  %@", ByteCount.text(bytesDone),
            ByteCount.text(totalBytes), fraction * 100, rate, eta.isNaN ? "--" : "\(Int(eta))s", name)
        draw(line)
    }

    /// The line while the rows grouped by trace are written, after reading: rows stored of those to write.
    package func updateWriting(done: Int, total: Int) {
        guard drawTime() != nil else { return }
        let percent = total > 0 ? Double(done) / Double(total) * 100 : 100
        draw(String(format: "\r\u{1B}[Kwriting traces: %d of %d records (%.0f%%)", done, total, percent))
    }

    /// The line during the summary pass, which follows reading: traces summarised of those to do.
    package func updateSummaries(done: Int, total: Int) {
        guard drawTime() != nil else { return }
        let percent = total > 0 ? Double(done) / Double(total) * 100 : 100
        draw(String(format: "\r\u{1B}[Ksummarising traces: %d of %d (%.0f%%)", done, total, percent))
    }

    /// Now, when a line is due (enabled, and the last one drawn a quarter of a second ago or more); nil otherwise.
    private func drawTime() -> UInt64? {
        guard enabled else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 250_000_000 else { return nil }
        lastDraw = now
        return now
    }

    private func draw(_ line: String) {
        FileHandle.standardError.write(Data(line.utf8))
        drewSomething = true
        Console.progressLine.isDrawn = true
    }

    /// Clears the progress line before the summary is printed.
    package func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        Console.progressLine.isDrawn = false
    }
}

/// Human-readable byte counts: `1.2 GB`.
package enum ByteCount {
    package static func text(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
