"""The node results the kernel keeps between runs, shared with the console."""

from __future__ import annotations

from typing import Any


class Results(dict[str, Any]):
    """Results of the studio's runs by node name: `results["x"]` or `results.x`."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            known = ", ".join(sorted(self)) or "none yet"
            raise AttributeError(f"no result for {name!r} (computed: {known})") from None

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *(k for k in self if k.isidentifier())]

    def __repr__(self) -> str:
        return f"<results of {len(self)} nodes: {', '.join(sorted(self))}>"
