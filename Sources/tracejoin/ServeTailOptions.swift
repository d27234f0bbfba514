import ArgumentParser

/// `--tail` and how those files are followed, grouped in `serve --help`.
struct ServeTailOptions: ParsableArguments {
    @Option(name: .customLong("tail"), help: "Files, folders or globs to follow as `tracejoin tail` does. Repeatable.")
    var patterns: [String] = []

    @OptionGroup var follow: TailOptions
}
