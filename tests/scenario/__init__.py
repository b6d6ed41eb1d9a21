"""Scenario tests; a package so test_units.py does not clash with tests/cli/test_units.py."""
