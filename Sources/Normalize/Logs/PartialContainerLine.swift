import TraceJoinCore

/// The pieces of one long container line (Docker 16 KiB splits, CRI `P`) until its last piece arrives.
struct PartialContainerLine {
    var wrapper: ContainerLogWrapper
    var location: InputLocation
    var bytes: [UInt8] = []
    var truncated = false

    init(wrapper: ContainerLogWrapper, location: InputLocation) {
        self.wrapper = wrapper
        self.location = location
    }

    mutating func append(_ piece: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, limit: Int) {
        let room = limit - bytes.count
        if end - start <= room {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: piece[start..<end]))
        } else {
            if room > 0 {
                let cut = LogBytes.utf8Boundary(piece, start: start, limit: start + room)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: piece[start..<cut]))
            }
            truncated = true
        }
    }
}
