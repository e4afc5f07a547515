"""Inputs and outputs of a layout: sizes in, positions and routes out.

Units are scene pixels; y grows downwards; positions are node centres.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

Point = tuple[float, float]


class Direction(enum.StrEnum):
    LEFT_RIGHT = "LR"
    TOP_BOTTOM = "TB"
    AUTO = "auto"
    """Whichever of the two shows the graph larger in the frame it is drawn in."""


@dataclass(frozen=True, slots=True)
class LayoutNode:
    name: str
    width: float
    height: float
    group: str | None = None
    """Module region the node is drawn in (None: outside any region)."""
    subgroup: str | None = None
    """A region nested in the module's (a namespace), keyed `region_key(group, subgroup)`;
    only the `dot` engine draws it."""
    module_box: bool = False
    """A whole collapsed module drawn as one box."""


@dataclass(frozen=True, slots=True)
class LayoutRequest:
    nodes: tuple[LayoutNode, ...]
    edges: tuple[tuple[str, str], ...]
    direction: Direction = Direction.LEFT_RIGHT
    region_label_height: float = 22.0
    frame: tuple[float, float] | None = None
    """The size (pixels) of the view the drawing is fitted into: what AUTO chooses for."""


@dataclass(frozen=True, slots=True)
class EdgeRoute:
    """A chain of cubic Bézier segments: `points` has 3n+1 entries; the arrow ends at `tip`."""

    points: tuple[Point, ...]
    tip: Point


@dataclass(slots=True)
class LayoutResult:
    positions: dict[str, Point]
    routes: dict[tuple[str, str], EdgeRoute]
    regions: dict[str, tuple[float, float, float, float]]
    """Module name -> (x, y, width, height) of its region."""
    width: float
    height: float
    engine: str
    seconds: float = 0.0
    direction: Direction = Direction.LEFT_RIGHT
    """The direction drawn: never AUTO."""
    notes: list[str] = field(default_factory=list)
