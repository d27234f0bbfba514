/// The hook every record passes through before anything is stored.
///
/// The rules stage (issue #4) implements it from `Rules/pii`; until a rule set is configured the
/// pipeline uses `PassThroughScrubber`. Batch, tail and the OTLP receiver all call it in the same
/// place, in `Pipeline`, so no path can reach the store without it.
package protocol RecordScrubber: Sendable {
    /// The record with personal data removed; `nil` drops the whole record (a `drop-record` rule).
    ///
    /// The record is consumed: the caller hands it over, so a field the rules change is changed in place, not
    /// in a copy, and a clean record goes back without a retain or release of its fields.
    func scrub(_ record: consuming Record) -> Record?
    /// A stable digest of the rules in force, recorded with every ingest run.
    var digest: String { get }
    /// What the scrubber changed so far, by rule and service: counts, never values.
    var hitCountsByRule: [ScrubHitCount] { get }
}

/// Changes nothing: what runs when no scrubbing rules are configured.
package struct PassThroughScrubber: RecordScrubber {
    package init() {}
    package func scrub(_ record: consuming Record) -> Record? { record }
    package var digest: String { "none" }
}

/// How often one rule changed data of one service: a count, never a value (for `report pii`).
package struct ScrubHitCount: Sendable, Equatable {
    package var rule: String
    package var service: String
    package var count: Int

    package init(rule: String, service: String, count: Int) {
        self.rule = rule
        self.service = service
        self.count = count
    }
}

extension RecordScrubber {
    /// What the scrubber changed so far, by rule and service; empty for scrubbers that do not count.
    package var hitCountsByRule: [ScrubHitCount] { [] }
}
