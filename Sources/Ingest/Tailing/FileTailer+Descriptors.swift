import TraceJoinCore

/// Descriptors held at most `maxOpenFiles` (issue #15, item 5): with more files than that, files wait for a
/// descriptor (noted once), and idle files give theirs up.
///
/// A file closed while idle is remembered like finished content (its checkpoint among the retired ones), and
/// opened again by path when a poll finds it grown; its own checkpoint (inode + head) then resumes it where it
/// was. So every file is read eventually, a few at a time if most of them grow, and SQLite always finds the
/// descriptors it needs (``TailConfiguration/descriptorReserve``). Lines written to a closed file that is
/// then deleted or moved out of the patterns before a poll sees it grow are not read: only an open
/// descriptor could have kept them.
extension FileTailer {
    /// Closes the open file that has not grown for the longest, if one is idle: following (not draining), read
    /// to its end with no unfinished line, unchanged for `rotatedGrace` at least — and, checked now (the poll
    /// has not looked at it yet), still that size and still under its name. False when none is.
    ///
    /// `candidates` is worked out once per poll (nil: not yet), least recently grown last.
    func closeIdleFile(now: Duration, candidates: inout [InodeKey]?) -> Bool {
        if candidates == nil {
            candidates = followed.filter { _, entry in
                entry.file.phase == .following && entry.file.partialSince == nil
                    && entry.file.position.byteOffset == entry.size && entry.file.readEnd == entry.size
                    && now - entry.lastGrowth >= configuration.rotatedGrace
            }.sorted { $0.value.lastGrowth > $1.value.lastGrowth }.map(\.key)
        }
        while let key = candidates?.popLast() {
            guard let entry = followed[key], entry.descriptor.status()?.size == entry.size,
                let there = FileSystem.status(entry.file.path), InodeKey(device: there.device, inode: there.inode) == key
            else { continue }
            followed[key] = nil
            guard entry.file.identity.headLength > 0 else { return true }  // empty: found again as a new file
            retired.append(Retired(checkpoint: entry.file.checkpoint, head: entry.head))
            if retired.count > configuration.retiredLimit {
                retired.removeFirst(retired.count - configuration.retiredLimit)
            }
            closedIdle[key] = entry.size
            return true
        }
        return false
    }

    /// Whether a file closed while idle still has the size it had then (nothing to read: leave it closed).
    func isUnchangedSinceClosed(_ key: InodeKey, size: Int64) -> Bool {
        guard let closedAt = closedIdle[key] else { return false }
        if size == closedAt { return true }
        closedIdle[key] = nil
        return false
    }

    /// Says once that files wait for a descriptor (and again if it happens again after they all got one).
    func noteWaitingForDescriptors(_ waiting: Int) {
        guard waiting > 0 else {
            notedWaitingForDescriptors = false
            return
        }
        guard !notedWaitingForDescriptors else { return }
        notedWaitingForDescriptors = true
        notices.append(
            Diagnostic(
                location: InputLocation(source: configuration.patterns.joined(separator: " ")), severity: .warning,
                message:
                    "\(waiting) matched file(s) wait for a descriptor: \(configuration.maxOpenFiles) are open, the most "
                    + "this process may hold besides the database's; idle files are closed to make room",
                hint: "raise the limit on open files (ulimit -n) to follow them all at once"))
    }
}
