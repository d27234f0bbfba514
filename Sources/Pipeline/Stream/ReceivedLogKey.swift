import TraceJoinCore

/// The position a received OTLP log record is stored at: a digest of its content instead of a sequence
/// number, so the same record received twice is stored once.
///
/// OTLP log records carry no ID. An exporter that retries a request which did commit (its answer was
/// lost), or two exporters sending the same records in two encodings (protobuf and JSON, as the
/// realclient demo does), would otherwise store every log twice. Logs are unique by
/// `(source_id, byte_offset, ordinal)`; received logs share one long-lived source, and the key fills
/// 63 + 31 bits of those columns from two independent 64-bit FNV-1a digests of time, severity, message,
/// service, trace and span IDs and attributes (after scrubbing). Two different records collide with a
/// probability of about 2⁻⁹⁴ per pair; two records equal in every field, nanosecond time included, are one.
enum ReceivedLogKey {
    /// `origin` with `byteOffset` and `ordinal` replaced by the digest of `log`.
    static func origin(of log: LogRecord, source: String) -> InputLocation {
        let (first, second) = digests(of: log)
        return InputLocation(source: source, byteOffset: Int64(bitPattern: first >> 1), ordinal: Int(second >> 33))
    }

    /// Both digests in one pass, so every field (and every attribute's text) is formatted once.
    static func digests(of log: LogRecord) -> (UInt64, UInt64) {
        var digest = Digest(seeds: (0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142))
        digest.add(log.time ?? 0)
        digest.add(Int64(log.severity.rawValue))
        digest.add(log.severityText)
        digest.add(log.message)
        digest.add(log.service)
        digest.add(log.trace.map { "\($0)" } ?? "")
        digest.add(log.spanID.map { "\($0)" } ?? "")
        for attribute in log.attributes { digest.add("\(attribute)") }
        return digest.values
    }

    /// Two FNV-1a 64-bit lanes with different seeds; each field is followed by a separator so ("ab","c") and
    /// ("a","bc") differ.
    struct Digest {
        private(set) var values: (UInt64, UInt64)

        init(seeds: (UInt64, UInt64)) { values = seeds }

        mutating func add(_ text: String) {
            for byte in text.utf8 { add(byte) }
            add(UInt8(0xff))
        }

        mutating func add(_ number: Int64) {
            var bits = UInt64(bitPattern: number)
            for _ in 0..<8 {
                add(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        }

        private mutating func add(_ byte: UInt8) {
            values.0 = (values.0 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            values.1 = (values.1 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
    }
}
