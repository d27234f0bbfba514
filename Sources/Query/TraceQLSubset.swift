import Foundation
package import TraceJoinCore

/// The TraceQL that Grafana's Tempo search builder writes, read into a ``TraceSearch``: one spanset of conditions
/// joined by `&&`, such as `{resource.service.name="checkout" && name="POST /orders" && status=error &&
/// duration>100ms}`.
///
/// - `resource.service.name` / `.service.name` `=` a string: the trace involves that service.
/// - `name` `=` a string: it has a span of that name.
/// - `status` `=` `error` | `ok`: the trace is an incident, or not (tracejoin's status of the trace).
/// - `duration` or `traceDuration` with `>`, `>=`, `<`, `<=` and a Go duration: bounds the trace's duration (Tempo
///   reads `duration` per span; tracejoin's summary holds the trace's).
/// - `span.KEY`, `resource.KEY` or `.KEY` `=` a string, number or boolean: a span or resource attribute, or one
///   of the verdict keys (`span.tracejoin.error_class = "timeout"`).
/// - `{}` or an empty query: every trace.
/// Anything else (`||`, `!=`, regular expressions, pipelines, several spansets) is a 400 that says what is
/// supported, never a silently wider search.
package enum TraceQLSubset {
    package static func search(_ query: String) throws(QueryRequestError) -> TraceSearch {
        var search = TraceSearch()
        let characters = Array(query)
        var first = 0
        var last = characters.count - 1
        while first <= last, characters[first].isWhitespace { first += 1 }
        while last >= first, characters[last].isWhitespace { last -= 1 }
        guard first <= last else { return search }
        guard characters[first] == "{" else { throw unsupported("a query is one spanset: {…}", at: first) }
        guard characters[last] == "}", last > first else {
            throw unsupported(
                characters[first...last].contains("}") ? "a query is one spanset, with nothing after its }"
                    : "the spanset has no closing }", at: last)
        }
        for (condition, column) in try conditions(characters, from: first + 1, to: last) {
            let text = condition.trimmingWhitespace()
            guard !text.isEmpty else {
                if characters[(first + 1)..<last].contains(where: { !$0.isWhitespace }) {
                    throw unsupported("an empty condition", at: column)
                }
                continue
            }
            do {
                try apply(text, to: &search)
            } catch {
                throw QueryRequestError(status: 400, message: error.message + " (at column \(column + 1))")
            }
        }
        return search
    }

    /// The conditions between `&&`s outside double-quoted strings in `characters[from..<to]`, each with the
    /// offset of its first character; `||` outside strings is refused with its position.
    static func conditions(_ characters: [Character], from: Int, to: Int) throws(QueryRequestError)
        -> [(String, Int)]
    {
        var parts: [(String, Int)] = []
        var current = ""
        var start = from
        var inString = false
        var escaped = false
        var index = from
        while index < to {
            let character = characters[index]
            defer { index += 1 }
            if inString {
                current.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            if character == "\"" { inString = true }
            if character == "|", current.last == "|" { throw unsupported("|| is not supported", at: index - 1) }
            if character == "&", current.last == "&" {
                current.removeLast()
                parts.append((current, start))
                current = ""
                start = index + 1
                continue
            }
            if current.allSatisfy(\.isWhitespace), !character.isWhitespace { start = index }
            current.append(character)
        }
        parts.append((current, start))
        return parts
    }

    static func apply(_ condition: String, to search: inout TraceSearch) throws(QueryRequestError) {
        guard let (key, op, value) = split(condition) else {
            throw unsupported("cannot read the condition '\(condition)'")
        }
        switch key {
        case "resource.service.name", ".service.name", "service.name":
            guard op == "=" else { throw unsupported("service.name takes =") }
            search.service = try string(value)
        case "name":
            guard op == "=" else { throw unsupported("name takes =") }
            search.operation = try string(value)
        case "status":
            guard op == "=", value == "error" || value == "ok" else {
                throw unsupported("status takes = error or = ok")
            }
            search.tags.append(TagCondition(key: "error", value: value == "error" ? "true" : "false"))
        case "duration", "traceDuration":
            guard let nanos = GoDuration.nanoseconds(value), nanos >= 0 else {
                throw unsupported("\(key) takes a duration such as 100ms")
            }
            switch op {
            case ">": search.minDuration = nanos + 1
            case ">=": search.minDuration = nanos
            case "<": search.maxDuration = max(0, nanos - 1)
            case "<=": search.maxDuration = nanos
            default: throw unsupported("\(key) takes >, >=, < or <=")
            }
        default:
            let attribute: Substring
            if key.hasPrefix("span.") {
                attribute = key.dropFirst("span.".count)
            } else if key.hasPrefix("resource.") {
                attribute = key.dropFirst("resource.".count)
            } else if key.hasPrefix(".") {
                attribute = key.dropFirst()
            } else {
                throw unsupported("unknown field '\(key)'")
            }
            guard op == "=", !attribute.isEmpty else { throw unsupported("attributes take =") }
            let text = value.hasPrefix("\"") ? try string(value) : value
            search.tags.append(TagCondition(key: String(attribute), value: text))
        }
    }

    /// `key op value`, the operator one of `=`, `>=`, `<=`, `>`, `<` outside the quoted value.
    static func split(_ condition: String) -> (String, String, String)? {
        for op in [">=", "<=", "!=", "=~", "!~", "=", ">", "<"] {
            guard let range = condition.range(of: op) else { continue }
            if let quote = condition.firstIndex(of: "\""), quote < range.lowerBound { continue }
            let key = String(condition[..<range.lowerBound]).trimmingWhitespace()
            let value = String(condition[range.upperBound...]).trimmingWhitespace()
            guard !key.isEmpty, !value.isEmpty else { return nil }
            return (key, op, value)
        }
        return nil
    }

    /// A double-quoted TraceQL string, with `\"` and `\\` escapes.
    static func string(_ value: String) throws(QueryRequestError) -> String {
        guard value.count >= 2, value.first == "\"", value.last == "\"" else {
            throw unsupported("expected a double-quoted string, got \(value)")
        }
        var result = ""
        var escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func unsupported(_ detail: String, at offset: Int) -> QueryRequestError {
        let error = unsupported(detail)
        return QueryRequestError(status: 400, message: error.message + " (at column \(offset + 1))")
    }

    static func unsupported(_ detail: String) -> QueryRequestError {
        QueryRequestError(
            status: 400,
            message: "unsupported TraceQL: \(detail); tracejoin reads one spanset of conditions joined by &&, "
                + "on resource.service.name, name, status, duration and attributes, with = "
                + "(and >, >=, <, <= on duration)")
    }
}
