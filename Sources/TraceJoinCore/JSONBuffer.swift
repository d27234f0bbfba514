/// Compact JSON bytes for the store's attribute columns, in a buffer reused from row to row.
///
/// The same JSON as `TraceJoinCore.JSONWriter`, but `bytes` can be cleared and refilled without a new
/// allocation per record, and strings without characters to escape are copied in one go. It escapes only what
/// JSON requires: what it writes is stored and parsed back, never printed, so the terminal escapes
/// `JSONWriter` adds for output are not needed here.
package struct JSONBuffer {
    package var bytes: [UInt8] = []

    package init() {
        bytes.reserveCapacity(256)
    }

    @inline(__always)
    package mutating func byte(_ byte: UInt8) { bytes.append(byte) }

    package mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// An integer in decimal, as `String(value)` spells it, without making the string.
    package mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for the 20 digits of UInt64.max
        withUnsafeMutableBytes(of: &digits) { room in
            var start = room.count
            repeat {
                start -= 1
                room[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: room[start...])
        }
    }

    /// A JSON string literal with the required escapes.
    package mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Native strings (nearly all) lend their bytes without a copy; others are made contiguous first.
        if text.utf8.withContiguousStorageIfAvailable({ utf8 in escaped(utf8) }) == nil {
            var copy = text
            copy.withUTF8 { escaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether a string's bytes go between the quotes as they are: no quote, backslash or control character.
    package static func needsNoEscapes(_ utf8: some Sequence<UInt8>) -> Bool {
        !utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
    }

    /// The string's bytes, escaped, without the quotes.
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        if Self.needsNoEscapes(utf8) {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
