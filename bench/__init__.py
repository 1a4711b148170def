"""Veche benchmarks: `make bench` (full, measured) and `make bench-smoke` (tiny, keeps the harness working)."""
