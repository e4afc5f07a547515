"""Sizes as people read them."""

from __future__ import annotations


def format_bytes(size: int | None) -> str:
    """`512 B`, `1.5 KB`, `20.0 MB`; "size unknown" for None."""
    if size is None:
        return "size unknown"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
