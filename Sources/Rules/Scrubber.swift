import Foundation
package import TraceJoinCore

/// Removes personal data from every record before it is stored: the pipeline's `RecordScrubber`.
///
/// Scrubs log messages and attributes; span names, status messages, attributes, resources, event
/// and link attributes; the raw text of rejects. Never touches IDs, times, durations, service names
/// or numeric attribute values (ports and status codes are numbers), except where a key rule names the key.
package struct Scrubber: RecordScrubber {
    package let engine: ScrubEngine
    package let digest: String
    private let counter = HitCounter()

    /// - Throws: a diagnostic when a rule hashes and no key was given.
    package init(ruleSet: RuleSet, hashKey: [UInt8]?) throws(Diagnostic) {
        if ruleSet.needsHashKey, hashKey == nil {
            let rule = ruleSet.rules.first { if case .hash = $0.action { true } else { false } }!
            throw rule.location.diagnostic(
                "rule `\(rule.id)` hashes values but no hash key is set",
                hint: "set \(HashKey.environmentVariable) or \(HashKey.fileEnvironmentVariable)")
        }
        engine = ScrubEngine(rules: ruleSet.rules, hashKey: hashKey ?? [])
        digest = ruleSet.digest
    }

    package func scrub(_ record: consuming Record) -> Record? {
        if engine.rules.isEmpty { return record }  // `--no-default-rules` and no `--rules`
        var hits: [String: Int] = [:]
        let result: Record?
        let service: String
        let caches = engine.threadCaches()
        switch consume record {
        case .log(var log):
            service = log.service
            result = scrub(&log, caches: caches, hits: &hits) ? .log(log) : nil
        case .span(var span):
            service = span.service
            result = scrub(&span, caches: caches, hits: &hits) ? .span(span) : nil
        case .reject(var reject):
            service = ""
            switch engine.scrubText(reject.raw, path: "", key: RecordField.raw, caches: caches, hits: &hits) {
            case .keep: break
            case .replace(let text): reject.raw = text
            case .dropField, .dropRecord: reject.raw = ""
            }
            result = .reject(reject)
        }
        if !hits.isEmpty { counter.add(hits, service: service) }
        return result
    }

    /// Hits so far per rule id and service: counts only, never values (for `report pii`).
    package var hitCounts: [ScrubHit: Int] { counter.snapshot() }

    // MARK: - Records

    /// False when a rule drops the record.
    private func scrub(_ log: inout LogRecord, caches: ThreadCaches, hits: inout [String: Int]) -> Bool {
        guard let message = scrubField(log.message, field: RecordField.message, caches: caches, hits: &hits) else {
            return false
        }
        log.message = message
        if let json = log.attributeJSON {
            switch engine.scrubAttributeJSON(json, caches: caches, hits: &hits) {
            case .keep: return true
            case .replace(let scrubbed):
                log.replaceAttributeJSON(with: scrubbed)
                return true
            case .dropRecord: return false
            case .asList: break
            }
        }
        return !engine.scrubAttributes(&log.attributes, caches: caches, hits: &hits)
    }

    private func scrub(_ span: inout SpanRecord, caches: ThreadCaches, hits: inout [String: Int]) -> Bool {
        guard let name = scrubField(span.name, field: RecordField.name, caches: caches, hits: &hits),
            let status = scrubField(span.statusMessage, field: RecordField.status, caches: caches, hits: &hits)
        else { return false }
        span.name = name
        span.statusMessage = status
        if engine.scrubAttributes(&span.attributes, caches: caches, hits: &hits)
            || engine.scrubAttributes(&span.resource, caches: caches, hits: &hits)
        {
            return false
        }
        for index in span.events.indices
        where engine.scrubAttributes(&span.events[index].attributes, caches: caches, hits: &hits) {
            return false
        }
        for index in span.links.indices
        where engine.scrubAttributes(&span.links[index].attributes, caches: caches, hits: &hits) {
            return false
        }
        return true
    }

    /// The scrubbed text; "" for drop-field; nil for drop-record.
    private func scrubField(_ text: String, field: String, caches: ThreadCaches, hits: inout [String: Int]) -> String? {
        switch engine.scrubText(text, path: "", key: field, caches: caches, hits: &hits) {
        case .keep: text
        case .replace(let new): new
        case .dropField: ""
        case .dropRecord: nil
        }
    }
}

/// A rule and a service, the key of the hit counts.
package struct ScrubHit: Hashable, Sendable {
    package var rule: String
    package var service: String

    package init(rule: String, service: String) {
        self.rule = rule
        self.service = service
    }
}

/// Shared hit counts; one lock per record that had hits, none for clean records.
/// (`NSLock` rather than `Mutex`, which needs macOS 15 and the package supports 14.)
private final class HitCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [ScrubHit: Int] = [:]

    func add(_ hits: [String: Int], service: String) {
        lock.withLock {
            for (rule, count) in hits { counts[ScrubHit(rule: rule, service: service), default: 0] += count }
        }
    }

    func snapshot() -> [ScrubHit: Int] { lock.withLock { counts } }
}
