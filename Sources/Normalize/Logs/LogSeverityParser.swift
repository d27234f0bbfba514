package import TraceJoinCore

/// Maps every way producers write a level onto `LogSeverity`.
///
/// Names are matched in any case (`WARN`, `Warning`, `warning`, `Err`); numbers are pino/bunyan
/// levels (10 trace … 60 fatal), or syslog severities (0 emergency … 7 debug) below 10.
package enum LogSeverityParser {
    /// The severity a level name stands for, or nil when the word is not a level name.
    package static func severity(name: String) -> LogSeverity? {
        var name = name
        return name.withUTF8 { bytes in severity(bytes, 0, bytes.count) }
    }

    /// The severity of a level name in `bytes[start..<end]`, any case; nil when it is no level name.
    static func severity(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> LogSeverity? {
        let count = end - start
        guard count >= 2, count <= 13 else { return nil }
        // Pack up to 8 lowercased bytes into an integer; longer names compare by their first 8 and length.
        var key: UInt64 = 0
        for index in start..<min(end, start + 8) {
            let byte = bytes[index]
            guard LogBytes.isLetter(byte) else { return nil }
            key = key << 8 | UInt64(LogBytes.lowercased(byte))
        }
        for index in min(end, start + 8)..<end where !LogBytes.isLetter(bytes[index]) { return nil }
        return table[NameKey(count: count, prefix: key)]
    }

    /// A numeric level: pino/bunyan (10, 20, … 60) or, below 10, a syslog severity (GELF).
    package static func severity(number: Int) -> LogSeverity {
        switch number {
        case ..<0: .unspecified
        case 0...2: .fatal
        case 3: .error
        case 4: .warn
        case 5...6: .info
        case 7...9: .debug
        case 10...19: .trace
        case 20...29: .debug
        case 30...39: .info
        case 40...49: .warn
        case 50...59: .error
        default: .fatal
        }
    }

    private struct NameKey: Hashable {
        var count: Int
        var prefix: UInt64
    }

    /// Level names (lowercase), including logrus' four-letter text forms (`ERRO`, `WARN`, `DEBU`).
    private static let table: [NameKey: LogSeverity] = {
        let names: [(LogSeverity, [String])] = [
            (.trace, ["trace", "trc", "trac", "finest", "finer", "verbose", "vrb"]),
            (.debug, ["debug", "dbg", "debu", "fine", "config"]),
            (.info, ["info", "inf", "information", "informational", "notice"]),
            (.warn, ["warn", "warning", "wrn"]),
            (.error, ["error", "err", "erro", "eror", "severe"]),
            (.fatal, ["fatal", "fata", "ftl", "critical", "crit", "crt", "panic", "pani", "dpanic", "alert",
                      "emerg", "emergency"]),
        ]
        var table: [NameKey: LogSeverity] = [:]
        for (severity, words) in names {
            for word in words {
                var key: UInt64 = 0
                for byte in word.utf8.prefix(8) { key = key << 8 | UInt64(byte) }
                table[NameKey(count: word.utf8.count, prefix: key)] = severity
            }
        }
        return table
    }()
}
