"""What the results panel shows for a value: a table, a tree, an image or text.

Only what is shown crosses to the GUI: a summary, a bounded tree, a PNG
or SVG picture, a lazy frame's schema and plan, or text cut at a limit
(tables are paged separately, see `tables.py`; a lazy frame's rows are
fetched on request, see `lazy_results.py`).
"""

from __future__ import annotations

import reprlib
from typing import Any

from studio.kernel.results.frame_kinds import is_tabular, lazy_frame
from studio.kernel.results.images import ImageUnavailableError, image_of
from studio.kernel.results.lazy_table import LazyTable
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
    elif (lazy := lazy_frame(value)) is not None:
        info["kind"] = "lazy"
        info["lazy"] = LazyTable(lazy).describe()
    elif isinstance(value, dict | list | tuple | set | frozenset):
        info["kind"] = "tree"
        info["tree"] = tree(value)
    elif (image := _image(value, info)) is not None:
        info["kind"] = "image"
        info.update(image)
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


def _image(value: Any, info: dict[str, Any]) -> dict[str, str] | None:
    """The value's picture, or None (with a note in `info` when its exporter is missing)."""
    try:
        return image_of(value)
    except ImageUnavailableError as missing:
        info["image_note"] = str(missing)
        return None
