/// Migration `v6-head-keys`: `sources.head_key`, so finding the source a file continues costs a few index lookups
/// whatever the number of sources.
///
/// Before it, `resumableSource` listed every distinct `head_length` no larger than the file (one row per
/// source of a small file) and looked each up: a batch over 10,000 small files took 41 s, almost all of it in
/// that scan (issue #14). `head_key` hashes a source's first `IncidentStore.headKeyLength(head_length)` bytes
/// (the largest power of two no larger than its head), so a file looks up its own first 1, 2, 4, … bytes.
/// Rows whose head length is a power of two already have that hash in `head_hash`; the others keep a NULL key
/// and are found as before, through `sources_unkeyed_head`, which holds only them.
extension StoreSchema {
    static let headKeyMigration = "v6-head-keys"

    static let headKeys: [String] = [
        "ALTER TABLE sources ADD COLUMN head_key INTEGER",
        "UPDATE sources SET head_key = head_hash WHERE head_length > 0 AND (head_length & (head_length - 1)) = 0",
        "DROP INDEX sources_by_head",
        "CREATE INDEX sources_by_head_key ON sources(head_key) WHERE head_key IS NOT NULL",
        "CREATE INDEX sources_unkeyed_head ON sources(head_length, head_hash) WHERE head_length > 0 AND head_key IS NULL",
    ]
}
