package import Store
import TraceJoinCore

/// The forms of `incidents --group`: incidents folded into problems by fingerprint.
///
/// JSON field names are a contract, like `TimelineJSONFormatter`'s: `fingerprint`, `errorClass`,
/// `count`, `firstSeen`, `lastSeen`, `services`, `exampleTraceId`, `rule`, `rootCause`.
package enum ProblemFormatter {
    /// An array of problem objects, most frequent first.
    package static func json(_ problems: [ProblemGroup]) -> String {
        var writer = JSONWriter()
        writer.raw("[")
        for (index, problem) in problems.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"fingerprint\":")
            if problem.fingerprint.isEmpty { writer.raw("null") } else { writer.string(problem.fingerprint) }
            writer.raw(",\"errorClass\":")
            writer.string(orNull: problem.errorClass)
            writer.raw(",\"count\":\(problem.count),\"firstSeen\":")
            RecordTimeText.writeJSON(problem.firstSeen, to: &writer)
            writer.raw(",\"lastSeen\":")
            RecordTimeText.writeJSON(problem.lastSeen, to: &writer)
            writer.raw(",\"services\":")
            writer.write(strings: problem.services)
            writer.raw(",\"exampleTraceId\":")
            writer.string(problem.exampleTraceID.hex)
            writer.raw(",\"rule\":")
            writer.string(orNull: problem.ruleID)
            writer.raw(",\"rootCause\":")
            if let rootCause = problem.rootCause {
                writer.raw("{\"service\":")
                writer.string(rootCause.service)
                writer.raw(",\"name\":")
                writer.string(rootCause.name)
                writer.raw(",\"message\":")
                writer.string(rootCause.message)
                writer.raw("}")
            } else {
                writer.raw("null")
            }
            writer.raw("}")
        }
        writer.raw("]")
        return writer.text
    }

    /// Three lines per problem: count, class, fingerprint, first and last seen, example trace; then the
    /// root cause; then the services. Stored strings are escaped for the terminal (`TerminalText`).
    package static func text(_ problems: [ProblemGroup], width: Int = 120) -> String {
        if problems.isEmpty { return "no incidents match" }
        var lines = [
            "count  class               fingerprint       first seen                last seen                 example trace"
        ]
        for problem in problems {
            let count = String(problem.count)
            let errorClass = TerminalText.escaped(problem.errorClass ?? "-")
            lines.append(
                String(repeating: " ", count: max(0, 5 - count.count)) + count + "  "
                    + errorClass.padding(19) + " "
                    + TerminalText.escaped(problem.fingerprint.isEmpty ? "-" : problem.fingerprint).padding(17)
                    + " " + RecordTimeText.milliseconds(problem.firstSeen).padding(25) + " "
                    + RecordTimeText.milliseconds(problem.lastSeen).padding(25) + " "
                    + problem.exampleTraceID.hex)
            if let rootCause = problem.rootCause {
                let firstLine = rootCause.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
                var text = TerminalText.escaped(
                    "       \(rootCause.service) `\(rootCause.name)`" + (firstLine.isEmpty ? "" : ": \(firstLine)"))
                if text.count > width { text = String(text.prefix(width - 1)) + "…" }
                lines.append(text)
            }
            lines.append("       services: \(TerminalText.escaped(problem.services.joined(separator: ", ")))")
        }
        return lines.joined(separator: "\n")
    }

    /// `,"classRule":…,"classEntry":…,"fingerprint":…` inside an open object.
    static func writeClassification(_ classification: TraceClassification, to writer: inout JSONWriter) {
        writer.raw(",\"classRule\":")
        writer.string(orNull: classification.ruleID)
        writer.raw(",\"classEntry\":")
        writer.string(classification.entry)
        writer.raw(",\"fingerprint\":")
        writer.string(classification.fingerprint)
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
