"""The kernel's events as records, one per event name.

An event payload class names its `event`; `message` wraps a payload in the
event envelope and `decode_event` reads one back. A `progress` event carries
a batch of node events, decoded each with its own class.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from studio.core.protocol import EventName, NodeStatus, event
from studio.core.protocol.requests import ClusterInfo
from studio.core.protocol.wire import Record, WireError


class EventPayload(Record):
    """An event's data: which event it is."""

    __slots__ = ()
    event: ClassVar[EventName]


@dataclass(frozen=True, slots=True)
class RunStarted(EventPayload):
    event = EventName.RUN_STARTED

    run_id: int
    planned: list[str] = dataclasses.field(default_factory=list)
    """The nodes Hamilton will visit."""


@dataclass(frozen=True, slots=True)
class NodeStarted(EventPayload):
    event = EventName.NODE_STARTED

    run_id: int
    name: str


@dataclass(frozen=True, slots=True)
class NodeFinished(EventPayload):
    event = EventName.NODE_FINISHED

    run_id: int
    name: str
    status: NodeStatus = NodeStatus.COMPUTED
    seconds: float = 0.0
    error: str = ""


@dataclass(frozen=True, slots=True)
class Importing(EventPayload):
    """A load imports this module now."""

    event = EventName.IMPORTING

    module: str


@dataclass(frozen=True, slots=True)
class ClusterChanged(EventPayload):
    """The cluster runs go to started or stopped (None: there is none)."""

    event = EventName.CLUSTER

    cluster: ClusterInfo | None = None


@dataclass(frozen=True, slots=True)
class Versions(EventPayload):
    """The code versions a load left out, for the snapshot of `token`."""

    event = EventName.VERSIONS

    token: str | None = None
    versions: dict[str, str | None] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Progress(EventPayload):
    """Node events of a run, batched (see `studio.kernel.running.event_batches`)."""

    event = EventName.PROGRESS

    events: list[EventPayload] = dataclasses.field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        return {"events": [{"event": str(e.event), "data": e.to_wire()} for e in self.events]}

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        if not isinstance(data, dict) or not isinstance(data.get("events", []), list):
            raise WireError("Progress: expected {'events': [...]}")
        batch = [decode_event(item["event"], item["data"]) for item in data.get("events", [])]
        return cls([payload for payload in batch if payload is not None])


PAYLOADS: dict[EventName, type[EventPayload]] = {
    payload.event: payload
    for payload in (
        RunStarted,
        NodeStarted,
        NodeFinished,
        Importing,
        ClusterChanged,
        Versions,
        Progress,
    )
}


def message(payload: EventPayload) -> dict[str, Any]:
    """The event envelope that carries `payload`."""
    return event(payload.event, payload.to_wire())


def decode_event(name: Any, data: Any) -> EventPayload | None:
    """The payload of an event; None for an event this side does not know (a newer
    kernel's). Raises `WireError` when the data does not fit its event."""
    kind = PAYLOADS.get(name) if name in set(EventName) else None
    return None if kind is None else kind.from_wire(data or {})
