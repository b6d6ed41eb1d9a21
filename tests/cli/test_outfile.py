"""Output paths checked before any work (sim/cli/outfile.py)."""

from __future__ import annotations

import os

import pytest

from sim.cli.outfile import check_writable_file


def test_a_new_file_in_an_existing_folder_is_fine(tmp_path):
    check_writable_file(str(tmp_path / "t.jsonl"), "dockersim run", "--trace")
    assert list(tmp_path.iterdir()) == []  # the check writes nothing


@pytest.mark.parametrize("name, message", [
    ("", r"^dockersim run: --trace : expected a file name$"),
    (".", r"^dockersim run: --trace \.: is a directory, expected a file name$"),
    ("missing/t.jsonl", r"^dockersim run: --trace missing/t.jsonl: the folder missing does "
                        r"not exist$"),
])
def test_bad_paths_are_one_line(tmp_path, monkeypatch, name, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=message):
        check_writable_file(name, "dockersim run", "--trace")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(SystemExit, match="cannot create files in"):
            check_writable_file(str(folder / "t.jsonl"), "dockersim shell", "--trace")
    finally:
        folder.chmod(0o700)
