"""BuildKit's layer rule (fact sheet §3.2) checked against real images: counting the history
lines that make a layer must give each published image's number of layers.

The only records allowed to differ are those whose base image was made by tools other than
a Dockerfile builder, listed in EXCEPTIONS with the counts they give, so that a change in
the rule or the data is noticed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sim.catalog
from sim.build.dockerfile import history_line_makes_layer

DATA = Path(sim.catalog.__file__).with_name("official-images.jsonl")
RECORDS = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]

#: record -> (history lines that make a layer by the rule, real number of layers).
#: ubuntu:26.04 and eclipse-temurin (built on it) come from rockcraft, whose ``umoci config``
#: steps only edit the config; elasticsearch starts from Red Hat UBI, whose four COPY history
#: entries were squashed into one layer.
EXCEPTIONS = {
    "eclipse-temurin:21-jdk": (11, 6),
    "eclipse-temurin:21-jre": (11, 6),
    "eclipse-temurin:25-jdk": (11, 6),
    "elasticsearch:9.5.3": (13, 10),
    "ubuntu:26.04": (7, 2),
}


def record_id(record: dict) -> str:
    return f"{record['image']}:{record['tag']}"


def counted(record: dict) -> int:
    return sum(1 for line in record["history"] if history_line_makes_layer(line))


def test_catalog_is_the_expected_one() -> None:
    assert len(RECORDS) == 84


@pytest.mark.parametrize("record", RECORDS, ids=record_id)
def test_layer_count_matches_history(record: dict) -> None:
    got = (counted(record), len(record["layers"]))
    if record_id(record) in EXCEPTIONS:
        assert got == EXCEPTIONS[record_id(record)]
    else:
        assert got[0] == got[1]


def test_exceptions_are_exactly_the_foreign_bases() -> None:
    differ = {record_id(r) for r in RECORDS if counted(r) != len(r["layers"])}
    assert differ == set(EXCEPTIONS)
    for record in RECORDS:
        if record_id(record) not in EXCEPTIONS:
            continue
        umoci = any(line.startswith("RUN umoci") for line in record["history"])
        assert umoci or record["image"] == "elasticsearch"


def test_umoci_difference_is_the_config_steps() -> None:
    """Not counting ``umoci config`` (a config-only step) explains the rockcraft records."""
    for record in RECORDS:
        if not any(line.startswith("RUN umoci") for line in record["history"]):
            continue
        config_steps = sum(1 for line in record["history"] if line.startswith("RUN umoci config"))
        assert counted(record) - config_steps == len(record["layers"]), record_id(record)


@pytest.mark.parametrize(("line", "layer"), [
    ('RUN /bin/sh -c apk add --no-cache curl # buildkit', True),
    ("RUN |2 A=1 B=2 /bin/sh -c make # buildkit", True),
    ("COPY --chmod=755 entrypoint.sh / # buildkit", True),
    ("ADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit", True),
    ("WORKDIR /app", True),
    ("WORKDIR /", False),
    ("ENV PATH=/usr/local/bin:/usr/bin", False),
    ('CMD ["/bin/sh"]', False),
    ("EXPOSE map[80/tcp:{}]", False),
    ("ARG RELEASE", False),
    ("LABEL a=b", False),
    ("USER 1000:0", False),
    ("VOLUME [/data]", False),
    ("STOPSIGNAL SIGQUIT", False),
    ('/bin/sh -c #(nop)  CMD ["sh"]', False),
    ("/bin/sh -c #(nop) ADD file:43d479b270bbaf47965cfc86b37f4c517bda in / ", True),
    ("/bin/sh -c #(nop) COPY dir:275fafe01e910923b4cfa2c2282c3eb2ea in /x", True),
    ("/bin/sh -c #(nop) WORKDIR /usr/src/app", True),
    ("/bin/sh -c #(nop)  WORKDIR /", False),
    ("/bin/sh -c apt-get update && apt-get install -y curl", True),
    ("|1 VERSION=1.2 /bin/sh -c curl -fsSL https://example.invalid/$VERSION", True),
    ("ADD file:d938ff3d4eee15d8600de84bf85eac6ecd0f20bc92dfe305 in /", True),
    ("RUN # debian.sh --arch 'amd64' out/ 'trixie' '@1787529600'", True),
    ("", False),
])
def test_history_line_forms(line: str, layer: bool) -> None:
    assert history_line_makes_layer(line) is layer
