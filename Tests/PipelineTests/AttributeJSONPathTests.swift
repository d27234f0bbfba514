import Normalize
import Rules
import Store
import Testing
import TraceJoinCore

/// A JSON log line's attributes are copied from the line as the JSON they are stored as, scrubbed as that text
/// and stored as it is (issue #16, point 4). Whatever the line holds, the row must be exactly what the list path
/// (each member made an `Attribute`, scrubbed, encoded again) stores, with the same hits counted: these tests
/// decode lines both ways and compare what reaches the rows.
@Suite struct AttributeJSONPathTests {
    /// The shipped rules and rules for the actions they do not use: drop-field by key and by pattern, drop-record,
    /// and a key rule that replaces whatever value its key holds.
    static func scrubber() throws -> Scrubber {
        let source = RuleSource(
            path: "user/test.yaml",
            text: """
                - id: user.drop-health
                  match: {pattern: 'GET /healthz'}
                  action: drop-record
                - id: user.drop-ua
                  match: {keys: '^ua$'}
                  action: drop-field
                - id: user.drop-ticket
                  match: {pattern: 'ticket-[0-9]+'}
                  action: drop-field
                - id: user.blob
                  match: {keys: '^blob$'}
                  action: {redact: '<blob>'}
                """)
        return try Scrubber(ruleSet: RuleSet(layers: [RuleSource.builtIn, [source]]), hashKey: nil)
    }

    static func decode(_ line: String, copies: Bool) -> LogRecord? {
        var configuration = LogDecoderConfiguration()
        configuration.copiesAttributeJSON = copies
        var decoder = LogLineDecoder(source: "test.log", serviceFromPath: "svc", configuration: configuration)
        var records: [Record] = []
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            decoder.feed(UnsafeBufferPointer(buffer), lineNumber: 1, byteOffset: 0) { records.append($0) }
        }
        decoder.finish { records.append($0) }
        guard records.count == 1, case .log(let log) = records[0] else { return nil }
        return log
    }

    struct StoredRow: Equatable {
        var attributes: String?
        var message: String
    }

    /// The stored attributes and message of a scrubbed record, as `RowBatch` writes them; nil when dropped.
    static func row(_ log: LogRecord, _ scrubber: Scrubber) throws -> StoredRow? {
        guard let scrubbed = scrubber.scrub(.log(log)) else { return nil }
        let batch = RowBatch([SourcedRecord(sourceID: 1, record: scrubbed)])
        guard case .log(let row) = try #require(batch.entries.first) else {
            Issue.record("not a log row")
            return nil
        }
        return StoredRow(attributes: row.attributes.map(batch.string), message: batch.string(row.message))
    }

    // MARK: - Lines

    /// Random JSON log lines (seeded) mixing what the copier takes as it is with everything it must not: escapes,
    /// control characters, non-canonical numbers, 13-digit integers, `$` keys, whitespace, and values the rules
    /// change, drop or use to drop the record.
    struct Lines {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        static let keys = [
            "a", "user", "email", "password", "client_ip", "tags", "ua", "blob", "count", "note", "$bytes", "ünï",
            "token", "dup", "dup", "ratio", "id",
        ]
        static let strings = [
            "plain", "jane.doe@example.com", "10.1.2.3", "4111 1111 1111 1111", #"with \"quotes\""#, #"tab\there"#,
            "ünïcode ok", "GET /healthz", "ticket-42 open", "$5.00", "", "2001:db8:85a3:8d3:1319:8a2e:370:7348",
            #"slash \/ and \u00e9"#, "call +14155550132 now", "DE89370400440532013000",
        ]
        static let numbers = [
            "0", "7", "-3", "42", "123456789012", "1234567890123", "4111111111111111", "007", "-0", "0.5", "1.50",
            "1e3", "2.5E-3", "12345678901234567890", "0.158", "-12.25",
        ]

        mutating func value(depth: Int) -> String {
            switch next(depth < 2 ? 10 : 7) {
            case 0, 1, 2: return "\"" + Self.strings[next(Self.strings.count)] + "\""
            case 3, 4: return Self.numbers[next(Self.numbers.count)]
            case 5: return ["true", "false", "null"][next(3)]
            case 6: return "{}"
            case 7, 8: return object(depth: depth + 1, members: 1 + next(3))
            default: return "[" + (0..<next(4)).map { _ in value(depth: depth + 1) }.joined(separator: ",") + "]"
            }
        }

        mutating func object(depth: Int, members: Int) -> String {
            let spaced = next(4) == 0
            let items = (0..<members).map { _ in
                "\"" + Self.keys[next(Self.keys.count)] + "\":" + (spaced ? " " : "") + value(depth: depth)
            }
            return "{" + items.joined(separator: spaced ? ", " : ",") + "}"
        }

        /// A log line: level, message and trace context (used as fields), `dd` with members used and not, then
        /// random attributes.
        mutating func line() -> String {
            var members = [#""level":"info""#, #""msg":"request done""#]
            if next(2) == 0 { members.append(#""trace_id":"6b03ac30000000009d977003b772c8ad""#) }
            if next(3) == 0 { members.append(#""dd":{"trace_id":"745256908637083189","env":"prod"}"#) }
            if next(5) == 0 { members.append(#""dd":{"trace_id":"745256908637083189"}"#) }
            for _ in 0..<next(6) {
                members.append("\"" + Self.keys[next(Self.keys.count)] + "\":" + value(depth: 0))
            }
            members.shuffle(using: &self)
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    @Test func rowsAreThoseOfTheListPath() throws {
        let viaJSON = try Self.scrubber()
        let viaList = try Self.scrubber()
        var lines = Lines(state: 20_261_207)
        var copied = 0
        var rewritten = 0
        var dropped = 0
        for _ in 0..<3000 {
            let line = lines.line()
            let fromList = try #require(Self.decode(line, copies: false), "\(line)")
            let fromJSON = try #require(Self.decode(line, copies: true), "\(line)")
            #expect(fromList.attributeJSON == nil)
            // The attributes read back from the copied text are those the list path makes.
            #expect(fromJSON.attributes == fromList.attributes, "\(line)")
            let viaListRow = try Self.row(fromList, viaList)
            let viaJSONRow = try Self.row(fromJSON, viaJSON)
            #expect(viaJSONRow == viaListRow, "\(line)")
            if let copiedText = fromJSON.attributeJSON.map({ String(decoding: $0.bytes, as: UTF8.self) }) {
                copied += 1
                if viaJSONRow == nil {
                    dropped += 1
                } else if viaJSONRow?.attributes != copiedText {
                    rewritten += 1
                }
            }
        }
        #expect(viaJSON.hitCounts == viaList.hitCounts)
        // The copied path was taken, and changed and dropped records in it, not only left to the list path.
        #expect(copied > 600)
        #expect(copied < 2900)
        #expect(rewritten > 100)
        #expect(dropped > 20)
    }

    @Test func whatIsCopiedAndWhatIsNot() throws {
        func copied(_ attributes: String) -> String? {
            let log = Self.decode(#"{"msg":"m","# + attributes + "}", copies: true)
            return log?.attributeJSON.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        #expect(copied(#""a":1,"b":"x","c":[true,null,{"d":0.5}]"#) == #"{"a":1,"b":"x","c":[true,null,{"d":0.5}]}"#)
        #expect(copied(#""a": 1, "b": { "c" : [ 2 ] }"#) == #"{"a":1,"b":{"c":[2]}}"#)
        #expect(copied(#""name":"Jürgen""#) == #"{"name":"Jürgen"}"#)
        for kept in [
            #""a":"x\"y""#, #""a":1.50"#, #""a":1e3"#, #""a":007"#, #""a":-0"#, #""a":1234567890123"#,
            #""$bytes":"eA==""#, #""a":{"$double":"nan"}"#, "\"a\":\"\u{1}\"",
        ] {
            #expect(copied(kept) == nil, "\(kept)")
        }
    }
}

extension AttributeJSONPathTests {
    /// Found from outside: a chain of 511 objects ending in a string passes the line scanner (which counts no
    /// depth for strings), but read back through `JSONParser` (512 levels at most) it gave no attributes, so a key
    /// rule on a double, which makes the list, lost them all. Deep values now take the list path.
    @Test func deepNestingTakesTheListPath() throws {
        func nested(_ levels: Int) -> String {
            String(repeating: #"{"a":"#, count: levels) + #""s""# + String(repeating: "}", count: levels)
        }
        let shallow = try #require(Self.decode(#"{"msg":"m","d":"# + nested(63) + "}", copies: true))
        #expect(shallow.attributeJSON != nil)
        #expect(shallow.attributes.count == 1)
        let deep = try #require(Self.decode(#"{"msg":"m","d":"# + nested(64) + "}", copies: true))
        #expect(deep.attributeJSON == nil)

        let viaJSON = try Self.scrubber()
        let viaList = try Self.scrubber()
        for line in [
            #"{"msg":"m","password":1.5,"e":"x","d":"# + nested(511) + "}",
            #"{"msg":"m","e":"jane@example.com","d":"# + nested(300) + "}",
        ] {
            let fromList = try #require(Self.decode(line, copies: false))
            let fromJSON = try #require(Self.decode(line, copies: true))
            let row = try Self.row(fromJSON, viaJSON)
            #expect(row == (try Self.row(fromList, viaList)))
            #expect(row?.attributes?.hasPrefix(#"{"#) == true)
        }
        #expect(viaJSON.hitCounts == viaList.hitCounts)
        #expect(!viaJSON.hitCounts.isEmpty)
    }
}

extension AttributeJSONPathTests.Lines: RandomNumberGenerator {
    mutating func next() -> UInt64 { UInt64(next(Int.max)) &* 2_654_435_761 }
}
