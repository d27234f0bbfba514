import TraceJoinCore

/// Attributes a log line's decoder kept as stored JSON (``AttributeJSONText``), scrubbed as that text.
///
/// The walk makes the decisions `scrubValue` makes on the list, in the same order (key rules, then the pattern
/// rules on each string, in arrays and nested objects too), so the text it leaves and the hits it counts are
/// those of the list path; a changed string is written in place of the old one, a dropped member is cut out.
/// The text's form keeps the walk simple: no whitespace, strings without escapes, numbers that need no scan
/// (integers below 13 digits, doubles), no `$` keys. The one decision it leaves to the list path is a key rule
/// replacing a whole double, array or object (the replaced text is that value's `AttributeValue.text`).
extension ScrubEngine {
    typealias UTF8Bytes = UnsafeBufferPointer<UInt8>

    /// What scrubbing attributes held as stored JSON gave.
    enum AttributeJSONOutcome {
        case keep
        /// The scrubbed text; nil when every attribute was dropped.
        case replace(AttributeJSONText?)
        case dropRecord
        /// A decision the walk leaves to the list (no hits were counted).
        case asList
    }

    /// The text being rewritten: what is unchanged is copied from the original only up to each change.
    private struct Rewrite {
        let original: UTF8Bytes
        var out = JSONBuffer()
        var copied = 0
        var changed = false

        mutating func copy(upTo position: Int) {
            out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied..<position]))
            copied = position
        }

        /// A value (`range`, quotes included for a string) becomes the string `text`.
        mutating func replace(_ range: Range<Int>, with text: String) {
            changed = true
            copy(upTo: range.lowerBound)
            out.string(text)
            copied = range.upperBound
        }

        /// A member (`"key":value`) or element is cut out with one of the commas around it.
        mutating func drop(_ range: Range<Int>) {
            changed = true
            copy(upTo: range.lowerBound)
            copied = range.upperBound
            if out.bytes.last == UInt8(ascii: ",") {
                out.bytes.removeLast()
            } else if copied < original.count, original[copied] == UInt8(ascii: ",") {
                copied += 1
            }
        }

        /// What scrubbing one value (`value`) of a member or element (`whole`) decided, applied to the text;
        /// false when it drops the record.
        mutating func take(_ outcome: Outcome, value: Range<Int>, whole: Range<Int>) -> Bool {
            switch outcome {
            case .keep: return true
            case .replace(let text): replace(value, with: text)
            case .dropField: drop(whole)
            case .dropRecord: return false
            }
            return true
        }
    }

    /// Scrubs attributes held as stored JSON with this thread's caches, counting hits as the list path would.
    func scrubAttributeJSON(_ json: AttributeJSONText, caches: ThreadCaches, hits: inout [String: Int])
        -> AttributeJSONOutcome
    {
        var own: [String: Int] = [:]
        let outcome = json.bytes.withUnsafeBufferPointer { bytes -> AttributeJSONOutcome in
            var rewrite = Rewrite(original: bytes)
            var index = 0
            switch scrubObject(&index, path: "", rewrite: &rewrite, caches: caches, hits: &own) {
            case nil: return .asList
            case .dropRecord?: return .dropRecord
            default: break
            }
            guard rewrite.changed else { return .keep }
            rewrite.copy(upTo: bytes.count)
            let text = rewrite.out.bytes
            return .replace(text.count == 2 ? nil : AttributeJSONText(trusting: text))  // `{}`: none left
        }
        if case .asList = outcome { return .asList }
        for (rule, count) in own { hits[rule, default: 0] += count }
        return outcome
    }

    /// At `{`: each member in turn; moves past `}`. `.keep`, `.dropRecord`, or nil for a decision left to the list.
    private func scrubObject(
        _ index: inout Int, path: String, rewrite: inout Rewrite, caches: ThreadCaches, hits: inout [String: Int]
    ) -> Outcome? {
        let bytes = rewrite.original
        index += 1
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .keep
        }
        while true {
            let memberStart = index
            let key = Self.string(bytes, &index)
            index += 1  // `:`
            let valueStart = index
            guard let outcome = scrubValue(&index, key: key, path: path, rewrite: &rewrite, caches: caches, hits: &hits)
            else { return nil }
            guard rewrite.take(outcome, value: valueStart..<index, whole: memberStart..<index) else { return .dropRecord }
            let separator = bytes[index]
            index += 1
            if separator == UInt8(ascii: "}") { return .keep }
        }
    }

    /// The value at `index`, under `key` at `path`, as `scrubValue` decides it; moves past it. A nested object or
    /// array is rewritten in place and gives `.keep` (or `.dropRecord`); nil leaves the decision to the list.
    private func scrubValue(
        _ index: inout Int, key: UTF8Bytes, path: String, rewrite: inout Rewrite, caches: ThreadCaches,
        hits: inout [String: Int]
    ) -> Outcome? {
        let bytes = rewrite.original
        let hash = SlotCache<KeyDecision>.hash(of: key)
        let keyDecisions = caches.keyDecisions
        let decision =
            keyDecisions.withValue(for: key, hash: hash) { copy $0 }
            ?? decide(String(decoding: key, as: UTF8.self), hash: hash, cache: keyDecisions)
        switch decision {
        case .protected:
            Self.skipValue(bytes, &index)
            return .keep
        case .unnamed: break
        case .named(let indices):
            for ruleIndex in indices {
                let rule = keyRules[ruleIndex]
                if rule.pattern != nil {
                    guard bytes[index] == UInt8(ascii: "\"") else { continue }
                    var end = index
                    let outcome = apply(rule, toUTF8: Self.string(bytes, &end), hits: &hits)
                    if case .keep = outcome { continue }
                    index = end
                    return outcome
                }
                let valueStart = index
                Self.skipValue(bytes, &index)
                let text: String
                switch bytes[valueStart] {
                case UInt8(ascii: "n"): return .keep
                case UInt8(ascii: "\""):
                    text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(valueStart + 1)..<(index - 1)]), as: UTF8.self)
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let literal = UnsafeBufferPointer(rebasing: bytes[valueStart..<index])
                    // A double's text is JSONWriter's spelling, not necessarily the stored one: left to the list.
                    if literal.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) {
                        return nil
                    }
                    text = String(decoding: literal, as: UTF8.self)
                default:
                    return nil  // an array's or object's text
                }
                return replacingWhole(text, by: rule, hits: &hits)
            }
        }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let text = Self.string(bytes, &index)
            let field = hasFieldConditions ? String(decoding: key, as: UTF8.self) : ""
            return scrubText(text, text: nil, path: path, key: field, caches: caches, hits: &hits)
        case UInt8(ascii: "{"):
            let nested = hasFieldConditions ? Self.joined(path, key) : ""
            return scrubObject(&index, path: nested, rewrite: &rewrite, caches: caches, hits: &hits)
        case UInt8(ascii: "["):
            index += 1
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .keep
            }
            while true {
                let elementStart = index
                guard let outcome = scrubValue(&index, key: key, path: path, rewrite: &rewrite, caches: caches, hits: &hits)
                else { return nil }
                guard rewrite.take(outcome, value: elementStart..<index, whole: elementStart..<index) else {
                    return .dropRecord
                }
                let separator = bytes[index]
                index += 1
                if separator == UInt8(ascii: "]") { return .keep }
            }
        default:
            // Numbers (below the scanned integers' 13 digits), true, false, null.
            Self.skipValue(bytes, &index)
            return .keep
        }
    }

    /// `path.key`, or `key` at the top.
    private static func joined(_ path: String, _ key: UTF8Bytes) -> String {
        let key = String(decoding: key, as: UTF8.self)
        return path.isEmpty ? key : path + "." + key
    }

    /// At `"`: the string's bytes (it has no escapes); moves past the closing quote.
    private static func string(_ bytes: UTF8Bytes, _ index: inout Int) -> UTF8Bytes {
        let start = index + 1
        var end = start
        while bytes[end] != UInt8(ascii: "\"") { end += 1 }
        index = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Moves past the value at `index`.
    private static func skipValue(_ bytes: UTF8Bytes, _ index: inout Int) {
        switch bytes[index] {
        case UInt8(ascii: "\""): _ = string(bytes, &index)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    _ = string(bytes, &index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                index += 1
            } while depth > 0
        default:
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}"),
                bytes[index] != UInt8(ascii: "]")
            {
                index += 1
            }
        }
    }
}
