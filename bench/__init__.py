"""Benchmarks of the studio: run `python -m bench.suite` (see README.md here)."""
