"""Layout with Graphviz `dot` through pygraphviz (the library, not a subprocess).

pygraphviz's calls hold the interpreter (GIL) while Graphviz works: laying
out the 51 module boxes of a 20,000-node graph took 170 ms of CPU per
direction, all that time a GUI thread waiting. The two long calls, the
layout and its rendering to JSON, go through `ctypes` instead, which lets
the interpreter go during a foreign call (`_Unlocked`); pygraphviz's own
when the library's functions cannot be found that way. Graphviz keeps
global state: one layout at a time in the process (`_GRAPHVIZ`).
"""

from __future__ import annotations

import ctypes
import functools
import json
import threading
import time

import pygraphviz

from studio.core.graph.namespaces import region_key
from studio.core.layout.model import EdgeRoute, LayoutRequest, LayoutResult, Point

_POINTS_PER_INCH = 72.0
# Cheaper crossing minimisation for big graphs (see DESIGN.md: 3,000 nodes, 20 s -> 4 s).
_FAST_SETTINGS = {"mclimit": "0.3", "nslimit": "2", "nslimit1": "2", "searchsize": "10"}
_FAST_ABOVE = 250
_GRAPHVIZ = threading.Lock()
"""Held around each layout: Graphviz's layout is not safe to run on two threads at once."""


def layout_with_dot(request: LayoutRequest) -> LayoutResult:
    started = time.perf_counter()
    text, clusters = _dot_text(request)
    drawn = json.loads(_dot_json(pygraphviz.AGraph(string=text)))
    left, bottom, right, top = _floats(drawn["bb"])
    height = top - bottom

    def flip(x: float, y: float) -> Point:
        return (x - left, height - (y - bottom))

    names: dict[int, str] = {}
    positions: dict[str, Point] = {}
    regions: dict[str, tuple[float, float, float, float]] = {}
    for item in drawn.get("objects", ()):
        if "pos" in item:
            names[item["_gvid"]] = item["name"]
            positions[item["name"]] = flip(*_floats(item["pos"]))
        elif item.get("name") in clusters and "bb" in item:
            x0, y0, x1, y1 = _floats(item["bb"])
            top_left = flip(x0, y1)
            regions[clusters[item["name"]]] = (top_left[0], top_left[1], x1 - x0, y1 - y0)
    routes = {}
    for edge in drawn.get("edges", ()):
        route = _parse_edge_pos(edge.get("pos", ""), flip)
        if route is not None:
            routes[(names[edge["tail"]], names[edge["head"]])] = route
    return LayoutResult(
        positions=positions,
        routes=routes,
        regions=regions,
        width=right - left,
        height=height,
        engine="dot",
        seconds=time.perf_counter() - started,
        direction=request.direction,
    )


def _dot_json(graph: pygraphviz.AGraph) -> bytes:
    """`dot`'s layout as Graphviz's JSON: what `AGraph.draw(format="json0", prog="dot")`
    does, without its warning on stderr for graphs of over 1,000 nodes."""
    from pygraphviz import graphviz as gv

    unlocked = _unlocked()
    with _GRAPHVIZ:
        context = gv.gvContextWithBuiltins()
        try:
            if unlocked is not None:
                return unlocked.layout_json(int(context), int(graph.handle))
            if gv.gvLayout(context, graph.handle, b"dot"):
                raise ValueError("Graphviz could not lay out the graph")
            error, data = gv.gvRenderData(context, graph.handle, b"json0")
            gv.gvFreeLayout(context, graph.handle)
            if error:
                raise ValueError(f"Graphviz could not write the layout: {error}")
            return data
        finally:
            gv.gvFreeContext(context)


class _Unlocked:
    """Graphviz's layout and rendering called through `ctypes`, without the GIL."""

    def __init__(self, library: ctypes.CDLL) -> None:
        pointer, text = ctypes.c_void_p, ctypes.c_char_p
        self._layout = library.gvLayout
        self._layout.argtypes, self._layout.restype = [pointer, pointer, text], ctypes.c_int
        self._render = library.gvRenderData
        self._render.argtypes = [
            pointer,
            pointer,
            text,
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_size_t),  # an unsigned int before Graphviz 3 (zeroed)
        ]
        self._render.restype = ctypes.c_int
        self._free_data = library.gvFreeRenderData
        self._free_data.argtypes, self._free_data.restype = [pointer], None
        self._free_layout = library.gvFreeLayout
        self._free_layout.argtypes, self._free_layout.restype = [pointer, pointer], ctypes.c_int

    def layout_json(self, context: int, graph: int) -> bytes:
        if self._layout(context, graph, b"dot"):
            raise ValueError("Graphviz could not lay out the graph")
        try:
            data, size = ctypes.c_void_p(), ctypes.c_size_t(0)
            if self._render(context, graph, b"json0", ctypes.byref(data), ctypes.byref(size)):
                raise ValueError("Graphviz could not write the layout")
            try:
                return ctypes.string_at(data, size.value)
            finally:
                self._free_data(data)
        finally:
            self._free_layout(context, graph)


@functools.cache
def _unlocked() -> _Unlocked | None:
    """Graphviz's functions as `ctypes` finds them through pygraphviz's extension (on
    Linux and macOS a symbol is looked up in the libraries it links); None elsewhere."""
    from pygraphviz import _graphviz

    try:
        return _Unlocked(ctypes.CDLL(_graphviz.__file__))
    except (OSError, AttributeError):
        return None


def _dot_text(request: LayoutRequest) -> tuple[str, dict[str, str]]:
    """The request in the DOT language, and the region key of each cluster it names.
    Graphviz parses text in one call, where building the graph node by node through
    pygraphviz and reading the attributes back cost as much as the layout itself."""
    settings = {
        "rankdir": request.direction.value,
        "nodesep": "0.2",
        # Ranks stack along the cards' short side top to bottom: less room between them.
        "ranksep": "0.42" if request.direction.value == "LR" else "0.3",
        "newrank": "true",
        "splines": "spline",
        "fontsize": "12",
        "fontname": "Helvetica",
    }
    if len(request.nodes) > _FAST_ABOVE:
        settings.update(_FAST_SETTINGS)
    root = _Cluster("", "")
    cluster_names: dict[str, str] = {}
    declared: list[str] = []

    def cluster(key: str, label: str, parent: _Cluster) -> _Cluster:
        found = parent.children.get(key)
        if found is None:
            name = f"cluster_{len(cluster_names)}"
            cluster_names[name] = key
            found = parent.children[key] = _Cluster(name, label)
        return found

    for index, node in enumerate(request.nodes):
        target = root
        if node.group is not None:
            target = cluster(node.group, node.group, root)
            if node.subgroup is not None:
                target = cluster(region_key(node.group, node.subgroup), node.subgroup, target)
        name = _quoted(node.name)
        declared.append(
            f"{name} [width={node.width / _POINTS_PER_INCH:.4f} "
            f"height={node.height / _POINTS_PER_INCH:.4f} sortv={index}];"
        )
        if target is not root:
            target.lines.append(f"{name};")
    lines = [
        "digraph {",
        f"graph [{' '.join(f'{k}={_quoted(v)}' for k, v in settings.items())}];",
        'node [shape=box fixedsize=true label=""];',
        "edge [arrowsize=0.7];",
        *declared,  # in the request's order, which dot keeps where it can
    ]
    root.write(lines)
    lines += [f"{_quoted(u)} -> {_quoted(v)};" for u, v in request.edges]
    lines.append("}")
    return "\n".join(lines), cluster_names


class _Cluster:
    def __init__(self, name: str, label: str) -> None:
        self.name = name
        self.label = label
        self.lines: list[str] = []
        self.children: dict[str, _Cluster] = {}

    def write(self, out: list[str]) -> None:
        if self.name:
            out.append(f"subgraph {self.name} {{")
            out.append(f"label={_quoted(self.label)} labeljust=l margin=10;")
        out += self.lines
        for child in self.children.values():
            child.write(out)
        if self.name:
            out.append("}")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.replace(",", " ").split()]


def _parse_edge_pos(text: str, flip) -> EdgeRoute | None:  # type: ignore[no-untyped-def]
    """Graphviz edge `pos`: optional `s,x,y` / `e,x,y`, then 3n+1 Bézier points."""
    tip: Point | None = None
    start: Point | None = None
    points: list[Point] = []
    for token in text.split():
        parts = token.split(",")
        if parts[0] == "e":
            tip = flip(float(parts[1]), float(parts[2]))
        elif parts[0] == "s":
            start = flip(float(parts[1]), float(parts[2]))
        else:
            points.append(flip(float(parts[0]), float(parts[1])))
    if len(points) < 4:
        return None
    if start is not None:
        points[0] = start
    return EdgeRoute(tuple(points), tip if tip is not None else points[-1])
