import Foundation
import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Whole files from `Fixtures/formats/logs/` (see its README), decoded as Ingest hands them over.
@Suite struct LogFixtureFileTests {
    static func decode(_ name: String, service: String? = nil) throws -> [Record] {
        let path = FixturePaths.fixture("formats/logs/" + name)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return LogDecoding.records(bytes: bytes, source: name, service: service ?? name)
    }

    static func logs(_ records: [Record]) -> [LogRecord] {
        records.compactMap { if case .log(let log) = $0 { log } else { nil } }
    }

    @Test("logback with CRLF and no final newline: 4 records, the stack trace joined, the tenant ID not a trace")
    func javaLogback() throws {
        let logs = Self.logs(try Self.decode("java-logback-crlf.log"))
        #expect(logs.map(\.origin.line) == [1, 2, 12, 13])
        #expect(logs.map(\.severity) == [.info, .error, .warn, .info])
        #expect(logs[1].message.split(separator: "\n").count == 10)
        #expect(!logs[1].message.contains("\r"))
        #expect(logs[1].message.hasSuffix("\t... 12 more"))
        #expect(logs[2].trace == nil)
        #expect(logs[3].trace == LogDecoding.trace("0af7651916cd43dd8448eb211c80319c"))
        #expect(logs[3].message.hasSuffix("SpanID: b7ad6b7169203331"))
        // Zone-less times get the configured zone (UTC by default).
        #expect(logs[0].time == LogDecoding.nanos(2026, 11, 23, 18, 0, 0, nanos: 123_000_000))
    }

    @Test("Python OTel text: the traceback joins the error record; the startup line has no trace")
    func pythonOTel() throws {
        let logs = Self.logs(try Self.decode("python-otel.log"))
        #expect(logs.count == 4)
        #expect(logs[0].trace == nil)
        #expect(logs[2].severity == .error)
        #expect(logs[2].message.hasSuffix("\ngateway.GatewayError: card declined"))
        #expect(logs[2].sampled == true)
        #expect(logs.allSatisfy { $0.service == "billing-worker" || $0.trace == nil })
        #expect(logs[3].severity == .warn)
    }

    @Test("zap JSON then a Go panic: the panic is one fatal record with its goroutine dump")
    func goPanic() throws {
        let logs = Self.logs(try Self.decode("go-zap-panic.log", service: "api"))
        #expect(logs.count == 3)
        #expect(logs[0].time == LogDecoding.base + 123_000)
        #expect(logs[1].trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(logs[2].severity == .fatal)
        #expect(logs[2].message.hasSuffix("exit status 2"))
        #expect(logs[2].message.contains("goroutine 34 [running]:"))
        #expect(logs[2].service == "api")
    }

    @Test("Docker json-file: the 16 KiB pieces join across an interleaved stderr line")
    func dockerPartials() throws {
        let logs = Self.logs(try Self.decode("docker-json-file.log"))
        #expect(logs.count == 3)
        let big = try #require(logs.first { $0.origin.line == 1 })
        #expect(big.message.hasPrefix("big payload trace_id="))
        #expect(big.message.hasSuffix("x end"))
        #expect(big.message.utf8.count > 20_000)
        #expect(big.trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(big.time == LogDecoding.base)
        let after = try #require(logs.first { $0.origin.line == 4 })
        #expect(after.time == LogDecoding.base + 1_000_000_000)
        #expect(after.trace == LogDecoding.trace("0af7651916cd43dd8448eb211c80319c"))
    }

    @Test("CRI: inner JSON keeps its own zoned time, P+F join, stderr stack trace joins")
    func cri() throws {
        let logs = Self.logs(try Self.decode("cri-containerd.log"))
        #expect(logs.count == 3)
        #expect(logs[0].time == LogDecoding.base + 99_000_000)
        #expect(logs[1].message == "upstream failed: connection reset")
        #expect(logs[1].time == LogDecoding.base + 200_000_000)
        #expect(logs[2].severity == .error)
        #expect(logs[2].message.hasSuffix("\n\tat com.example.Main.main(Main.java:5)"))
        #expect(logs[2].attributes[key: "log.iostream"] == .string("stderr"))
    }

    @Test("malformed JSON lines are rejected with their line numbers, plain text is not")
    func malformed() throws {
        let records = try Self.decode("malformed.jsonl")
        #expect(LogDecoding.rejects(records).map(\.origin.line) == [2, 4])
        #expect(Self.logs(records).map(\.message) == ["ok 1", "ok 2", "plain text is not a reject", "ok 3"])
    }

    @Test("a real Nezha file copied into Fixtures: two records with the Docker UTC times")
    func nezhaCopy() throws {
        let logs = Self.logs(try Self.decode("nezha-ts-payment-service.log"))
        #expect(logs.count == 2)
        #expect(logs[0].time == LogDecoding.nanos(2023, 1, 29, 8, 49, 11, nanos: 925_097_865))
        #expect(logs[0].trace == LogDecoding.trace("410f102a89f8db22c0ca4ff3c9b8c494"))
        #expect(logs[1].spanID == LogDecoding.span("fc1a3e3b69776c39"))
    }
}
