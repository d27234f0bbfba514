"""Deterministic generator of a realistic night of shop telemetry (logs + span exports).

Used by `Benchmarks/make_corpus.py` for the benchmark corpus and for the bundled fixture
`Fixtures/night/`. Python 3 standard library only.
"""
