package import TraceJoinCore

extension ScrubEngine {
    /// The scrubbed attribute list; nil-valued outcomes remove the attribute.
    package func scrubAttributes(_ attributes: [Attribute], path: String = "", hits: inout [String: Int]) -> (
        [Attribute], dropRecord: Bool
    ) {
        let (result, _, drop) = scrub(attributes, path: path, caches: threadCaches(), hits: &hits)
        return (result, drop)
    }

    /// ``scrubAttributes(_:path:hits:)`` with this thread's caches, for a record's every list.
    func scrubAttributes(_ attributes: [Attribute], caches: ThreadCaches, hits: inout [String: Int]) -> (
        [Attribute], dropRecord: Bool
    ) {
        let (result, _, drop) = scrub(attributes, path: "", caches: caches, hits: &hits)
        return (result, drop)
    }

    /// The list, the same array when nothing changed (no copy for the common clean record).
    private func scrub(_ attributes: [Attribute], path: String, caches: ThreadCaches, hits: inout [String: Int]) -> (
        [Attribute], changed: Bool, dropRecord: Bool
    ) {
        var result = attributes
        var removed = 0
        var changed = false
        for index in attributes.indices {
            let attribute = attributes[index]
            let outcome = scrubValue(attribute.value, key: attribute.key, path: path, caches: caches, hits: &hits)
            switch outcome {
            case .keep:
                if removed > 0 { result[index - removed] = attribute }
            case .value(let value):
                result[index - removed] = Attribute(attribute.key, value)
                changed = true
            case .dropField:
                removed += 1
                changed = true
            case .dropRecord:
                return (Array(result[0..<(index - removed)]), true, true)
            }
        }
        if removed > 0 { result.removeLast(removed) }
        return (result, changed, false)
    }

    enum ValueOutcome {
        case keep
        case value(AttributeValue)
        case dropField
        case dropRecord
    }

    /// One attribute value under `key`, at `path` (the dotted keys of the lists it is nested in).
    func scrubValue(
        _ value: AttributeValue, key: String, path: String, caches: ThreadCaches, hits: inout [String: Int]
    ) -> ValueOutcome {
        let hash = SlotCache<KeyDecision>.hash(of: key)
        let keyDecisions = caches.keyDecisions
        switch keyDecisions.value(for: key, hash: hash) ?? decide(key, hash: hash, cache: keyDecisions) {
        case .protected: return .keep
        case .unnamed: break
        case .named(let indices):
            for index in indices {
                let rule = keyRules[index]
                if rule.pattern != nil {
                    guard case .string(let text) = value else { continue }
                    switch apply(rule, to: text, hits: &hits) {
                    case .keep: continue
                    case .replace(let new): return .value(.string(new))
                    case .dropField: return .dropField
                    case .dropRecord: return .dropRecord
                    }
                }
                if case .null = value { return .keep }
                hits[rule.id, default: 0] += 1
                guard let replacement = replacement(for: value.text, action: rule.action) else {
                    return rule.action == .dropRecord ? .dropRecord : .dropField
                }
                return .value(.string(replacement))
            }
        }
        switch value {
        case .string(let text):
            switch scrubText(text, path: path, key: key, caches: caches, hits: &hits) {
            case .keep: return .keep
            case .replace(let new): return .value(.string(new))
            case .dropField: return .dropField
            case .dropRecord: return .dropRecord
            }
        case .keyValueList(let members):
            let (scrubbed, changed, drop) = scrub(
                members, path: path.isEmpty ? key : path + "." + key, caches: caches, hits: &hits)
            if drop { return .dropRecord }
            return changed ? .value(.keyValueList(scrubbed)) : .keep
        case .array(let elements):
            var result = elements
            var removed = 0
            var changed = false
            for index in elements.indices {
                switch scrubValue(elements[index], key: key, path: path, caches: caches, hits: &hits) {
                case .keep:
                    if removed > 0 { result[index - removed] = elements[index] }
                case .value(let value):
                    result[index - removed] = value
                    changed = true
                case .dropField:
                    removed += 1
                    changed = true
                case .dropRecord: return .dropRecord
                }
            }
            if removed > 0 { result.removeLast(removed) }
            return changed ? .value(.array(result)) : .keep
        case .bool, .int, .double, .bytes, .null:
            return .keep
        }
    }

    /// What the key rules say about `key`, remembered for the next record.
    private func decide(_ key: String, hash: Int, cache: SlotCache<KeyDecision>) -> KeyDecision {
        let decision: KeyDecision
        if ProtectedKeys.contains(key) {
            decision = .protected
        } else {
            let normalized = KeyNormalizer.normalize(key)
            let named = keyRules.indices.filter { keyRules[$0].keys!.matches(normalized) }
            decision = named.isEmpty ? .unnamed : .named(named)
        }
        cache.remember(decision, for: key, hash: hash)
        return decision
    }
}
