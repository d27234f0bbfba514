import Testing
import TraceJoinCore

@Suite struct TraceIDTextTests {
    static let full = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)

    @Test(
        "every pasted form of one trace ID names the same trace",
        arguments: [
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "4BF92F3577B34DA6A3CE929D0E0E4736",
            "  4bf92f3577b34da6a3ce929d0e0e4736\n",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "S/kvNXezTaajzpKdDg5HNg==",
            "1-4bf92f35-77b34da6a3ce929d0e0e4736",
        ])
    func fullForms(_ text: String) throws {
        #expect(TraceIDText.parse(text) == .full(Self.full))
    }

    @Test("16 hex digits are a 64-bit ID with the upper half zero")
    func sixteenHex() {
        #expect(TraceIDText.parse("a3ce929d0e0e4736") == .full(TraceID(high: 0, low: 0xa3ce_929d_0e0e_4736)))
    }

    @Test("a Datadog decimal ID names the lower 64 bits")
    func datadogDecimal() {
        #expect(TraceIDText.parse("11803532876627986230") == .lower64(0xa3ce_929d_0e0e_4736))
    }

    @Test("text that is no trace ID is refused", arguments: ["", "hello", "00-000-11-01", "xyz4bf92f3577b34da6a3ce929d0e0e47"])
    func refused(_ text: String) {
        #expect(TraceIDText.parse(text) == nil)
    }

    @Test("the canonical form is 32 lowercase hex digits")
    func canonical() {
        #expect(TraceID(hex: "ABC")?.hex == "00000000000000000000000000000abc")
        #expect(Self.full.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(SpanID(hex: "2")?.hex == "0000000000000002")
    }
}

@Suite struct UnixTimeTests {
    @Test("RFC 3339 output carries nanoseconds in UTC")
    func rfc3339() {
        #expect(UnixTime.rfc3339(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(UnixTime.rfc3339(1_795_428_000_123_456_789) == "2026-11-23T10:00:00.123456789Z")
        #expect(UnixTime.rfc3339(-1) == "1969-12-31T23:59:59.999999999Z")
    }

    @Test("days and calendar dates convert both ways")
    func civilRoundTrip() {
        for days: Int64 in [-800_000, -1, 0, 59, 365, 11_016, 20_415, 2_932_896] {
            let date = UnixTime.civil(fromDays: days)
            #expect(UnixTime.days(year: date.year, month: date.month, day: date.day) == days)
        }
    }
}
