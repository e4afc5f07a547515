"""Finding nodes by name as the user types."""

from __future__ import annotations

from collections.abc import Iterable


def match_names(names: Iterable[str], text: str) -> list[str]:
    """Names containing `text` (case-insensitive), best first.

    Exact matches come first, then names starting with the text, then
    names where it starts a word (after `_` or `.`), then the rest; ties
    go to the shorter name, then alphabetical order.
    """
    needle = text.strip().lower()
    if not needle:
        return []
    ranked = []
    for name in names:
        lowered = name.lower()
        position = lowered.find(needle)
        if position < 0:
            continue
        if lowered == needle:
            rank = 0
        elif position == 0:
            rank = 1
        elif lowered[position - 1] in "_.":
            rank = 2
        else:
            rank = 3
        ranked.append((rank, len(name), name))
    return [name for _, _, name in sorted(ranked)]
