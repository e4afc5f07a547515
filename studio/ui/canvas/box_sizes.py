"""How big each card and module box is drawn: what the layout engine is told.

Card sizes are measured once per shown name and subtitle and kept across
drawings. Measuring 20,000 cards and building their layout request takes
a third of a second, on the GUI thread (font metrics belong there, and a
Python worker thread would hold the GIL against it), so a big request is
built in steps (`request_steps`) that the caller runs between frames.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QObject, QSizeF
from PySide6.QtGui import QFontMetricsF

from studio.core.graph.display_graph import CollapsedModule, DisplayGraph
from studio.core.graph.function_cards import FunctionCard
from studio.core.graph.namespaces import shared_namespaces, split_namespace
from studio.core.graph.snapshot import NodeInfo
from studio.core.layout import Direction, LayoutNode, LayoutRequest
from studio.ui.canvas.items.module_item import module_size, title_font
from studio.ui.canvas.items.node_item import card_subtitle, name_font, node_size, type_font
from studio.ui.canvas.items.region_item import LABEL_HEIGHT
from studio.ui.canvas.sliced_work import SlicedWork

_PER_SLICE = 200
REQUEST_STEP = 250
"""Nodes put into a layout request per step of `request_steps` (a few milliseconds)."""


class BoxSizes(QObject):
    """Card sizes by name and type, measured once; the rest are measured between frames."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name_metrics = QFontMetricsF(name_font())
        self._type_metrics = QFontMetricsF(type_font())
        self._module_metrics = QFontMetricsF(title_font())
        self._sizes: dict[tuple[str, str], QSizeF] = {}
        self._measuring = SlicedWork(self)
        self.nested: frozenset[tuple[str, str]] = frozenset()
        """(module, namespace) pairs drawn in a region of their own."""
        self.cards: dict[str, FunctionCard] = {}
        """The drawing's function cards by key: their title and count are on the card."""
        self._boxes: dict[int, tuple[NodeInfo, LayoutNode]] = {}
        """The last request's box of each node, by the node's identity: a save keeps
        the nodes it did not change, and a 5,000-node request is built again in ~3 ms."""

    def shown_name(self, info: NodeInfo) -> str:
        """The name on the card: its function's for a function card; without its
        namespace when the namespace has a region."""
        card = self.cards.get(info.name)
        if card is not None:
            return card.title
        space, local = split_namespace(info.name)
        if space is not None and info.group is not None and (info.group, space) in self.nested:
            return local
        return info.name

    def subtitle(self, info: NodeInfo) -> str:
        """The card's second line: the type, after a function card's node count."""
        card = self.cards.get(info.name)
        own = card_subtitle(info)
        return own if card is None else card.subtitle(own)

    def node(self, info: NodeInfo) -> QSizeF:
        shown = self.shown_name(info)
        subtitle = self.subtitle(info)
        key = (shown, subtitle)
        size = self._sizes.get(key)
        if size is None:
            size = self._sizes[key] = node_size(
                shown, subtitle, self._name_metrics, self._type_metrics
            )
        return size

    def module(self, module: CollapsedModule) -> QSizeF:
        return module_size(module, self._module_metrics)

    def layout_request(
        self,
        display: DisplayGraph,
        direction: Direction,
        frame: tuple[float, float] | None = None,
        nest: bool = False,
    ) -> LayoutRequest:
        """What the layout engine needs: every box's drawn size and region, and the edges.
        With `nest`, namespaces shared by several nodes get a region in their module's."""
        for request in self.request_steps(display, direction, frame, nest):
            if request is not None:
                return request
        raise AssertionError("request_steps ended without a request")

    def request_steps(
        self,
        display: DisplayGraph,
        direction: Direction,
        frame: tuple[float, float] | None = None,
        nest: bool = False,
    ) -> Iterator[LayoutRequest | None]:
        """`layout_request` in steps of `REQUEST_STEP` nodes: None after each step, then
        the request. Steps of a request no longer wanted can be dropped half way."""
        placed = [(info, None if info.is_external_input else info.group) for info in display.nodes]
        nested = (
            shared_namespaces((info.name, group) for info, group in placed) if nest else frozenset()
        )
        if nested != self.nested or display.cards != self.cards:
            self.nested, self.cards, self._boxes = nested, dict(display.cards), {}
        last, boxes = self._boxes, {}
        nodes = []
        for start in range(0, len(placed), REQUEST_STEP):
            for info, group in placed[start : start + REQUEST_STEP]:
                found = last.get(id(info))
                if found is None or found[0] is not info:
                    box = LayoutNode(
                        info.name,
                        *self.node(info).toTuple(),
                        group=group,
                        subgroup=self._subgroup(info.name, group),
                    )
                    found = (info, box)
                boxes[id(info)] = found
                nodes.append(found[1])
            if start + REQUEST_STEP < len(placed):
                yield None
        self._boxes = boxes
        nodes += [
            LayoutNode(m.key, *self.module(m).toTuple(), module_box=True) for m in display.modules
        ]
        yield LayoutRequest(
            tuple(nodes),
            tuple(display.edge_counts),
            direction,
            region_label_height=LABEL_HEIGHT,
            frame=frame,
        )

    def _subgroup(self, name: str, group: str | None) -> str | None:
        space, _ = split_namespace(name)
        if space is None or group is None or (group, space) not in self.nested:
            return None
        return space

    def measure_later(self, infos: Sequence[NodeInfo]) -> None:
        """Size the cards not shown yet (in collapsed modules) between frames: the ones
        not in the last layout request (by identity: cheap), skipping in the slices
        those measured already (their name and subtitle are looked up there)."""
        self._measuring.cancel()
        boxes = self._boxes
        infos = [i for i in infos if (found := boxes.get(id(i))) is None or found[0] is not i]
        for start in range(0, len(infos), _PER_SLICE):
            part = infos[start : start + _PER_SLICE]
            self._measuring.add(lambda part=part: [self.node(info) for info in part])
