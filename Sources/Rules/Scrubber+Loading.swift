package import TraceJoinCore

extension Scrubber {
    /// The scrubber `batch`, `tail` and `serve` use: the built-in packs (unless `includeBuiltIn` is false,
    /// `--no-default-rules`), then each `--rules` folder, later ids overriding earlier ones; the hash key from
    /// the environment or `hashKeyFile`. Any problem throws every diagnostic (the CLI exits 78).
    package static func load(
        ruleFolders: [String] = [], includeBuiltIn: Bool = true, hashKeyFile: String? = nil
    ) throws(RuleSetError) -> Scrubber {
        let layers = try RuleSource.layers(includeBuiltIn: includeBuiltIn, ruleFolders: ruleFolders)
        let ruleSet = try RuleSet(layers: layers)
        do {
            let key = try HashKey.load(file: hashKeyFile)
            return try Scrubber(ruleSet: ruleSet, hashKey: key)
        } catch let diagnostic as Diagnostic {
            throw RuleSetError(diagnostics: [diagnostic])
        } catch {
            throw RuleSetError(diagnostics: [
                Diagnostic(
                    location: InputLocation(source: hashKeyFile ?? HashKey.environmentVariable),
                    message: "hash key cannot be read")
            ])
        }
    }
}

/// What `tracejoin rules check DIR` reports.
package enum RuleCheck {
    /// Files that cannot be read, then load problems, then failing examples, of the files under `folder`
    /// (a file also works), in file order.
    /// Extraction examples run only with a `finder` (Pipeline's `TraceContextRules.finder`).
    package static func diagnostics(forFolder folder: String, finder: TraceContextFinder? = nil) -> [Diagnostic] {
        let (sources, problems) = RuleSource.read(folder)
        return problems + diagnostics(for: sources, finder: finder)
    }

    package static func diagnostics(for sources: [RuleSource], finder: TraceContextFinder? = nil) -> [Diagnostic] {
        let loaded = RuleLoader.load(sources)
        let pii = loaded.diagnostics + RuleTester.test(loaded.rules).failures
        let classes = ClassificationTester.diagnostics(for: sources, skipping: Set(pii.map(\.description)))
        let reported = Set((pii + classes).map(\.description))
        let extraction = ExtractionTester.diagnostics(for: sources, finder: finder, skipping: reported)
        let zones = TimeZoneRuleLoader.load(sources).diagnostics.filter {
            !reported.contains($0.description) && !extraction.map(\.description).contains($0.description)
        }
        return pii + classes + extraction + zones
    }
}
