/// Migration `v3-tail`: where `tracejoin tail` stands in each file it follows.
///
/// One row per file (device + inode), written in the same transaction as the rows it covers, so a restart
/// after `kill -9` reads exactly the lines whose rows were not committed. The head columns recognise the
/// file's content again (inodes are reused); `source_id` is the `sources` row its records carry (NULL while
/// no line of it was read).
extension StoreSchema {
    static let tailMigration = "v3-tail"

    static let tail: [String] = [
        """
        CREATE TABLE tail_checkpoints (
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            head_length INTEGER NOT NULL,
            head_hash INTEGER NOT NULL,
            path TEXT NOT NULL,
            source_id INTEGER,
            byte_offset INTEGER NOT NULL,
            line INTEGER NOT NULL,
            updated_ns INTEGER NOT NULL,
            PRIMARY KEY (device, inode)
        ) WITHOUT ROWID
        """
    ]
}
