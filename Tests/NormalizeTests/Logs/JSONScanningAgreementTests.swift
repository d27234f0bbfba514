import Normalize
import Testing
import TraceJoinCore

/// The decoder scans JSON lines with its own byte scanner; it must accept exactly what
/// `JSONParser` accepts and decode strings the same way.
@Suite struct JSONScanningAgreementTests {
    static let lines: [String] = [
        #"{"msg":"a"}"#, #"{}"#, #" { "msg" : "a" } "#, #"{"msg":"a",}"#, #"{"msg":"a""#, #"{"msg":}"#,
        #"{"msg":"a" "b":1}"#, #"{"msg":"\q"}"#, #"{"msg":"\u12"}"#, #"{"msg":"\u00e9\ud83d\ude00\ud800x"}"#,
        #"{"n":-}"#, #"{"n":1.2.3e+-}"#, #"{"n":-0.5e10}"#, #"{"b":tru}"#, #"{"b":true,"c":false,"d":null}"#,
        #"{"a":[1,[2,{"x":[]}],"s"]}"#, #"{"a":[1,]}"#, #"{"a":{"b":{"c":{}}}}"#, #"{"a":{"b":}}"#,
        "{\"msg\":\"tab\tinside\"}", #"{"msg":"a"} trailing"#, #"{"msg":"a"}}"#, #"{msg:"a"}"#, #"{"msg":'a'}"#,
        #"{"msg":"esc \" \\ \/ \b \f \n \r \t end"}"#, #"{"m\u0073g":"escaped key"}"#, "{\"msg\":\"caf\u{e9}\"}",
    ]

    @Test("a { line is a reject exactly when JSONParser rejects it", arguments: lines)
    func sameValidity(_ line: String) {
        let parserAccepts = (try? JSONParser.parse(line)) != nil
        let records = LogDecoding.records(line)
        #expect(records.count == 1)
        #expect(LogDecoding.rejects(records).isEmpty == parserAccepts)
    }

    @Test("messages and attributes decode as JSONParser decodes them", arguments: lines)
    func sameStrings(_ line: String) throws {
        guard case .object(let object)? = try? JSONParser.parse(line) else { return }
        guard let log = LogDecoding.log(line) else {
            Issue.record("no record")
            return
        }
        if case .string(let message)? = object["msg"] { #expect(log.message == message) }
        for member in object.members where member.key != "msg" {
            #expect(log.attributes[key: member.key] != nil, "\(member.key)")
        }
    }
}
