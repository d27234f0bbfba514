// The Ingest stage; see docs/architecture.md.
