/// What ``FollowedFile`` asks its driver to do; the driver does the I/O and reports back.
package enum TailAction: Sendable, Equatable {
    /// Why reading starts again at byte 0.
    package enum RestartReason: Sendable, Equatable {
        /// The file is shorter than what was read (`copytruncate`, `truncate`, `> file`).
        case truncated
        /// Same inode, same size or larger, but the first bytes changed: truncated and rewritten between polls.
        case rewritten
    }

    /// Why a file is read to its end one last time and then closed.
    package enum StopReason: Sendable, Equatable {
        /// The path holds nothing: deleted, or moved out of the patterns.
        case missing
        /// The path holds another file (rotation by rename + create, or a file recreated).
        case replaced
        /// The path is a symlink that now points elsewhere (Kubernetes container restart).
        case symlinkRetargeted
    }

    /// Read the complete lines from this offset to the end of the open descriptor, then call
    /// ``FollowedFile/didRead(upTo:endOffset:unterminatedBytes:now:)``.
    case readFrom(Int64)
    /// The path now names another file: read the open descriptor to its end, close it, then follow the new file
    /// from its start (the driver discovers it as a new file on the same poll).
    case finishOldDescriptorThenSwitch(StopReason)
    /// The path is gone: read the open descriptor to its end, then close it.
    case stopAfterDraining(StopReason)
    /// The content was replaced under the same inode: forget the position and read from 0. `previous` is the
    /// content that was read up to `readUpTo`, so a copy of it (`copytruncate`'s) is recognised and not read again.
    case restartFromZero(reason: RestartReason, previous: TailFileIdentity, readUpTo: LinePosition)
    /// Deliver the bytes after the last newline as a line without waiting for its newline: the file was rotated
    /// away, or the line has waited longer than the partial-line timeout.
    case emitPartialLine
    /// Nothing more will be read: close the descriptor, keep the position as a checkpoint of finished content.
    case close
}
