import Ingest
import Store
import TraceJoinCore

/// How a file on disk relates to the sources already stored: the one it continues, if any.
///
/// A log file appended to since the last run (the live `app.log`), or renamed by rotation and appended
/// to before the rename, has a new fingerprint but the same first bytes: it continues its source from the
/// checkpoint, so its old lines are not stored again under a new source. A file smaller than its source
/// (copytruncate, replaced) matches nothing and is a new source.
struct SourceMatch {
    /// Hash of the file's first `headLength` bytes, stored with its source; nil for gzip, which never grows.
    var headHash: Int64?
    var headLength: Int
    /// Hash of the first `IncidentStore.headKeyLength(headLength)` bytes, to find the source by.
    var headKey: Int64?
    /// The stored source this file continues, to be read on from its checkpoint.
    var continues: ResumableSource?
    /// For gzip, the hash and length of the decompressed first bytes: stored only when the file ends early
    /// (a copy still in progress), so the complete copy of a later run continues it instead of starting over.
    var decompressedHead: (hash: Int64, length: Int, key: Int64?)?

    /// Where `continues` left off.
    var position: LinePosition {
        continues.map { LinePosition(byteOffset: $0.checkpointOffset, lineNumber: $0.checkpointLine) } ?? .start
    }

    /// Looks `file` up among the stored sources, passing over those `claimed` by other files of this run.
    static func find(for file: InputFile, in sources: SourceLedger, excluding claimed: Set<Int64>) throws -> SourceMatch
    {
        let head = try FileHead.read(path: file.path)
        guard head.isGzip else {
            var hasher = FileHead.PrefixHasher(head)
            let source = try sources.resumableSource(size: file.size, excluding: claimed) { hasher.hash(length: $0) }
            return SourceMatch(
                headHash: head.hash(), headLength: head.length,
                headKey: head.hash(length: IncidentStore.headKeyLength(head.length)), continues: source)
        }
        // A backup compressed after an earlier run read it plain (logrotate `compress`, `delaycompress`):
        // matched by its decompressed first bytes. Its decompressed size is unknown before reading it all, so
        // any size may match; one shorter than the checkpoint fails to open there and is read as a new source.
        let inner = FileHead(bytes: try DocumentReader.peek(path: file.path, count: FileHead.window))
        guard inner.length > 0 else { return SourceMatch(headHash: nil, headLength: 0, continues: nil) }
        var hasher = FileHead.PrefixHasher(inner)
        let source = try sources.resumableSource(size: .max, excluding: claimed) { hasher.hash(length: $0) }
        return SourceMatch(
            headHash: nil, headLength: 0, continues: source,
            decompressedHead: inner.hash().map {
                ($0, inner.length, inner.hash(length: IncidentStore.headKeyLength(inner.length)))
            })
    }

    /// Reads `file` on from the source it continues, else (or when it cannot be opened at that source's
    /// checkpoint: not the file it looked like) from the start as a new source.
    ///
    /// The source is taken over (``IncidentStore/reopenSource(_:path:fingerprint:size:headHash:headLength:)``)
    /// only once the file is open at the checkpoint, before its first record.
    func read(
        _ file: InputFile, fingerprint: String, in store: IncidentStore,
        using read: (_ sourceID: Int64, _ from: LinePosition, _ onOpened: () throws -> Void) throws -> (
            FileIngestor, FileIngestor.Outcome
        )
    ) throws -> (sourceID: Int64, ingestor: FileIngestor, outcome: FileIngestor.Outcome) {
        if let source = continues {
            var reopened = false
            do {
                let (ingestor, outcome) = try read(source.sourceID, position) {
                    try store.reopenSource(
                        source.sourceID, path: file.path, fingerprint: fingerprint, size: file.size,
                        headHash: headHash, headLength: headLength, headKey: headKey)
                    reopened = true
                }
                return (source.sourceID, ingestor, outcome)
            } catch let diagnostic as Diagnostic where !reopened && decompressedHead != nil
                && diagnostic.code == .gzipTruncated
            {
                // A gzip copy cut short before the checkpoint (still being written): all it holds is stored
                // already. Read whole as a new source, its lines would be stored twice; its complete copy
                // continues the source in a later run.
                throw CopyInProgress(path: file.path)
            } catch where !reopened {
                // Nothing was read or changed: read it as a new source below.
            }
        }
        let registered = try store.registerSourceReportingNew(
            path: file.path, fingerprint: fingerprint, size: file.size, headHash: headHash, headLength: headLength,
            headKey: headKey)
        return try self.read(file, fingerprint: fingerprint, registeredAs: registered, in: store, using: read)
    }

    /// Reads `file` from the start as the source it was registered as
    /// (``IncidentStore/registerSourceReportingNew(path:fingerprint:size:headHash:headLength:headKey:)``).
    func read(
        _ file: InputFile, fingerprint: String, registeredAs registered: (sourceID: Int64, isNew: Bool),
        in store: IncidentStore,
        using read: (_ sourceID: Int64, _ from: LinePosition, _ onOpened: () throws -> Void) throws -> (
            FileIngestor, FileIngestor.Outcome
        )
    ) throws -> (sourceID: Int64, ingestor: FileIngestor, outcome: FileIngestor.Outcome) {
        // The same content may be stored already, unfinished (a crashed run; a run that rejected every record,
        // whose checkpoint stayed at the start): what it holds from its checkpoint on is replaced by this read.
        // A new source holds nothing: no second transaction per file for it.
        let (ingestor, outcome) = try read(registered.sourceID, .start) {
            guard !registered.isNew else { return }
            try store.reopenSource(
                registered.sourceID, path: file.path, fingerprint: fingerprint, size: file.size, headHash: headHash,
                headLength: headLength, headKey: headKey)
        }
        return (registered.sourceID, ingestor, outcome)
    }
}

/// A gzip file that ends before what is stored for the source it continues: skipped, not read.
struct CopyInProgress: Error {
    var path: String

    var note: String {
        "\(path): ends before what is already stored from it (a copy still in progress?): skipped; "
            + "a later run reads it once it is complete"
    }
}
