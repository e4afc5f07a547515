"""Run progress goes to the GUI in batches, in order, never held back long."""

import threading
import time

from studio.core.protocol import EventName
from studio.core.protocol.events import NodeFinished, NodeStarted
from studio.kernel.running.event_batches import EventBatches


def test_events_are_batched_in_order_and_a_quiet_spell_still_sends_them():
    sent, arrived = [], threading.Event()

    def send(message):
        sent.append(message)
        arrived.set()

    batches = EventBatches(send, interval=0.05)
    for index in range(100):
        batches.add(NodeFinished(run_id=1, name=f"n{index}"))
    batches.flush()
    assert len(sent) == 1
    events = sent[0]["data"]["events"]
    assert [e["data"]["name"] for e in events] == [f"n{i}" for i in range(100)]
    assert sent[0]["event"] == EventName.PROGRESS

    arrived.clear()
    started = time.perf_counter()
    batches.add(NodeStarted(run_id=1, name="slow"))
    assert arrived.wait(2.0), "a node that runs long must still be shown as started"
    assert time.perf_counter() - started < 1.0
    assert sent[-1]["data"]["events"] == [
        {"event": "node_started", "data": {"run_id": 1, "name": "slow"}}
    ]
    batches.flush()
    assert len(sent) == 2
