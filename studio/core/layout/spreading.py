"""Spreading a shrunk drawing over the frame it is fitted into.

A drawing bigger than its view is shown at the zoom that fits its longer
side; the other side then leaves part of the view empty. Moving the boxes
apart along that side (their sizes kept) costs no zoom and gives every
name more room: at a mid-size graph's fit zoom the labels written over
the cards no longer touch. Only for the engines whose edges meet a box at
the middle of its side, where moving centres moves the edges' ends with
them.
"""

from __future__ import annotations

from studio.core.layout.fitting import FIT_MARGIN, SCREEN_MARGIN, fit_zoom
from studio.core.layout.model import EdgeRoute, LayoutResult

MOST_SPREAD = 1.6
"""Boxes are moved at most this much further apart along one side."""
_LEAST_SPREAD = 1.05
SPREAD_BELOW_ZOOM = 1.0
"""Only a drawing shown smaller than life is spread: one shown whole keeps its spacing."""
SPREAD_FROM_ZOOM = 0.15
"""...and not one so far out that no name can be read however spread (thousands of
nodes: moving every point of 10,000 edges there cost 50 ms of a save)."""
SPREAD_ENGINES = ("grouped", "layered")


def spread_to_frame(result: LayoutResult, frame: tuple[float, float]) -> LayoutResult:
    """`result` with its boxes moved apart along the side the fit leaves room on."""
    if result.engine not in SPREAD_ENGINES or not result.positions:
        return result
    zoom = fit_zoom(result.width, result.height, frame)
    if not SPREAD_FROM_ZOOM <= zoom < SPREAD_BELOW_ZOOM:
        return result
    sx = _room(result.width, frame[0], zoom)
    sy = _room(result.height, frame[1], zoom)
    if sx < _LEAST_SPREAD and sy < _LEAST_SPREAD:
        return result
    sx, sy = max(sx, 1.0), max(sy, 1.0)

    def moved(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] * sx, point[1] * sy)

    result.positions = {name: moved(p) for name, p in result.positions.items()}
    result.routes = {
        key: EdgeRoute(tuple(moved(p) for p in route.points), moved(route.tip))
        for key, route in result.routes.items()
    }
    result.regions = {
        name: (x * sx, y * sy, w * sx, h * sy) for name, (x, y, w, h) in result.regions.items()
    }
    result.width *= sx
    result.height *= sy
    result.notes.append(f"spread {sx:.2f} x {sy:.2f} to fill the view")
    return result


def _room(extent: float, frame: float, zoom: float) -> float:
    """How much longer this side may grow before the fit zoom would drop."""
    if extent <= 0:
        return 1.0
    most = min(
        (frame / zoom - 2 * FIT_MARGIN) / extent, (frame - 2 * SCREEN_MARGIN) / (zoom * extent)
    )
    return min(most * 0.98, MOST_SPREAD)
