/// Settings of the streaming write path behind `tracejoin serve` (docs/streaming.md).
package struct StreamConfiguration: Sendable {
    /// - `queueRecords` (default 65,536): records accepted but not yet committed, at most. A request that
    ///   would go over is answered `overloaded` at once (HTTP 503 + `Retry-After`). One request larger than the
    ///   whole queue is still taken when the queue is empty, so it is not refused forever.
    package var queueRecords = 65_536
    /// - `queueBytes` (default 256 MiB): the same bound in estimated memory (``estimatedBytes(bodyBytes:)``).
    package var queueBytes = 256 << 20
    /// - `inFlightBytes` (default 64 MiB): estimated memory of the requests between arrival and answer
    ///   (decoding, queued, being written). Decoding takes CPU, so under overload requests wait for a core
    ///   before they ever reach the queue; past this bound they are answered `overloaded` at once instead of
    ///   piling up. One request is always let in when none is in flight.
    package var inFlightBytes = 64 << 20
    /// - `recordsPerTransaction` (default 32,768): requests are committed together up to this many records in
    ///   one SQLite transaction (group commit); a larger request is one transaction of its own. Under load,
    ///   fewer and larger transactions write each page of the trace-ID index (new traces land on random pages)
    ///   once per commit instead of once per request: at 100k spans/s offered the writer's CPU per span fell
    ///   from ~4.8 to ~4.3 µs against 8,192, and it kept up (docs/performance.md).
    package var recordsPerTransaction = 32_768
    /// - `retryAfterSeconds` (default 2): what an overloaded answer asks the exporter to wait.
    package var retryAfterSeconds = 2
    /// - `traceIdle` (default 30 s): a trace is summarised once no row has reached it for this long, and again
    ///   after late data.
    package var traceIdle: Duration = .seconds(30)
    /// - `finalizeInterval` (default 1 s): how often the finalizer looks for idle traces.
    package var finalizeInterval: Duration = .seconds(1)

    package init() {}

    /// Memory a queued request holds, estimated from its body: decoded records (strings, attribute arrays)
    /// take about four times the protobuf bytes; OTLP/JSON bodies are larger than the records they make, so
    /// the estimate errs on the safe side for them.
    package static func estimatedBytes(bodyBytes: Int) -> Int { bodyBytes * 4 }
}
