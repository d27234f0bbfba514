import Ingest
import Metrics

/// What `tracejoin tail` reports through swift-metrics (whatever backend the process bootstrapped; none: no-op).
///
/// - `tracejoin_tail_files_followed` (gauge): files open now, rotated files still draining included.
/// - `tracejoin_tail_bytes_behind` (gauge, `path`): bytes a file holds past the last line delivered, summed over
///   the files open under that path (a rotated file draining keeps the name it had). Destroyed when no file is
///   open under the path any more, so a rotated-away name does not stay reported forever.
/// - `tracejoin_tail_lines_read`, `tracejoin_tail_lines_cut` (counters): lines read, and those cut to the line
///   limit.
/// - `tracejoin_tail_records_written` (counter): records committed to the database.
///
/// Updated once per batch handed to the writer, not per line, so the hot path pays nothing for it.
final class TailMetrics {
    private let filesFollowed = Gauge(label: "tracejoin_tail_files_followed")
    private let linesRead = Counter(label: "tracejoin_tail_lines_read")
    private let linesCut = Counter(label: "tracejoin_tail_lines_cut")
    private let recordsWritten = Counter(label: "tracejoin_tail_records_written")
    private var bytesBehind: [String: Gauge] = [:]

    /// Records a batch and where the open files stand now; returns the bytes behind per path.
    func update(
        open files: [TailFileProgress], linesRead lines: Int, linesCut cut: Int, recordsWritten records: Int
    ) -> [String: Int64] {
        if lines > 0 { linesRead.increment(by: lines) }
        if cut > 0 { linesCut.increment(by: cut) }
        if records > 0 { recordsWritten.increment(by: records) }
        filesFollowed.record(files.count)
        var behind: [String: Int64] = [:]
        for file in files { behind[file.path, default: 0] += file.bytesBehind }
        for (path, bytes) in behind {
            let gauge = bytesBehind[path] ?? Gauge(label: "tracejoin_tail_bytes_behind", dimensions: [("path", path)])
            bytesBehind[path] = gauge
            gauge.record(bytes)
        }
        for (path, gauge) in bytesBehind where behind[path] == nil {
            gauge.destroy()
            bytesBehind[path] = nil
        }
        return behind
    }
}
