"""Hamilton's nodes of unchanged functions, reused from the last build.

Most of a big graph's build is Hamilton resolving each function's
decorators into nodes. After a save only the edited module is imported
again (see `fresh_import`), so the other modules' function objects are the
very same, and with the same configuration they resolve to the same nodes.
During a build, `resolve_nodes` answers for those from what it answered
last time: copies of those nodes without their dependencies, as Hamilton
links nodes to each other in place (a function resolved afresh gives
Hamilton its nodes themselves: a first build copies nothing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

_Resolved = tuple[Callable[..., Any], str, list[Any]]


class NodeReuse:
    def __init__(self) -> None:
        self._last: dict[int, _Resolved] = {}
        self.reused = 0
        """How many functions the last build did not resolve again."""
        self.carried: list[Callable[..., Any]] = []
        """Functions a build took the nodes of from the graph before without resolving them
        (see `graph_link`): their last resolution stays for the next build."""

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """Reuse resolved nodes while Hamilton builds a graph."""
        from hamilton.function_modifiers import base

        original = base.resolve_nodes
        seen: dict[int, _Resolved] = {}
        keys: dict[int, tuple[dict[str, Any], str | None]] = {}
        self.reused = 0
        self.carried = []

        def resolve_nodes(fn: Callable[..., Any], config: dict[str, Any]) -> list[Any]:
            known = keys.get(id(config))
            if known is None or known[0] is not config:
                known = keys[id(config)] = (config, config_key(config))
            key = known[1]
            last = self._last.get(id(fn))
            if key is not None and last is not None and last[0] is fn and last[1] == key:
                nodes = [n.copy(include_refs=False) for n in last[2]]
                self.reused += 1
            else:
                nodes = list(original(fn, config))
            if key is not None:
                seen[id(fn)] = (fn, key, nodes)
            return nodes

        base.resolve_nodes = resolve_nodes
        try:
            yield
        finally:
            base.resolve_nodes = original
            for fn in self.carried:
                last = self._last.get(id(fn))
                if last is not None and last[0] is fn and id(fn) not in seen:
                    seen[id(fn)] = last
            self._last = seen


def config_key(config: dict[str, Any]) -> str | None:
    """The configuration as text, to compare builds by; None when it has no faithful
    text (then nothing is reused)."""
    try:
        text = repr(sorted(config.items()))
    except Exception:
        return None
    return None if " at 0x" in text else text
