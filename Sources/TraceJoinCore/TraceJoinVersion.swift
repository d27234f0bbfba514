/// tracejoin's version, as `tracejoin --version` prints it and the query API reports it (`/api/status/buildinfo`).
package enum TraceJoinVersion {
    package static let current = "0.4.0"
}
