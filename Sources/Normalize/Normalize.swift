// The Normalize stage; see docs/architecture.md.
