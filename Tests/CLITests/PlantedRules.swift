import Foundation

/// Rule files the SIGHUP tests write into a `--rules` folder: one rule that redacts a planted word, and a
/// set that does not load.
enum PlantedRules {
    /// A scrub rule `id` that replaces `word` with `<planted>`.
    static func rule(_ id: String, word: String) -> String {
        """
        - id: \(id)
          description: a word the test plants
          priority: 90
          match:
            pattern: '\(word)'
          action: {redact: '<planted>'}
          examples:
            - {in: 'say \(word) now', out: 'say <planted> now'}

        """
    }

    /// A rule file whose pattern does not compile, so the whole set is refused.
    static let broken = "- id: test.broken\n  match: {pattern: '(x'}\n  action: {redact: y}\n"

    /// Writes `text` as `folder/name`.
    static func write(_ text: String, as name: String, in folder: String) throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }
}
