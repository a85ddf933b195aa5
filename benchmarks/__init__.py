"""Benchmarks that print figures; run each from the repository root: `python -m benchmarks.NAME`."""
