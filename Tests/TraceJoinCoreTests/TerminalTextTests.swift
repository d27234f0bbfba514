import Testing
import TraceJoinCore

/// What a text view prints of a stored string: nothing a terminal would act on.
@Suite struct TerminalTextTests {
    @Test("a window-title and a clear-screen sequence are printed as visible escapes")
    func escapeSequences() {
        #expect(TerminalText.escaped("\u{1B}]2;pwned\u{07} \u{1B}[2J") == #"\x1b]2;pwned\x07 \x1b[2J"#)
    }

    @Test("every C0 control but tab, and DEL, becomes \\xNN")
    func controls() {
        #expect(TerminalText.escaped("a\u{0}b\nc\rd\u{7F}") == #"a\x00b\x0ac\x0dd\x7f"#)
        #expect(TerminalText.escaped("col\tcol") == "col\tcol")
    }

    @Test("C1 controls and bidi overrides become \\uNNNN")
    func c1AndBidi() {
        #expect(TerminalText.escaped("\u{9B}31m\u{85}") == #"\u009b31m\u0085"#)
        #expect(TerminalText.escaped("user \u{202E}gnp.exe\u{2066}x\u{2069}") == #"user \u202egnp.exe\u2066x\u2069"#)
    }

    @Test("line feeds can be kept as line breaks; a carriage return still cannot overwrite the line")
    func keepingNewlines() {
        #expect(TerminalText.escaped("one\ntwo\r", keepingNewlines: true) == "one\ntwo\\x0d")
    }

    @Test("ordinary text, accents, CJK, emoji and other U+2xxx punctuation are left as they are")
    func plainText() {
        for text in ["payment declined: insufficient funds", "café – naïve — 決済 ✓ 🚀", #"C:\path\x1b"#, ""] {
            #expect(TerminalText.escaped(text) == text)
        }
    }
}
