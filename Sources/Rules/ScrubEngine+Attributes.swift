package import TraceJoinCore

extension ScrubEngine {
    /// The scrubbed attribute list; nil-valued outcomes remove the attribute.
    package func scrubAttributes(_ attributes: [Attribute], path: String = "", hits: inout [String: Int]) -> (
        [Attribute], dropRecord: Bool
    ) {
        var result = attributes
        let (_, drop) = scrub(&result, path: path, caches: threadCaches(), hits: &hits)
        return (result, drop)
    }

    /// Scrubs a record's list in place with this thread's caches; true when a rule drops the record.
    ///
    /// In place: a list moved out of its record is the only reference to its storage, so a changed value is
    /// written into it instead of into a copy of the whole list.
    func scrubAttributes(_ attributes: inout [Attribute], caches: ThreadCaches, hits: inout [String: Int]) -> Bool {
        scrub(&attributes, path: "", caches: caches, hits: &hits).dropRecord
    }

    /// Scrubs the list in place, keeping the order of what stays (``scrubInPlace(_:outcome:set:)``).
    private func scrub(_ attributes: inout [Attribute], path: String, caches: ThreadCaches, hits: inout [String: Int])
        -> (changed: Bool, dropRecord: Bool)
    {
        Self.scrubInPlace(
            &attributes,
            outcome: { scrubValue($0.value, key: $0.key, path: path, caches: caches, hits: &hits) },
            set: { $0.value = $1 })
    }

    /// Scrubs a list (of attributes, or of an array's values) in place: `outcome` says what to do with each
    /// element, `set` writes a changed value into it. What stays keeps its order. When a rule drops the record,
    /// only the elements before it are left, all scrubbed.
    ///
    /// Each element is read where it lies (through a buffer), not copied out, retained and released. The list is
    /// only written to from its first change on: until then it is read without making it unique, so a list shared
    /// between records (the resource of every span of one export) is not copied when nothing in it changes.
    private static func scrubInPlace<Element>(
        _ list: inout [Element], outcome: (Element) -> ValueOutcome, set: (inout Element, AttributeValue) -> Void
    ) -> (changed: Bool, dropRecord: Bool) {
        var firstChange: (index: Int, outcome: ValueOutcome)?
        list.withUnsafeBufferPointer { elements in
            for index in elements.indices {
                let decided = outcome(elements[index])
                if case .keep = decided { continue }
                firstChange = (index, decided)
                return
            }
        }
        guard let firstChange else { return (false, false) }
        var removed = 0
        var droppedAt: Int?
        list.withUnsafeMutableBufferPointer { elements in
            var index = firstChange.index
            var decided = firstChange.outcome
            while true {
                // What stays moves down over what was removed; the removed end up after it.
                switch decided {
                case .keep:
                    if removed > 0 { elements.swapAt(index - removed, index) }
                case .value(let value):
                    set(&elements[index], value)
                    if removed > 0 { elements.swapAt(index - removed, index) }
                case .dropField:
                    removed += 1
                case .dropRecord:
                    droppedAt = index
                    return
                }
                index += 1
                guard index < elements.count else { return }
                decided = outcome(elements[index])
            }
        }
        if let droppedAt {
            list.removeSubrange((droppedAt - removed)...)
            return (true, true)
        }
        list.removeLast(removed)
        return (true, false)
    }

    enum ValueOutcome {
        case keep
        case value(AttributeValue)
        case dropField
        case dropRecord

        /// What scrubbing a value's text decided, for the value: a changed text becomes a string value.
        init(_ outcome: Outcome) {
            switch outcome {
            case .keep: self = .keep
            case .replace(let new): self = .value(.string(new))
            case .dropField: self = .dropField
            case .dropRecord: self = .dropRecord
            }
        }
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
                    let decided = ValueOutcome(apply(rule, to: text, hits: &hits))
                    if case .keep = decided { continue }
                    return decided
                }
                if case .null = value { return .keep }
                return ValueOutcome(replacingWhole(value.text, by: rule, hits: &hits))
            }
        }
        switch value {
        case .string(let text):
            return ValueOutcome(scrubText(text, path: path, key: key, caches: caches, hits: &hits))
        case .keyValueList(var members):
            let (changed, drop) = scrub(&members, path: path.isEmpty ? key : path + "." + key, caches: caches, hits: &hits)
            if drop { return .dropRecord }
            return changed ? .value(.keyValueList(members)) : .keep
        case .array(var elements):
            let (changed, drop) = Self.scrubInPlace(
                &elements, outcome: { scrubValue($0, key: key, path: path, caches: caches, hits: &hits) },
                set: { $0 = $1 })
            if drop { return .dropRecord }
            return changed ? .value(.array(elements)) : .keep
        case .int(let number) where number.magnitude >= Self.smallestScannedInteger:
            // A card number sent as a number (an OTLP `intValue`, a JSON integer): scanned as the digits it is
            // written with. Shorter numbers (ports, codes, counts, sizes) hold no pattern's personal data.
            return ValueOutcome(scrubText(String(number), path: path, key: key, caches: caches, hits: &hits))
        case .bool, .int, .double, .bytes, .null:
            return .keep
        }
    }

    /// A key rule without a pattern on a value whose text is `text`: the whole value replaced, or dropped; counted.
    func replacingWhole(_ text: String, by rule: CompiledRule, hits: inout [String: Int]) -> Outcome {
        hits[rule.id, default: 0] += 1
        guard let replacement = replacement(for: text, action: rule.action) else {
            return rule.action == .dropRecord ? .dropRecord : .dropField
        }
        return .replace(replacement)
    }

    /// Integers of at least 13 digits (the shortest card number) are scanned by the pattern rules.
    static let smallestScannedInteger: UInt64 = 1_000_000_000_000

    /// What the key rules say about `key`, remembered for the next record.
    func decide(_ key: String, hash: Int, cache: SlotCache<KeyDecision>) -> KeyDecision {
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
