import Normalize
import Testing
import TraceJoinCore

@Suite struct SpanIdentifiersTests {
    @Test(
        "trace IDs in hex of any case, base64 with or without padding, and short hex",
        arguments: [
            ("4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736"),
            ("4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f3577b34da6a3ce929d0e0e4736"),
            ("YUMtSIxXQHea1DTgS+G2zg==", "61432d488c5740779ad434e04be1b6ce"),
            ("YUMtSIxXQHea1DTgS+G2zg", "61432d488c5740779ad434e04be1b6ce"),
            ("YUMtSIxXQHea1DTgS-G2zg==", "61432d488c5740779ad434e04be1b6ce"),
            ("00f067aa0ba902b7", "000000000000000000f067aa0ba902b7"),
            ("1", "00000000000000000000000000000001"),
        ])
    func traceIDs(text: String, hex: String) {
        #expect(SpanIdentifiers.traceID(text)?.hex == hex)
    }

    @Test(
        "span IDs in hex of any case, base64, and short hex",
        arguments: [
            ("00f067aa0ba902b7", "00f067aa0ba902b7"),
            ("EEE19B7EC3C1B174", "eee19b7ec3c1b174"),
            ("APBnqgupArc=", "00f067aa0ba902b7"),
            ("APBnqgupArc", "00f067aa0ba902b7"),
            ("2", "0000000000000002"),
            ("abcdef012345678", "0abcdef012345678"),
        ])
    func spanIDs(text: String, hex: String) {
        #expect(SpanIdentifiers.spanID(text)?.hex == hex)
    }

    @Test(
        "empty, all-zero, too long and non-hex IDs are no IDs",
        arguments: [
            "", "0", "00000000000000000000000000000000", "AAAAAAAAAAAAAAAAAAAAAA==", "xyz",
            "4bf92f3577b34da6a3ce929d0e0e47360", "4bf92f35-77b3-4da6-a3ce-929d0e0e4736",
        ])
    func invalidTraceIDs(text: String) {
        #expect(SpanIdentifiers.traceID(text) == nil)
    }

    @Test(
        "span IDs: empty, zero, 17 digits and a 16-byte base64 value are no span IDs",
        arguments: ["", "0000000000000000", "AAAAAAAAAAA=", "00f067aa0ba902b71", "YUMtSIxXQHea1DTgS+G2zg=="])
    func invalidSpanIDs(text: String) {
        #expect(SpanIdentifiers.spanID(text) == nil)
    }
}
