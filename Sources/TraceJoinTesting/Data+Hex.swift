package import Foundation

extension Data {
    /// The bytes a test writes as hex (`"4bf92f35…"`), for the ID fields of protobuf messages; traps on a
    /// malformed literal, which is a mistake in the test.
    package init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self.init(bytes)
    }
}
