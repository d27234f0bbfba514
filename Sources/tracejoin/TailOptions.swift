import ArgumentParser
import Pipeline

/// How files are followed: the flags `tail` and `serve --tail` share, declared once so that their help and
/// their effect cannot drift apart.
struct TailOptions: ParsableArguments {
    @Option(help: "Where files found at the first start (no stored checkpoints) begin: beginning or end.")
    var from: TailStart = .beginning

    @Option(help: "Milliseconds between polls of the followed files (1-60000).")
    var pollInterval: Int = 250

    @Flag(
        help: """
            Only poll every --poll-interval; never wait on inotify events (network filesystems, where changes \
            made on another host raise none). Without it a change is read at once, the interval being the fallback.
            """)
    var pollOnly = false

    @OptionGroup var zone: TimeZoneOptions

    func validate() throws {
        guard pollInterval >= 1 && pollInterval <= 60_000 else {
            throw ValidationError("--poll-interval must be between 1 and 60000 milliseconds")
        }
    }

    /// Puts these choices into `configuration`.
    func apply(to configuration: inout TailRunConfiguration) {
        configuration.startAtEnd = from == .end
        configuration.pollInterval = .milliseconds(pollInterval)
        configuration.pollOnly = pollOnly
        configuration.timeZones = zone.timeZones()
    }
}

/// `--from`: where files seen the first time start.
enum TailStart: String, ExpressibleByArgument, CaseIterable {
    case beginning, end
}
