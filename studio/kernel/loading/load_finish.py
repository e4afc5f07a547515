"""The rest of a load after its reply: the entries it keeps for the next session,
Hamilton's extensions, the code versions a big first load left out, and when the
load's garbage is collected.

A load replies as soon as the graph is built; what it left out is done on a
low-priority thread (see `after_load`) and its versions go out as the event
`versions`. Whatever needs the load whole (a request, a console cell) waits
for it with `finish`. The garbage of a big graph is collected once, shortly
after the window took the reply in (see `collect_when_idle`, `load_garbage`).
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.core.cache.file_cache import HeldWrites
from studio.core.graph.snapshot import NodeInfo
from studio.core.protocol import events
from studio.kernel.loading.after_load import AfterLoad
from studio.kernel.loading.extensions import extensions_missing, load_extensions_for
from studio.kernel.loading.graph_builder import LoadedDataflow, complete_versions
from studio.kernel.loading.load_garbage import LoadGarbage

COLLECT_AFTER_S = 0.3
"""Garbage left by a load is collected this long after it, if no other load came: once
the window has drawn the reply (a save shows in ~0.3 s at 5,000 nodes), and before the
user's next save or click is likely (a collection then would delay it by its length)."""


@dataclass(slots=True)
class SentGraph:
    """The last snapshot sent to the GUI (see `protocol`: load, known)."""

    token: str | None = None
    nodes: dict[str, NodeInfo] = field(default_factory=dict)
    """Its nodes by name: a later load sends those unchanged as their name alone."""
    count: int = 0

    def take(self, nodes: dict[str, NodeInfo]) -> str:
        """A new snapshot goes out with these nodes: its token."""
        self.count += 1
        self.token = f"{os.getpid()}-{self.count}"
        self.nodes = nodes
        return self.token


@dataclass(frozen=True, slots=True)
class _VersionsOut:
    payload: events.Versions
    nodes: dict[str, NodeInfo]


class LoadFinisher:
    """Finishes each load the agent replied to; one at a time."""

    def __init__(
        self,
        send: Callable[[dict[str, Any]], None],
        sent: SentGraph,
        loaded: Callable[[], LoadedDataflow | None],
    ) -> None:
        self._send = send
        self._sent = sent
        self._loaded = loaded
        self._extensions_pending: set[str] | None = None
        """The packages whose Hamilton extensions a load left for after its reply."""
        self._writes: HeldWrites | None = None
        """What the load read and compiled, to keep for the next session (see
        `file_cache.writes_held`): written first thing after the reply."""
        self._after_load = AfterLoad()
        self._versions_out: _VersionsOut | None = None
        """A deferred load's code versions, worked out and not yet sent."""
        self._versions_lock = threading.Lock()
        self._hurry = threading.Event()
        """Set when the main thread needs the after-load work done: it takes the rest over
        at its own priority (a machine busy elsewhere would starve the thread's)."""
        self._collection: asyncio.TimerHandle | None = None
        self._garbage = LoadGarbage()

    def expect_extensions(self, packages: set[str]) -> None:
        """The load imported these packages: their Hamilton extensions follow it."""
        self._extensions_pending = packages if extensions_missing(packages) else None

    def write_later(self, writes: HeldWrites) -> None:
        """The load held these entries back: they follow its reply."""
        if self._writes:
            self._writes.write()
        self._writes = writes if writes else None

    def unfinished(self) -> bool:
        loaded = self._loaded()
        pending = loaded is not None and loaded.versions_pending
        return pending or bool(self._extensions_pending) or bool(self._writes)

    def start(self, in_background: bool = True) -> bool:
        """Start what a first load left out, on its own thread (see `after_load`); whether
        the load's garbage is collected once its versions are out. Without an event loop
        to send them from (the agent outside a kernel), it is done here and now."""
        packages, self._extensions_pending = self._extensions_pending, None
        writes, self._writes = self._writes, None
        loaded = self._loaded()
        loaded = loaded if loaded is not None and loaded.versions_pending else None
        token = self._sent.token
        loop = _running_loop() if in_background else None

        def imports() -> None:
            if writes is not None:  # at normal priority: a kernel closed soon keeps them
                writes.write()
            if packages is not None:
                load_extensions_for(packages)

        def background() -> None:
            if loaded is not None:
                versions = complete_versions(loaded, self._hurry.is_set)
                if versions is None:
                    return  # the main thread goes on with them
                nodes = {n.name: n for n in loaded.snapshot.nodes}
                with self._versions_lock:
                    self._versions_out = _VersionsOut(events.Versions(token, versions), nodes)
            if loop is not None:
                loop.call_soon_threadsafe(self._versions_done)

        if loop is None:
            imports()
            background()
            self.send_versions()
            return False
        self._after_load.start(imports, background)
        return True

    def _versions_done(self) -> None:
        self.send_versions()
        self.collect_when_idle()  # on this thread, at its priority: see `after_load`

    def finish(self) -> None:
        """Wait for what a first load left out, and send its versions if not yet sent:
        runs, reloads and the console need Hamilton's extensions and the versions. The
        kernel's main thread takes the versions over at its own priority; a data request
        on another thread only waits (it may come while a load is half done)."""
        on_main = threading.current_thread() is threading.main_thread()
        if on_main and self._after_load.busy:
            self._hurry.set()
        self._after_load.wait()
        self._hurry.clear()
        if on_main and self.unfinished():
            self.start(in_background=False)
            self.collect_when_idle()
        self.send_versions()

    def send_versions(self) -> None:
        with self._versions_lock:
            out, self._versions_out = self._versions_out, None
            if out is None:
                return
            if out.payload.token == self._sent.token:
                self._sent.nodes = out.nodes
        self._send(events.message(out.payload))

    def collect_when_idle(self) -> None:
        """A full collection of a big graph's garbage takes ~0.2 s: not while the window
        takes in the reply, nor between two quick saves (the second cancels it). In the
        kernel, what survives is frozen and full collections are rarer (`load_garbage`);
        outside one (no event loop: a CLI, a test) everything is collected here."""
        if self._collection is not None:
            self._collection.cancel()
        loop = _running_loop()
        if loop is None:
            gc.collect()
            return
        self._collection = loop.call_later(COLLECT_AFTER_S, self._garbage.collect)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
