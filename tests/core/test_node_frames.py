"""A load reply's nodes split into frames and joined back are the nodes sent."""

import json

import pytest

from studio.core.protocol import node_frames


def _reply(count: int) -> dict:
    nodes = [
        {"name": f"n{i}", "deps": [f"n{i - 1}"] if i else [], "doc": "é"} for i in range(count)
    ]
    snapshot = {"dataflow": "flow", "modules": ["m"], "nodes": nodes}
    return {"kind": "reply", "id": 3, "ok": True, "result": {"snapshot": snapshot, "token": "t"}}


def test_a_big_replys_nodes_go_in_frames_and_come_back_in_order():
    reply = _reply(2 * node_frames.NODES_PER_FRAME + 1)
    sent, frames = node_frames.split(reply)
    assert len(frames) == 3 and sent["result"]["snapshot"]["nodes"] == []
    assert sent["result"]["token"] == "t"
    received = node_frames.join(json.loads(json.dumps(sent)), [memoryview(f) for f in frames])
    assert list(received["result"]["snapshot"]["nodes"]) == reply["result"]["snapshot"]["nodes"]


def test_a_small_reply_and_other_replies_go_as_they_are():
    small = _reply(node_frames.NODES_PER_FRAME)
    assert node_frames.split(small) == (small, [])
    other = {"kind": "reply", "id": 4, "ok": True, "result": {"rows": 3}}
    assert node_frames.split(other) == (other, [])
    assert node_frames.join(other, []) is other


def test_frames_missing_from_a_reply_are_an_error_not_a_short_graph():
    sent, frames = node_frames.split(_reply(node_frames.NODES_PER_FRAME + 1))
    with pytest.raises(ValueError, match="came in 1 frames, not 2"):
        node_frames.join(sent, frames[:1])
