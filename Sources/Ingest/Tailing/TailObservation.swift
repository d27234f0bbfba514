/// What one poll saw for one followed file: the open descriptor, and what its path holds now.
///
/// Built by ``FileTailer`` from `fstat`/`pread` on the descriptor and `stat` on the path; the state machine
/// (``FollowedFile``) never touches the file system, so every scenario can be a table row.
package struct TailObservation: Sendable {
    /// What the path the file was followed under holds now.
    package enum PathState: Sendable, Equatable {
        /// Nothing: deleted, or renamed out of the watched patterns.
        case missing
        /// The same inode (possibly renamed to another matched path, see ``TailObservation/movedTo``).
        case same
        /// Another file (rotation by rename + create, a symlink pointing elsewhere, a file recreated).
        case other(TailFileIdentity)
    }

    /// The followed path's state.
    package var path: PathState
    /// A matched path the open file now lives under, when it was renamed within the patterns (`app.log` →
    /// `app.log.1` with a glob `app.log*`): following continues there.
    package var movedTo: String?
    /// The open descriptor's identity, its head re-read through the descriptor (so it sees a truncation).
    package var open: TailFileIdentity
    /// The open descriptor's first bytes (up to ``TailFileIdentity/window``), to compare heads.
    package var openHead: [UInt8]
    /// The open descriptor's size now.
    package var openSize: Int64
    /// The symlink target of the path now, when it is a link (Kubernetes `/var/log/containers/*.log`).
    package var linkTarget: String?
    /// Monotonic time of the poll, for the partial-line timeout.
    package var now: Duration

    package init(
        path: PathState, movedTo: String? = nil, open: TailFileIdentity, openHead: [UInt8], openSize: Int64,
        linkTarget: String? = nil, now: Duration
    ) {
        self.path = path
        self.movedTo = movedTo
        self.open = open
        self.openHead = openHead
        self.openSize = openSize
        self.linkTarget = linkTarget
        self.now = now
    }
}
