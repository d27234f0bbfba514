import Query
import Testing

@Suite struct GoDurationTests {
    @Test(
        "Go durations as Jaeger's minDuration and maxDuration take them",
        arguments: [
            ("100ms", 100_000_000), ("1.5s", 1_500_000_000), ("2h45m", 9_900_000_000_000), ("1us", 1_000),
            ("1\u{00B5}s", 1_000), ("1\u{03BC}s", 1_000), ("250ns", 250), ("0", 0), ("1.s", 1_000_000_000),
            (".5ms", 500_000), ("1m30s", 90_000_000_000), ("+3s", 3_000_000_000), ("-2ms", -2_000_000),
        ] as [(String, Int64)])
    func reads(_ text: String, _ nanoseconds: Int64) {
        #expect(GoDuration.nanoseconds(text) == nanoseconds)
    }

    @Test(
        "text that is no Go duration is refused",
        arguments: ["", "ms", "1", "10 ms", "1.2.3s", "-", "1d", "abc", "1s2", "9999999999999h", ".s"])
    func refuses(_ text: String) {
        #expect(GoDuration.nanoseconds(text) == nil)
    }
}
