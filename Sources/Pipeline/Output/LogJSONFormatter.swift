package import TraceJoinCore

/// Log records as `tracejoin logs --format json` prints them and the page's `/api/tracejoin/logs` serves them: an
/// array of `{time, service, severity, message, source, attributes}`.
package enum LogJSONFormatter {
    package static func format(_ logs: [LogRecord]) -> String {
        var writer = JSONWriter()
        writer.array(logs) { writer, log in
            writer.raw("{\"time\":")
            if let time = log.time { writer.string(UnixTime.rfc3339(time)) } else { writer.raw("null") }
            writer.raw(",\"service\":")
            writer.string(log.service)
            writer.raw(",\"severity\":")
            writer.string(log.severity.name)
            writer.raw(",\"message\":")
            writer.string(log.message)
            writer.raw(",\"source\":")
            writer.string(log.origin.description)
            writer.raw(",\"attributes\":")
            writer.write(log.attributes)
            writer.raw("}")
        }
        return writer.text
    }
}
