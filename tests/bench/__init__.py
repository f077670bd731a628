"""Benchmarks and their fixtures, run as `python -m tests.bench.<name>` (the Makefile's bench-* targets).

Kept out of the apps, which ship nothing that exists only to be measured; no module here is named
test_*.py, so pytest collects none of them (the search tests import the judged queries and the
osmem wiring from here).
"""
