import Foundation

/// An exclusive `flock` on the folder of a database file, held while the file is created and migrated, so
/// openers in other processes (and other threads) wait instead of racing through the same steps.
///
/// `flock` on the folder, not the file: SQLite locks the file with POSIX record locks, which the process
/// loses when it closes *any* descriptor of that file. A folder that cannot be opened gives no lock; opening
/// then goes on as before.
struct OpeningLock {
    private let descriptor: Int32

    init(folderOf path: String) {
        descriptor = open(IncidentStore.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension IncidentStore {
    /// The folder that holds the database file at `path` ("." for a bare file name): where the opening lock is
    /// taken, and where `batch` spills its rows sorted by trace.
    package static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}
