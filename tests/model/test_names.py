"""Container names and IDs.

Sources: moby pkg/namesgenerator/names-generator.go (GetRandomName; lists sorted by moby PR
44391 and frozen by PR 43210), moby daemon/names.go (generateAndReserveName), moby
pkg/stringid/stringid.go (GenerateRandomID, TruncateID).
"""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.errors import DockerError
from sim.model.names import (
    LEFT,
    NAME_ATTEMPTS,
    RIGHT,
    generate_name,
    random_hex_id,
    random_name,
    truncate_id,
)

NAME_RE = re.compile(r"([a-z]+)_([a-z]+)([0-9]?)")
seeds = st.integers(min_value=0, max_value=2**64)


class ScriptedRandom(random.Random):
    """A Random whose first randrange/randbytes answers are scripted, then falls back to seed 0."""

    def __init__(self, ranges: list[int] | None = None, blobs: list[bytes] | None = None) -> None:
        super().__init__(0)
        self.ranges = list(ranges or [])
        self.blobs = list(blobs or [])

    def randrange(self, *args, **kwargs):  # type: ignore[override]
        return self.ranges.pop(0) if self.ranges else super().randrange(*args, **kwargs)

    def randbytes(self, n: int) -> bytes:
        return self.blobs.pop(0) if self.blobs else super().randbytes(n)


class Recording:
    """A ``taken`` set that records every name asked about; everything except ``free`` is taken."""

    def __init__(self, free: frozenset[str] = frozenset()) -> None:
        self.asked: list[str] = []
        self.free = free

    def __contains__(self, name: object) -> bool:
        assert isinstance(name, str)
        self.asked.append(name)
        return name.removeprefix("/") not in self.free


def test_lists_are_moby_frozen_sorted_lists() -> None:
    # The v28 lists: 108 adjectives and 236 surnames, alphabetical since moby PR 44391.
    assert len(LEFT) == 108 and len(RIGHT) == 236
    assert list(LEFT) == sorted(set(LEFT)) and list(RIGHT) == sorted(set(RIGHT))
    assert (LEFT[0], LEFT[-1], RIGHT[0], RIGHT[-1]) == ("admiring", "zen", "agnesi", "zhukovsky")
    assert all(set(w) <= set(string.ascii_lowercase) for w in LEFT + RIGHT)


@given(seeds)
def test_first_attempt_is_adjective_underscore_surname(seed: int) -> None:
    match = NAME_RE.fullmatch(random_name(random.Random(seed)))
    assert match is not None
    assert match[1] in LEFT and match[2] in RIGHT and match[3] == ""


@given(seeds, st.integers(min_value=1, max_value=5))
def test_retries_append_one_digit(seed: int, retry: int) -> None:
    match = NAME_RE.fullmatch(random_name(random.Random(seed), retry))
    assert match is not None
    assert match[1] in LEFT and match[2] in RIGHT and len(match[3]) == 1


@given(seeds)
def test_same_seed_same_names(seed: int) -> None:
    a, b = random.Random(seed), random.Random(seed)
    assert [random_name(a, i) for i in range(6)] == [random_name(b, i) for i in range(6)]


def test_boring_wozniak_is_drawn_again() -> None:
    # GetRandomName: `if name == "boring_wozniak" /* Steve Wozniak is not boring */ { goto begin }`
    rng = ScriptedRandom([LEFT.index("boring"), RIGHT.index("wozniak"), 0, 0])
    assert random_name(rng) == "admiring_agnesi"
    # Only the exact pair is excluded.
    rng = ScriptedRandom([LEFT.index("boring"), RIGHT.index("turing")])
    assert random_name(rng) == "boring_turing"


def test_generate_name_takes_first_free_name_without_suffix() -> None:
    assert NAME_RE.fullmatch(generate_name(random.Random(7), set(), "f" * 64))[3] == ""  # type: ignore[index]


def test_generate_name_makes_six_attempts_then_uses_the_short_id() -> None:
    container_id = "0123456789abcdef" * 4
    taken = Recording(free=frozenset({"0123456789ab"}))
    assert generate_name(random.Random(1), taken, container_id) == "0123456789ab"
    # Each attempt is checked bare and with moby's leading slash.
    attempts = [n for n in taken.asked if not n.startswith("/")]
    assert len(attempts) == NAME_ATTEMPTS + 1
    suffixes = [NAME_RE.fullmatch(n)[3] for n in attempts[:NAME_ATTEMPTS]]  # type: ignore[index]
    assert suffixes[0] == "" and all(len(s) == 1 for s in suffixes[1:])


def test_generate_name_sees_slash_prefixed_names_as_taken() -> None:
    first = random_name(random.Random(3))
    name = generate_name(random.Random(3), {f"/{first}"}, "a" * 64)
    assert name != first and NAME_RE.fullmatch(name)[3] != ""  # type: ignore[index]


def test_generate_name_fails_when_the_short_id_is_taken_too() -> None:
    with pytest.raises(DockerError, match="^name is reserved$"):
        generate_name(random.Random(2), Recording(), "b" * 64)


@given(seeds)
def test_random_ids_are_64_hex_with_a_non_numeric_short_form(seed: int) -> None:
    container_id = random_hex_id(random.Random(seed))
    assert re.fullmatch(r"[0-9a-f]{64}", container_id)
    assert not container_id[:12].isdigit()


def test_all_digit_short_id_is_regenerated() -> None:
    # stringid.GenerateRandomID: `if allNum(id[:shortLen]) { continue }` (moby issue 3869).
    numeric = bytes.fromhex("123456789012" + "ab" * 26)
    good = bytes.fromhex("a23456789012" + "cd" * 26)
    rng = ScriptedRandom(blobs=[numeric, good])
    assert random_hex_id(rng) == good.hex()


@given(seeds)
def test_truncate_id_strips_the_algorithm_and_keeps_twelve(seed: int) -> None:
    full = random_hex_id(random.Random(seed))
    assert truncate_id(full) == full[:12]
    assert truncate_id(f"sha256:{full}") == full[:12]


def test_truncate_id_leaves_short_ids_alone() -> None:
    assert truncate_id("abc") == "abc"
    assert truncate_id("sha256:abc") == "abc"


@pytest.mark.parametrize("name", ["web", "/web", "web-1.a_b", "0x"])
def test_docker_name_characters_are_accepted(name: str) -> None:
    from sim.model.names import check_container_name, check_volume_name
    check_container_name(name)
    check_volume_name(name.lstrip("/"))


@pytest.mark.parametrize("name", ["☃", "/a/b", "-web", "web app", ".x", ""])
def test_other_container_names_get_the_daemons_error(name: str) -> None:
    from sim.model.errors import InvalidParameter
    from sim.model.names import check_container_name
    with pytest.raises(InvalidParameter) as exc:
        check_container_name(name)
    assert exc.value.message == (f"Invalid container name ({name}), only "
                                 "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")


def test_a_volume_name_with_a_space_gets_the_local_drivers_error() -> None:
    from sim.model.errors import InvalidParameter
    from sim.model.names import check_volume_name
    with pytest.raises(InvalidParameter) as exc:
        check_volume_name("bad name")
    assert exc.value.message == (
        'create bad name: "bad name" includes invalid characters for a local volume name, only '
        '"[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use '
        "absolute path")
