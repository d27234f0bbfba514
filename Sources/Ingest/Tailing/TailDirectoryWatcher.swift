#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

import TraceJoinCore

/// Wakes a tailer when something changes in the folders it follows (Linux inotify), so a written line is read
/// right away instead of at the next poll interval.
///
/// Events only say *when* to poll: a poll looks at every file the same way whatever woke it, so what is
/// delivered never depends on them, and polling at the interval stays as the fallback (a lost event, an
/// overflowed queue, a file in a folder created since the last poll). On a platform or filesystem without
/// inotify (NFS, FUSE: changes made on another host raise no event), `init()` fails or nothing is ever
/// reported, and the tailer polls as before; `--poll-only` skips it outright.
///
/// Folders, not files, are watched: a rotated file's successor is created in the same folder (`IN_CREATE`),
/// and one watch per folder stays within `max_user_watches` however many files rotate through it.
package final class TailDirectoryWatcher {
    private let descriptor: Int32
    private var watches: [String: Int32] = [:]

    /// nil where inotify is not available (another OS, or `inotify_init1` failed: out of instances).
    package init?() {
        #if os(Linux)
            descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else { return nil }
        #else
            return nil
        #endif
    }

    deinit { close(descriptor) }

    /// The folders watched now.
    package var watchedDirectories: Set<String> { Set(watches.keys) }

    /// Watches exactly `directories` from now on: new ones are added (a folder that cannot be watched is left to
    /// the polling), those no longer wanted removed.
    package func watch(_ directories: Set<String>) {
        #if os(Linux)
            for (directory, watch) in watches where !directories.contains(directory) {
                inotify_rm_watch(descriptor, watch)
                watches[directory] = nil
            }
            let mask =
                IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB
                | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR
            for directory in directories where watches[directory] == nil {
                let watch = inotify_add_watch(descriptor, directory, UInt32(mask))
                if watch >= 0 { watches[directory] = watch }
            }
        #endif
    }

    /// Waits until an event arrives, `wake` becomes readable, or `timeout` passes; reads every pending event.
    /// Returns true when woken by an event (or by `wake`), false on timeout.
    package func wait(timeout: Duration, wake: Int32? = nil) -> Bool {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        if let wake { descriptors.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
        let milliseconds = max(0, min(Int64(Int32.max), timeout.inNanoseconds / 1_000_000))
        var ready: Int32
        repeat {
            ready = poll(&descriptors, nfds_t(descriptors.count), Int32(milliseconds))
        } while ready < 0 && errno == EINTR
        guard ready > 0 else { return false }
        drain()
        return true
    }

    /// Reads and discards every queued event: which file changed does not matter, the poll looks at all.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return }
        }
    }
}
