"""How large a drawing can be shown whole in a view: the zoom that fits it."""

from __future__ import annotations

FIT_MARGIN = 30.0
"""Scene pixels kept around the drawing when it is fitted into a view."""
SCREEN_MARGIN = 40.0
"""Screen pixels kept around it too: far out, a label wider than its box stays in view."""

MAX_FIT_ZOOM = 1.25


def fit_zoom(width: float, height: float, frame: tuple[float, float]) -> float:
    """The zoom that shows a drawing of this size whole in the frame (capped)."""
    frame_width, frame_height = frame
    return min(
        frame_width / (width + 2 * FIT_MARGIN),
        frame_height / (height + 2 * FIT_MARGIN),
        max(frame_width - 2 * SCREEN_MARGIN, 1.0) / max(width, 1.0),
        max(frame_height - 2 * SCREEN_MARGIN, 1.0) / max(height, 1.0),
        MAX_FIT_ZOOM,
    )
