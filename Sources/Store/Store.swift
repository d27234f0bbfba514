// The Store stage; see docs/architecture.md.
