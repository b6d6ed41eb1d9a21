"""The catalog's layer graph, for networkx and Graphviz: ``dockersim catalog graph``.

A layer node is keyed by its chainID (the layer store's key: the same blob on another
parent is another layer), with the blob digest, compressed size and the history row that
made it; an image node per record. Edges go parent layer -> child layer and image -> its top
layer, so images that share a base meet at the same nodes. chainIDs are computed from the
loader's derived diffIDs (PROVENANCE.md: the data has no uncompressed digests).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import loader
from .schema import familiar

FORMATS = {".graphml": "graphml", ".dot": "dot", ".gv": "dot"}


def build(names: Sequence[str] = ()) -> Any:
    """A networkx DiGraph of the named images (every record when none is named)."""
    import networkx as nx

    from ..model.digest import sha256_digest
    from .sharing import resolve
    if names:
        items = [resolve(n) for n in names]
    else:
        items = [(familiar(r), loader.catalog_image(r["image"], r["tag"], registry=(
            r.get("registry") or "docker.io"))) for r in loader.records()]
    g = nx.DiGraph()
    seen = set()
    for ref, item in items:
        if (item.image, item.tag, item.manifest.digest) in seen:  # a tag and its alias
            continue
        seen.add((item.image, item.tag, item.manifest.digest))
        record = item.blob.config["history"]
        made = [row["created_by"] for row in record if not row.get("empty_layer")]
        parent = None
        for i, layer in enumerate(item.blob.layers):
            chain = layer.diff_id if parent is None else sha256_digest(
                f"{parent} {layer.diff_id}".encode())
            if chain not in g:
                g.add_node(chain, kind="layer", label=f"{layer.digest[7:19]}",
                           digest=layer.digest, compressed_bytes=layer.compressed_size,
                           size=layer.size, created_by=made[i] if i < len(made) else "",
                           depth=i, images=0)
            if parent is not None:
                g.add_edge(parent, chain, kind="parent")
            parent = chain
        g.add_node(ref, kind="image", label=ref, image_id=item.blob.image_id,
                   aliases=", ".join(item.aliases),
                   compressed_bytes=sum(x.compressed_size for x in item.blob.layers))
        g.add_edge(ref, parent, kind="top")
        for chain in _below(g, parent):
            g.nodes[chain]["images"] += 1
    for _node, data in g.nodes(data=True):
        if data["kind"] == "layer":
            data["shared"] = data["images"] > 1
    return g


def _below(g: Any, top: str) -> list[str]:
    """A layer and every layer under it (the stack an image's top layer stands on)."""
    out = [top]
    while True:
        parents = [p for p in g.predecessors(out[-1]) if g.nodes[p]["kind"] == "layer"]
        if not parents:
            return out
        out.append(parents[0])


def write(g: Any, path: str | Path) -> str:
    """Write GraphML or DOT by the file's suffix; returns the format written."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: expected a .graphml, .dot or .gv file name")
    if fmt == "graphml":
        import networkx as nx
        text = "\n".join(nx.generate_graphml(g)) + "\n"
    else:
        text = to_dot(g)
    from .store import write_atomic
    write_atomic(Path(path), text.rstrip("\n").split("\n"), make_parent=False)  # whole
    return fmt


def _quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def to_dot(g: Any) -> str:
    """Graphviz DOT, written directly (no pydot): images as boxes at the top, shared layers
    filled, each layer labelled with its blob, size and instruction."""
    from ..cli.units import human_size
    lines = ["digraph layers {", "  rankdir=BT;",
             '  node [fontname="Helvetica", fontsize=10];']
    for node, data in g.nodes(data=True):
        if data["kind"] == "image":
            attrs = {"shape": "box", "style": "bold", "label": data["label"],
                     "image_id": data["image_id"]}
        else:
            made = " ".join(data["created_by"].split())
            made = made if len(made) <= 48 else made[:45] + "..."
            label = f"{data['label']}\\n{human_size(data['compressed_bytes'])}"
            attrs = {"shape": "ellipse", "label": label + (f"\\n{made}" if made else ""),
                     "digest": data["digest"], "compressed_bytes": data["compressed_bytes"],
                     "images": data["images"]}
            if data["shared"]:
                attrs.update(style="filled", fillcolor="lightblue", penwidth=2,
                             xlabel=f"shared by {data['images']}")
        body = ", ".join(f"{k}={_quote(v) if k != 'label' else _label(v)}"
                         for k, v in attrs.items())
        lines.append(f"  {_quote(node)} [{body}];")
    for a, b, data in g.edges(data=True):
        style = ' [style="dashed", constraint=false]' if data["kind"] == "top" else ""
        lines.append(f"  {_quote(a)} -> {_quote(b)}{style};")
    images = [_quote(n) for n, d in g.nodes(data=True) if d["kind"] == "image"]
    lines.append(f"  {{rank=max; {'; '.join(images)}}}")  # images in a row above the layers
    lines.append("}")
    return "\n".join(lines) + "\n"


def _label(text: str) -> str:
    """A label keeps its ``\\n`` line breaks; everything else is escaped."""
    return '"' + "\\n".join(part.replace("\\", "\\\\").replace('"', '\\"')
                            for part in text.split("\\n")) + '"'


def summary(g: Any) -> dict[str, int]:
    layers = [d for _n, d in g.nodes(data=True) if d["kind"] == "layer"]
    return {"images": g.number_of_nodes() - len(layers), "layers": len(layers),
            "shared_layers": sum(1 for d in layers if d["shared"]),
            "edges": g.number_of_edges()}
