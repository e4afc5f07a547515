"""A node's name as large as its card allows: what a zoomed-out card shows.

Zoomed out, a card's type line and badges are too small to read, but its
name need not be: drawn alone, wrapped at an underscore onto two lines
when that lets it grow, it stays legible well below the zoom at which the
full card's text becomes a grey smear.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

MAX_GROWTH = 1.5
"""At most this times the card's normal name size."""


@dataclass(frozen=True, slots=True)
class CompactName:
    lines: tuple[str, ...]
    font: QFont
    scale: float
    """The font's size relative to the card's normal name font."""


def split_in_two(name: str) -> tuple[str, str] | None:
    """The name cut after the underscore that best balances the two halves."""
    cuts = [i + 1 for i, char in enumerate(name) if char == "_" and 0 < i < len(name) - 1]
    if not cuts:
        return None
    cut = min(cuts, key=lambda i: max(i, len(name) - i))
    return name[:cut], name[cut:]


def fit_name(name: str, box: QRectF, base: QFont) -> CompactName:
    """The largest font (and one- or two-line form) that fits `name` in `box`."""
    metrics = QFontMetricsF(base)
    options: list[tuple[str, ...]] = [(name,)]
    halves = split_in_two(name)
    if halves is not None:
        options.append(halves)
    best: tuple[float, tuple[str, ...]] = (0.0, options[0])
    for lines in options:
        width = max(metrics.horizontalAdvance(line) for line in lines)
        height = metrics.height() * len(lines)
        scale = min(box.width() / max(width, 1.0), box.height() / height, MAX_GROWTH)
        if scale > best[0] * 1.05:
            best = (scale, lines)
    scale, lines = best
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    return CompactName(lines, font, scale)
