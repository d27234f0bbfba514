// The Pipeline stage; see docs/architecture.md.
