"""What the results panel shows for a value: a table, a tree, an image or text.

Only what is shown crosses to the GUI: a summary, a bounded tree, a PNG,
or text cut at a limit (tables are paged separately, see `tables.py`).
"""

from __future__ import annotations

import base64
import io
import reprlib
from typing import Any

from studio.kernel.results.frame_kinds import is_tabular
from studio.kernel.results.summaries import summarize

TEXT_LIMIT = 20_000
TREE_CHILDREN = 200
TREE_DEPTH = 8
_leaf_repr = reprlib.Repr(maxstring=160, maxother=160, maxlist=8, maxdict=8, maxlevel=2)


def describe_result(value: Any) -> dict[str, Any]:
    info: dict[str, Any] = {"summary": summarize(value)}
    if value is None:
        info["kind"] = "none"
    elif is_tabular(value):
        info["kind"] = "table"
    elif _is_figure(value):
        info["kind"] = "image"
        info["png"] = _figure_png(value)
    elif isinstance(value, dict | list | tuple | set | frozenset):
        info["kind"] = "tree"
        info["tree"] = tree(value)
    else:
        info["kind"] = "text"
        text = value if isinstance(value, str) else repr(value)
        info["length"] = len(text)
        info["text"] = text[:TEXT_LIMIT]
        info["truncated"] = len(text) > TEXT_LIMIT
    return info


def tree(value: Any, label: str = "", depth: int = 0) -> dict[str, Any]:
    """A bounded, JSON-safe tree: each node has a label, a type, a value or children."""
    node: dict[str, Any] = {"label": label, "type": type(value).__name__}
    if isinstance(value, dict):
        items = [(_label(k), v) for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = [(f"[{i}]", v) for i, v in enumerate(value)]
    elif isinstance(value, set | frozenset):
        items = [("·", v) for v in sorted(value, key=repr)]
    else:
        node["value"] = _leaf_repr.repr(value)
        return node
    node["length"] = len(items)
    if depth >= TREE_DEPTH:
        node["value"] = _leaf_repr.repr(value)
        return node
    node["children"] = [tree(v, k, depth + 1) for k, v in items[:TREE_CHILDREN]]
    node["more"] = max(0, len(items) - TREE_CHILDREN)
    return node


def _label(key: Any) -> str:
    return key if isinstance(key, str) else repr(key)


def _is_figure(value: Any) -> bool:
    module = type(value).__module__
    return module.startswith("matplotlib") and (
        hasattr(value, "savefig") or hasattr(getattr(value, "figure", None), "savefig")
    )


def _figure_png(value: Any) -> str:
    figure = value if hasattr(value, "savefig") else value.figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
