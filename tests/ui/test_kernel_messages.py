"""Replies are decoded with their method's result record; events reach `_on_<name>`."""

from studio.core.protocol import ErrorCode, NodeStatus, reply_error, reply_ok
from studio.core.protocol.events import Importing, NodeFinished, Progress
from studio.core.protocol.requests import ClusterResult, LoadResult
from studio.ui.kernel.messages import decode_reply, deliver


class _RunListener:
    def __init__(self) -> None:
        self.seen: list[object] = []

    def _on_node_finished(self, event: NodeFinished) -> None:
        self.seen.append(event)


def test_an_event_reaches_only_the_listeners_that_follow_it():
    listener = _RunListener()
    finished = NodeFinished(1, "a", NodeStatus.COMPUTED, 0.1)
    assert deliver(listener, finished) and listener.seen == [finished]
    assert not deliver(listener, Importing("flow"))
    assert not deliver(listener, Progress([finished]))  # a batch is its listener's to open
    assert listener.seen == [finished]


def test_a_reply_carries_its_result_record_or_the_error_code():
    ok = decode_reply(reply_ok(1, {"cluster": None}), ClusterResult)
    assert ok.ok and ok.result == ClusterResult(None)
    failed = decode_reply(reply_error(2, ErrorCode.NOT_LOADED, "no graph"), ClusterResult)
    assert not failed.ok and failed.code is ErrorCode.NOT_LOADED and failed.message == "no graph"
    unfit = decode_reply(reply_ok(3, {"token": "t"}), LoadResult)
    assert not unfit.ok and unfit.code is ErrorCode.FAILED and "project" in unfit.message
