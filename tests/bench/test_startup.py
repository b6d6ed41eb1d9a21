"""Start-up: ``dockersim --help`` imports nothing heavy (the lazy-import rule)."""

from sim.bench.startup import heavy_imports


def test_help_imports_no_heavy_package():
    assert heavy_imports() == []
