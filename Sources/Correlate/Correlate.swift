// The Correlate stage; see docs/architecture.md.
