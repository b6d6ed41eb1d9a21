"""Progress: kept in the user's data directory (a tmp dir here), written whole."""

from __future__ import annotations

import pytest

from sim.lesson.progress import FILE, ProgressError, ProgressStore, Record, data_dir


def test_the_default_place_is_the_user_data_dir(tmp_path, monkeypatch):
    # conftest points $DOCKERSIM_DATA_DIR at tmp_path/data for every lesson test
    assert data_dir() == tmp_path / "data"
    assert ProgressStore().path == tmp_path / "data" / FILE
    monkeypatch.delenv("DOCKERSIM_DATA_DIR")
    import platformdirs
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "pd"))
    assert ProgressStore().path == tmp_path / "pd" / FILE


def test_save_load_and_reset(tmp_path):
    store = ProgressStore(tmp_path)
    assert store.load() == {} and not store.reset()
    store.save("a", Record(done=False, hints_used=1, commands=3))
    store.save("b", Record(done=True, quiz_right=2, quiz_total=3))
    assert store.get("a") == Record(done=False, hints_used=1, commands=3)
    assert store.get("b").done and store.get("zzz") == Record()
    assert store.reset() and store.load() == {}


def test_a_finished_lesson_stays_finished(tmp_path):
    store = ProgressStore(tmp_path)
    store.save("a", Record(done=True, quiz_right=3, quiz_total=3))
    store.save("a", Record(done=False, hints_used=5))  # replayed and left early
    assert store.get("a").quiz_right == 3


def test_no_temporary_file_is_left_behind(tmp_path):
    store = ProgressStore(tmp_path)
    store.save("a", Record(done=True))
    assert [p.name for p in tmp_path.iterdir()] == [FILE]


def test_an_unreadable_file_is_one_clear_error_and_is_kept(tmp_path):
    store = ProgressStore(tmp_path)
    store.path.write_text("{not json")
    with pytest.raises(ProgressError, match=r"unreadable progress file .* --reset"):
        store.load()
    assert store.path.read_text() == "{not json"


def test_a_folder_that_cannot_keep_progress_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = ProgressStore(blocker)
    with pytest.raises(ProgressError, match=r"file: cannot keep lesson progress there \(not a "
                                            r"folder\); set DOCKERSIM_DATA_DIR"):
        store.check_writable()
    with pytest.raises(ProgressError, match="cannot keep lesson progress there"):
        store.save("image-vs-container", Record(done=True))
    ProgressStore(tmp_path / "new" / "dir").check_writable()  # made when missing
    assert (tmp_path / "new" / "dir").is_dir()
