"""What runs print before the console is built, kept for it to show when it is.

The console (qtconsole) is built only when the user first brings it forward:
importing and building it took 0.3-0.6 s of the window's start (issue 33). A
console built at start showed what each run printed (runs are requests from
the console's own client session); so that one built later still does, the
panel keeps those messages of the session's current kernel client until the
console is built, and hands them over once it has cleared itself for that
kernel (qtconsole clears its text when it attaches to a kernel).
"""

from __future__ import annotations

import contextlib
from typing import Any

RUN_OUTPUT_KEPT = 20_001
"""Characters of one run's output kept: the console shows the first 20,000 and a note
that there is more (`console_panel.RUN_OUTPUT_SHOWN`), so one more is enough to say so."""
MESSAGES_KEPT = 2_000
"""At most this many messages are kept (a run printing in tiny pieces)."""
_KINDS = ("stream", "display_data", "clear_output")


class ConsoleBacklog:
    """The output messages of one kernel client's own session, in order, bounded."""

    def __init__(self) -> None:
        self._client: Any = None
        self._messages: list[dict[str, Any]] = []
        self._kept_per_request: dict[str | None, int] = {}

    def follow(self, client: Any) -> None:
        """Keep what `client`'s session is sent from now on (None: nothing). A new kernel
        starts with an empty console, so what the last one printed is dropped."""
        if client is self._client:
            return
        self.stop()
        self._client = client
        if client is not None:
            client.iopub_channel.message_received.connect(self._keep)

    def stop(self) -> None:
        """Keep nothing more, and forget what was kept."""
        if self._client is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # gone with its client
                self._client.iopub_channel.message_received.disconnect(self._keep)
        self._client = None
        self._messages = []
        self._kept_per_request = {}

    def take(self) -> list[dict[str, Any]]:
        """What was kept, in order; the backlog stops keeping and is emptied."""
        messages = self._messages
        self._messages = []
        self.stop()
        return messages

    def __len__(self) -> int:
        return len(self._messages)

    def _keep(self, msg: dict[str, Any]) -> None:
        client = self._client  # None: stopped, and this message was already queued
        if client is None or msg["header"].get("msg_type") not in _KINDS:
            return
        if len(self._messages) >= MESSAGES_KEPT:
            return
        parent = msg.get("parent_header") or {}
        if parent.get("session") != client.session.session:
            return  # another client's (the subshell's), which the console would not show
        if msg["header"]["msg_type"] == "stream":
            request = parent.get("msg_id")
            kept = self._kept_per_request.get(request, 0)
            if kept >= RUN_OUTPUT_KEPT:
                return
            text = msg["content"].get("text", "")[: RUN_OUTPUT_KEPT - kept]
            self._kept_per_request[request] = kept + len(text)
            msg = {**msg, "content": {**msg["content"], "text": text}}
        self._messages.append(msg)
