import Testing
import TraceJoinCore

@Suite struct JSONParserTests {
    @Test("objects keep member order and numbers keep their literal text")
    func orderAndNumbers() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":[true,null,"x"],"big":18446744073709551615,"f":1.5e3}"#)
        let object = try #require(value.object)
        #expect(object.members.map(\.key) == ["b", "a", "big", "f"])
        #expect(value["big"]?.uint64 == UInt64.max)
        #expect(value["f"]?.double == 1500)
        #expect(value["a"] == .array([.bool(true), .null, .string("x")]))
    }

    @Test("escapes and surrogate pairs decode")
    func escapes() throws {
        let value = try JSONParser.parse(#"{"m":"a\"b\\c\n\u00e9\ud83d\ude00"}"#)
        #expect(value["m"]?.string == "a\"b\\c\né😀")
    }

    @Test("invalid UTF-8 inside a string is replaced, not fatal")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array(#"{"m":"a"#.utf8) + [0xFF] + Array(#"b"}"#.utf8)
        let value = try JSONParser.parse(bytes)
        #expect(value["m"]?.string == "a\u{FFFD}b")
    }

    @Test("malformed JSON says where", arguments: [#"{"a":}"#, #"{"a":1"#, "[1,2", #"{"a":1} x"#, "", "{'a':1}"])
    func malformed(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test("the writer escapes what a terminal would act on, and the text parses back the same")
    func terminalSafeStrings() throws {
        let text = "a\u{1B}]2;x\u{07}b\u{9B}31mc\u{202E}d\u{2066}e\u{7F}f\u{85}g é \u{2028} 😀"
        var writer = JSONWriter()
        writer.string(text)
        #expect(writer.text == #""a\u001b]2;x\u0007b\u009b31mc\u202ed\u2066e\u007ff\u0085g é \#u{2028} 😀""#)
        #expect(try JSONParser.parse(writer.text).string == text)
    }

    @Test("a writer round-trips what the parser read")
    func roundTrip() throws {
        let text = #"{"a":[1,2.5,"x\ny"],"b":{"c":null,"d":false}}"#
        var writer = JSONWriter()
        writer.write(try JSONParser.parse(text))
        #expect(writer.text == text)
    }
}
