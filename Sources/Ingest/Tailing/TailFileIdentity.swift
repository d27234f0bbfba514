/// Which file a tailer holds: device + inode, plus a hash of its first bytes.
///
/// Named apart from the device + inode pair `InputDiscovery` de-duplicates with: a tailer needs the head too,
/// because inodes are reused (a rotated file deleted, a new one created, the same number handed out) and because
/// `copytruncate` keeps the inode while replacing the content. The head is at most ``window`` bytes; a file
/// shorter than that has a shorter head, and the identity is refreshed as the file grows.
package struct TailFileIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Bytes of the head hashed at most (1 KiB: enough to tell log files apart by their first timestamps).
    package static let window = 1 << 10

    package var device: UInt64
    package var inode: UInt64
    /// Bytes hashed (`min(size, window)` when the identity was taken).
    package var headLength: Int
    /// FNV-1a of the first `headLength` bytes.
    package var headHash: UInt64

    package init(device: UInt64, inode: UInt64, headLength: Int, headHash: UInt64) {
        self.device = device
        self.inode = inode
        self.headLength = headLength
        self.headHash = headHash
    }

    /// The identity of a file with this device, inode and head (its first bytes, up to ``window``).
    package init(device: UInt64, inode: UInt64, head: [UInt8]) {
        let length = min(head.count, Self.window)
        self.init(device: device, inode: inode, headLength: length, headHash: Self.hash(head, length: length))
    }

    /// Same device and inode: the same file on disk, whatever it holds now.
    package func isSameInode(as other: TailFileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }

    /// Whether a file whose first bytes are `head` starts with the content this identity hashed.
    ///
    /// True for the same content grown, or renamed, or copied (`copytruncate`'s copy). An empty head matches
    /// everything, so callers treat `headLength == 0` as "no content known yet".
    package func headIsPrefix(of head: [UInt8]) -> Bool {
        head.count >= headLength && Self.hash(head, length: headLength) == headHash
    }

    /// The same inode still holding (a grown version of) the same content.
    package func isContinued(by later: TailFileIdentity, head: [UInt8]) -> Bool {
        isSameInode(as: later) && headIsPrefix(of: head)
    }

    package var description: String {
        "dev \(device) ino \(inode) head \(headLength)B:\(String(headHash, radix: 16))"
    }

    static func hash(_ bytes: [UInt8], length: Int) -> UInt64 {
        var hash = FNV1a()
        bytes.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        return hash.value
    }
}
