"""A big graph's nodes sent beside a load reply's JSON, in frames of their own.

The window's Jupyter client decodes every message's JSON in one call on
its I/O thread, holding the interpreter: for a 20,000-node graph's first
load (6 MB) that was 89-306 ms during which the GUI thread could not run.
Frames (Jupyter's message buffers) are left as bytes by the client; the
window's load worker decodes them one at a time as it reads the nodes, so
no single decode holds the interpreter for more than a few milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

NODES_PER_FRAME = 500
"""A frame's nodes: about 150 KB, a 3-7 ms decode."""
FRAME_COUNT = "node_frames"
"""The snapshot's key saying how many frames hold its nodes."""


def split(reply: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
    """`reply` to send as JSON and the frames to send beside it: a load reply's nodes
    in frames when there are more than one frame's worth, else `reply` as it is."""
    result = reply.get("result")
    if not isinstance(result, dict) or not isinstance(result.get("snapshot"), dict):
        return reply, []
    snapshot: dict[str, Any] = result["snapshot"]
    nodes = snapshot.get("nodes")
    if not isinstance(nodes, list) or len(nodes) <= NODES_PER_FRAME:
        return reply, []
    frames = [
        json.dumps(nodes[start : start + NODES_PER_FRAME], separators=(",", ":")).encode()
        for start in range(0, len(nodes), NODES_PER_FRAME)
    ]
    framed = {**snapshot, "nodes": [], FRAME_COUNT: len(frames)}
    return {**reply, "result": {**result, "snapshot": framed}}, frames


def join(data: dict[str, Any], buffers: Sequence[Any]) -> dict[str, Any]:
    """A received reply with its frames put back as its nodes, decoded when read."""
    result = data.get("result")
    snapshot = result.get("snapshot") if isinstance(result, dict) else None
    if not isinstance(snapshot, dict) or FRAME_COUNT not in snapshot:
        return data
    if snapshot[FRAME_COUNT] != len(buffers):
        raise ValueError(
            f"the reply's nodes came in {len(buffers)} frames, not {snapshot[FRAME_COUNT]}"
        )
    snapshot["nodes"] = FramedNodes(list(buffers))
    return data


class FramedNodes:
    """A snapshot's nodes, decoded a frame at a time as they are iterated."""

    def __init__(self, frames: list[Any]) -> None:
        self._frames = frames

    def __iter__(self) -> Iterator[Any]:
        for frame in self._frames:
            yield from json.loads(bytes(frame))
