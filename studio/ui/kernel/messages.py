"""Replies and events as the GUI takes them in from the agent.

A reply carries the result record its request's params name (`result_type`);
an event's payload goes to the `_on_<event name>` method of each listener
that has one (`deliver`), as qtconsole routes each message type to a
`_handle_<msg_type>` method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.core.protocol import ErrorCode
from studio.core.protocol.events import EventPayload
from studio.core.protocol.wire import Record, WireError


@dataclass(frozen=True, slots=True)
class Reply:
    ok: bool
    result: Any = None
    """The method's result record (the params' `result_type`) when `ok`."""
    message: str = ""
    detail: str = ""
    code: ErrorCode | None = None
    """Why it failed, for the code to act on (the message is for the user)."""


ReplyCallback = Callable[[Reply], None]


def deliver(listener: object, payload: EventPayload) -> bool:
    """Hand an event to the listener's `_on_<event name>` method; False when it has none
    (it does not follow that event). The one place events are routed by name."""
    handler = getattr(listener, f"_on_{payload.event}", None)
    if handler is None:
        return False
    handler(payload)
    return True


def decode_reply(data: dict[str, Any], result_type: type[Record]) -> Reply:
    """The reply message `data`, its result decoded as `result_type`."""
    if not data.get("ok"):
        error = data.get("error") or {}
        code = error.get("code")
        return Reply(
            False,
            message=error.get("message", ""),
            detail=error.get("detail", ""),
            code=ErrorCode(code) if code in set(ErrorCode) else None,
        )
    try:
        return Reply(True, result_type.from_wire(data.get("result") or {}))
    except WireError as error:
        message = f"the kernel's reply did not fit the protocol: {error}"
        return Reply(False, message=message, code=ErrorCode.FAILED)
