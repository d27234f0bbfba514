/// Text from stored or input data made safe to print on a terminal.
///
/// Logs, service names, file names and OTLP fields are written by anyone who can reach a log file or the
/// receiver, and a terminal obeys control sequences in what it prints: `ESC ] 2 ; … BEL` retitles the
/// window, `ESC [ 2 J` clears the screen, a bidi override reorders what a line seems to say. Every text
/// view passes such text through `escaped(_:)`; JSON output needs nothing (the JSON writer escapes
/// control characters itself). A backslash is left as it is, so the escapes are for people, not a codec.
package enum TerminalText {
    /// `text` with every character a terminal could act on written visibly: C0 controls other than tab,
    /// and DEL, as `\x1b`; C1 controls (U+0080–U+009F) and bidi embeddings, overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069) as `\u009b`. With `keepingNewlines`, a line feed stays a line break.
    package static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard needsEscaping(text.utf8) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x09: result.unicodeScalars.append(scalar)
            case 0x0A where keepingNewlines: result.unicodeScalars.append(scalar)
            case 0x00..<0x20, 0x7F: result += "\\x" + hex(value, digits: 2)
            case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069: result += "\\u" + hex(value, digits: 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether any byte could start a character `escaped` rewrites: a control byte, DEL, or the lead byte
    /// of a C1 control (0xC2) or of the bidi controls (0xE2). Most text has none, and is returned as is.
    private static func needsEscaping(_ bytes: String.UTF8View) -> Bool {
        bytes.contains { byte in
            (byte < 0x20 && byte != 0x09) || byte == 0x7F || byte == 0xC2 || byte == 0xE2
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        String(HexDigits.string(UInt64(value)).suffix(digits))
    }
}
