import Ingest
import Store
import TraceJoinCore

/// How `batch` will read one of its files, decided for many files in one transaction before they are read.
///
/// Looking each file up and registering it in transactions of its own cost a folder of 10,000 tiny files most
/// of its run (issue #14). Planned together, the files up to the next one that continues a stored source are
/// registered at once, in the order the run reads them, each seeing the rows of those before it, so a run
/// decides as it did one file at a time.
enum SourcePlan {
    /// No stored source to continue: registered (a new row, or the row of the same content left unfinished).
    case registered(SourceMatch, sourceID: Int64, isNew: Bool)
    /// Continues a stored source, or falls back to a new one if it cannot be opened at its checkpoint.
    case continues(SourceMatch)
    /// Looked up when its turn comes: its fingerprint may be read whole by a file before it in the run, or its
    /// first bytes could not be read here (the error is reported when it is read).
    case whenRead

    /// Plans up to `limit` files from the start of `files`: each of them `registered`, and the last one
    /// possibly `continues`, which ends the plan (the run claims its source only once it is open there). A
    /// file whose fingerprint is in `completed` or earlier in the plan ends the plan before it; as the first
    /// file, it is planned `whenRead`.
    static func plan(
        _ files: ArraySlice<(file: InputFile, fingerprint: String)>, limit: Int, in store: IncidentStore,
        excluding claimed: Set<Int64>, completed: Set<String>
    ) throws -> [SourcePlan] {
        try store.withSources { sources in
            var plans: [SourcePlan] = []
            var fingerprints = Set<String>()
            var claimed = claimed
            for (file, fingerprint) in files.prefix(limit) {
                guard !completed.contains(fingerprint), fingerprints.insert(fingerprint).inserted else { break }
                let match: SourceMatch
                do {
                    match = try SourceMatch.find(for: file, in: sources, excluding: claimed)
                } catch is Diagnostic {
                    break  // its first bytes cannot be read: reported when the run reaches it
                }
                if match.continues != nil {
                    plans.append(.continues(match))
                    break
                }
                let registered = try sources.register(
                    path: file.path, fingerprint: fingerprint, size: file.size, headHash: match.headHash,
                    headLength: match.headLength, headKey: match.headKey)
                claimed.insert(registered.sourceID)
                plans.append(.registered(match, sourceID: registered.sourceID, isNew: registered.isNew))
            }
            return plans.isEmpty ? [.whenRead] : plans
        }
    }
}
