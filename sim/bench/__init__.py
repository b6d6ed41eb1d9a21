"""Benchmarks, reported as ratios against a bare SimPy loop measured in the same run
(never as timed assertions in tests)."""
