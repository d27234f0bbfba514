package import TraceJoinCore

/// What kind of failure an incident is, which rule said so, on which entry, and its problem fingerprint.
package struct Classification: Sendable, Equatable {
    package var errorClass: ErrorClass
    /// The rule that decided; nil when no rule matched (`unknown`).
    package var ruleID: String?
    /// The entry the rule matched (or the root-cause entry when none did).
    package var entry: ClassifiedEntry
    /// 16 hex digits; equal for the same failure in different traces (see `Fingerprint`).
    package var fingerprint: String

    package init(errorClass: ErrorClass, ruleID: String?, entry: ClassifiedEntry, fingerprint: String) {
        self.errorClass = errorClass
        self.ruleID = ruleID
        self.entry = entry
        self.fingerprint = fingerprint
    }

    /// `timeout — rule classify.go-deadline on payment-service span `psp.charge``, as `show` prints it.
    package var explanation: String {
        let rule = ruleID.map { "rule \($0)" } ?? "no rule matched"
        return "\(errorClass.rawValue) — \(rule) on \(entry.text)"
    }
}

/// A short description of a timeline entry: enough to find it in `show`.
package struct ClassifiedEntry: Sendable, Equatable {
    package var service: String
    package var kind: TimelineEntryKind
    package var name: String
    /// For an event or a log under a span: the span's name.
    package var spanName: String?

    package init(service: String, kind: TimelineEntryKind, name: String, spanName: String? = nil) {
        self.service = service
        self.kind = kind
        self.name = name
        self.spanName = spanName
    }

    /// `payment-service span `psp.charge``, `payment-service event `exception` in span `psp.charge``.
    package var text: String {
        var text = "\(service) \(kind.rawValue) `\(name)`"
        if kind != .span, let spanName { text += " in span `\(spanName)`" }
        return text
    }
}
