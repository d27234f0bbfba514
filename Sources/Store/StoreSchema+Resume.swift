import GRDB

/// Migration `v1-resume`: what `sources` needs to resume a log file that grew since it was read.
///
/// A file appended to since the last run has a new fingerprint; `head_hash` and `head_length` (its
/// first bytes) recognise it, and `checkpoint_line` with `checkpoint_offset` say where its unread lines
/// start, so its old lines keep their `(source_id, byte_offset)` keys and are not stored twice. Rows from
/// before this migration have `head_length = 0` and are never resumed.
extension StoreSchema {
    static let resumeMigration = "v1-resume"

    static let resume: [String] = [
        "ALTER TABLE sources ADD COLUMN head_hash INTEGER",
        "ALTER TABLE sources ADD COLUMN head_length INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sources ADD COLUMN checkpoint_line INTEGER NOT NULL DEFAULT 1",
        "CREATE INDEX sources_by_head ON sources(head_length, head_hash) WHERE head_length > 0",
    ]
}
