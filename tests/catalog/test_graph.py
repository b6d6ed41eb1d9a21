"""The layer graph: counts checked against the JSONL directly, GraphML read back by
networkx, DOT written without pydot."""

from __future__ import annotations

import networkx as nx
import pytest

from sim.catalog import graph
from sim.catalog.importer import import_file

from .records import ACME, acme, shipped


def _expected(records: list[dict]) -> tuple[int, int, int, int]:
    """Layers are digest prefixes (a chainID names the stack under it), by hand."""
    stacks = {tuple(x["digest"] for x in r["layers"][:i + 1])
              for r in records for i in range(len(r["layers"]))}
    parent_edges = {s for s in stacks if len(s) > 1}
    holders: dict[tuple, int] = {}
    for r in records:
        for s in {tuple(x["digest"] for x in r["layers"][:i + 1])
                  for i in range(len(r["layers"]))}:
            holders[s] = holders.get(s, 0) + 1
    shared = sum(1 for n in holders.values() if n > 1)
    return len(records), len(stacks), len(parent_edges) + len(records), shared


def test_every_record_counts_match_the_jsonl():
    g = graph.build()
    images, layers, edges, shared = _expected(list(shipped().values()))
    assert graph.summary(g) == {"images": images, "layers": layers, "edges": edges,
                                "shared_layers": shared}


def test_imported_records_join_the_graph():
    import_file(ACME)
    g = graph.build()
    images, layers, edges, shared = _expected([*shipped().values(), *acme()])
    assert graph.summary(g) == {"images": images, "layers": layers, "edges": edges,
                                "shared_layers": shared}
    assert g.nodes["ghcr.io/acme/api:1.0"]["aliases"] == "latest"


def test_graphml_reads_back(tmp_path):
    names = ["python:3.12", "python:3.13", "python:3.13-slim", "python:latest", "python:3.14"]
    g = graph.build(names)
    assert graph.summary(g)["images"] == 4  # python:latest is python:3.14
    path = tmp_path / "layers.graphml"
    assert graph.write(g, path) == "graphml"
    back = nx.read_graphml(path)
    assert sorted(back.nodes) == sorted(g.nodes) and sorted(back.edges) == sorted(g.edges)
    records = shipped()
    top = records["python:3.13"]["layers"][-1]
    (chain,) = back.successors("python:3.13")
    assert back.nodes[chain]["digest"] == top["digest"]
    assert back.nodes[chain]["compressed_bytes"] == top["compressed_bytes"]
    assert back.nodes[chain]["created_by"].split()[:5] == ["RUN", "set", "-eux;", "for", "src"]
    for ref in ("python:3.12", "python:3.13", "python:3.13-slim", "python:3.14"):
        base = records[ref]["layers"][0]["digest"]
        users = [r for r in ("python:3.12", "python:3.13", "python:3.13-slim", "python:3.14")
                 if records[r]["layers"][0]["digest"] == base]
        (bottom,) = [n for n, d in back.nodes(data=True) if d.get("digest") == base]
        assert back.nodes[bottom]["images"] == len(users)
        assert back.nodes[bottom]["shared"] is (len(users) > 1)
    assert sum(d.get("shared", False) for _n, d in back.nodes(data=True)) == 4
    assert nx.is_directed_acyclic_graph(back)


def test_dot_has_every_node_and_edge_and_marks_shared_layers(tmp_path):
    g = graph.build(["node:24", "node:24-slim", "node:22"])
    path = tmp_path / "layers.dot"
    assert graph.write(g, path) == "dot"
    text = path.read_text()
    assert text.startswith("digraph layers {") and text.endswith("}\n")
    assert text.count(" -> ") == g.number_of_edges()
    assert text.count("fillcolor=") == graph.summary(g)["shared_layers"] > 0
    for node in g.nodes:
        assert f'  "{node}" [' in text
    with pytest.raises(ValueError, match="expected a .graphml, .dot or .gv file name"):
        graph.write(g, tmp_path / "layers.png")
