"""Names that stay readable when the view is zoomed far out: the nodes that matter.

Zoomed out on a big graph, cards are too small to carry text. Rather than
blank shapes, this layer writes, at a fixed size on screen, the names of
the nodes a user is looking for: failures first, then the selection,
search hits, collapsed modules, the selection's lineage and the graph's
sinks, then every other card in view, in reading order, while there is room
(a mid-size graph at its fit zoom is then read name by name). A label never
covers another label or another card, nor runs past the edge of the canvas:
one that would is shortened to its card's width, or left out. A click or
double-click on a label acts on its card, as on the card.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from operator import attrgetter, itemgetter

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from studio.core.graph.display_graph import DisplayGraph
from studio.core.graph.emphasis import Emphasis
from studio.core.model import Workspace
from studio.core.runs.run_state import NodeState
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import NodeItem
from studio.ui.canvas.sliced_work import SlicedWork
from studio.ui.theme import Theme

SHOW_BELOW = 0.6
"""Zoom under which the card's own text is too small to read at once (under 10 px on
screen for a typical name) and the labels show."""
LABEL_PIXELS = 12.0
MOST_LABELS = 400
MOST_TRIED = 400
"""Important candidates looked at for a place; the rest would mostly be covered anyway."""
MOST_ORDINARY = 400
"""Other cards are labelled only when the view shows at most this many: beyond, no
zoom leaves room for them all, and the important ones must not wait behind them."""
_REPAINT_AFTER_MS = 120
"""Run states arrive node by node: their labels are repainted at most this often."""
_PAD = 3.0
_SHORTEST = 4
"""Characters a shortened label keeps at least (with its ellipsis); shorter is left out."""
_CELL = 600.0
"""Side of the grid cells the cards are filed in, to find those a label would cover."""
_ROW = 1 << 24
"""Cell (x, y) is numbered x * _ROW + y: one number per cell for any drawing smaller
than 5e9 pixels a side."""

_FILED_PER_STEP = 2000
"""Cards filed per step of `_filing` (a few milliseconds)."""

_Filed = tuple[dict[float, list[str]], dict[str, tuple[QRectF, QColor]]]
"""The keys of the cards in each grid cell, and the boxes they were filed by."""
Placed = tuple[QRectF, str, str, QColor | None]
"""A label: where, the key of its card, the text written (maybe shortened), its colour."""


class KeyLabels(QGraphicsItem):
    def __init__(
        self,
        nodes: dict[str, NodeItem],
        modules: dict[str, ModuleItem],
        workspace: Workspace,
    ) -> None:
        super().__init__()
        self.nodes = nodes
        self.modules = modules
        self.workspace = workspace
        self._plan: tuple[float, QRectF, list[Placed]] | None = None
        """The labels placed at a zoom and view: repaints of that view only draw them."""
        self._cards: _Filed | None = None
        """Every shown card's key, filed by grid cell (made when labels are placed)."""
        self._filing: Iterator[None] | None = None
        """The filing of a new geometry's cards, in steps between frames (`geometry_changed`)."""
        self._work: SlicedWork | None = None
        """Made in the scene, and gone with it: its steps must not run on a deleted item."""
        self._display: DisplayGraph | None = None
        self._sinks: tuple[str, ...] | None = None
        self.pressed: Callable[[str, bool], None] | None = None
        """A click on a label: (its card's key, added to the selection)."""
        self._shown: list[Placed] = []
        self._rect = QRectF()
        self._font = QFont()
        self._font.setWeight(QFont.Weight.DemiBold)
        self.setZValue(40)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)  # only on a label: see press
        self.showing = False
        """Labels were drawn last time: only then do the models' changes repaint them
        (the layer covers the whole drawing, so a repaint is a repaint of everything)."""
        self._soon: QTimer | None = None
        """Made in the scene, and gone with it: it must not fire on a deleted item."""
        workspace.selection.changed.connect(self._changed)
        workspace.selection.search_changed.connect(self._changed)
        workspace.runs.states_changed.connect(lambda _names: self._changed())

    def _changed(self) -> None:
        self._plan = None
        scene = self.scene()
        if not self.showing or scene is None:
            return
        if self._soon is None:
            self._soon = QTimer(scene)
            self._soon.setSingleShot(True)
            self._soon.setInterval(_REPAINT_AFTER_MS)
            self._soon.timeout.connect(self.update)
        if not self._soon.isActive():
            self._soon.start()

    def set_drawing(self, rect: QRectF, display: DisplayGraph) -> None:
        """A new drawing. Its cards are filed once its geometry is measured
        (`geometry_changed`): until then the boxes measured are the last drawing's, and
        so is the filing."""
        if rect != self._rect:  # a new extent repaints everything under it: only if it moved
            self.prepareGeometryChange()
            self._rect = QRectF(rect)
        elif self.showing:
            self.update()
        self._plan = None
        self._display, self._sinks = display, None

    @property
    def sinks(self) -> tuple[str, ...]:
        """The drawing's sinks, found when labels are first placed (a pass over 20,000
        nodes and edges is not worth making for a drawing never seen from far out), or,
        for a big drawing, in a step before its cards are filed."""
        if self._sinks is None:
            display = self._display
            if display is None:
                return ()
            unfed = set(map(attrgetter("name"), display.nodes))
            unfed -= set(map(itemgetter(0), display.edge_counts))
            sinks = [n.name for n in display.nodes if n.name in unfed and not n.is_external_input]
            self._sinks = tuple(sorted(sinks))
        return self._sinks

    def _sinks_found(self) -> tuple[str, ...]:
        """The sinks, for labels placed now: a big drawing's only once its step found
        them (placed in a paint before, they took 8-14 ms of it at 20,000 nodes)."""
        display = self._display
        if self._sinks is None and display is not None and len(display.nodes) > _FILED_PER_STEP:
            return ()
        return self.sinks

    def geometry_changed(self) -> None:
        """The cards' boxes were measured again: labels are placed anew, once the cards
        are filed. A big drawing's are filed in steps between frames (30 ms at 20,000
        cards), its labels written after the last (the drawing itself fills in then)."""
        self._plan, self._cards, self._filing = None, None, None
        scene = self.scene()
        boxes = scene.geometry.boxes if scene is not None else {}  # type: ignore[attr-defined]
        if len(boxes) <= _FILED_PER_STEP:  # filed when labels are first placed
            if self.showing:
                self.update()
            return
        filing = self._filing = _filing(boxes, self._filed)
        if self._work is None:
            self._work = SlicedWork(scene)
            self._work.finished.connect(self._on_filed)
        self._work.cancel()
        # The sinks too, between frames: in the first labels' paint they took 8-12 ms.
        self._work.add(lambda: self.sinks)
        for _ in range(_filing_steps(len(boxes))):
            self._work.add(lambda: next(filing, None))

    def _filed(self, cards: _Filed) -> None:
        self._cards, self._filing = cards, None

    def _on_filed(self) -> None:
        if self.showing and self._cards is not None:
            self.update()

    def view_moved(self) -> None:
        """The view panned or zoomed: labels near its edges may now fit, or not."""
        if self.showing:
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-400, -80, 400, 80)

    def important(self) -> Iterator[tuple[str, QColor | None]]:
        """Names worth a label, most important first, with the colour that says why (a
        collapsed module by its module name)."""
        theme = self._theme()
        runs = self.workspace.runs.state
        selection = self.workspace.selection
        failed = [n for n, r in runs.nodes.items() if r.state is NodeState.FAILED]
        lineage = (
            [
                n
                for n, item in self.nodes.items()
                if item.emphasis in (Emphasis.UPSTREAM, Emphasis.DOWNSTREAM)
            ]
            if selection.keys
            else []
        )
        groups: list[tuple[list[str], QColor | None]] = [
            (failed, theme.states[NodeState.FAILED]),
            (selection.names(), theme.selection),
            (sorted(selection.search_hits), theme.search),
            (sorted(self.modules), None),
            (lineage, None),
            (list(self._sinks_found()), None),
        ]
        drawn = self.scene().drawn  # type: ignore[attr-defined]  # the graph scene's
        owner = drawn.owner if drawn is not None else {}
        seen: set[str] = set()
        for names, colour in groups:
            for name in (owner.get(n, n) for n in names):  # a folded node: its card
                if name not in seen and (name in self.nodes or name in self.modules):
                    seen.add(name)
                    yield name, colour

    def _theme(self) -> Theme:
        return self.scene().theme  # type: ignore[attr-defined]  # the graph scene's

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        self.showing = 0 < lod < SHOW_BELOW
        if not self.showing:
            self._shown = []
            return
        if self._cards is None and self._filing is not None:
            self._shown = []  # a new geometry's cards are being filed: labels follow
            return
        seen = _seen(widget)
        if self._plan is None or self._plan[0] != lod or self._plan[1] != seen:
            self._plan = (lod, seen, self._place(lod, seen))
        self._shown = self._plan[2]
        font = QFont(self._font)
        font.setPointSizeF(LABEL_PIXELS * 0.75 / lod)
        painter.setFont(font)
        theme = self._theme()
        exposed = option.exposedRect
        for box, _key, text, colour in self._plan[2]:
            if not box.intersects(exposed):
                continue
            painter.setPen(QPen(colour or theme.node_border, 1.5 / lod))
            painter.setBrush(theme.base)
            painter.drawRoundedRect(box, 4 / lod, 4 / lod)
            painter.setPen(theme.node_text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def placed(self) -> list[Placed]:
        """The labels written at the last paint (none unless zoomed out that far): what
        a click lands on, even when a change is about to place them anew."""
        return list(self._shown)

    def label_at(self, x: float, y: float) -> str | None:
        """The key of the card whose label is drawn at scene point (x, y)."""
        for box, key, _text, _colour in self.placed():
            if box.contains(x, y):
                return key
        return None

    def _place(self, lod: float, seen: QRectF) -> list[Placed]:
        """Where each label goes at this zoom, most important first: none covering
        another label or another card, none past the edge of the view (`seen`)."""
        font = QFont(self._font)
        font.setPointSizeF(LABEL_PIXELS * 0.75 / lod)
        metrics = QFontMetricsF(font)
        pad = _PAD / lod
        height = metrics.height() + pad
        room = self.boundingRect() if seen.isEmpty() else seen.intersected(self.boundingRect())
        cards = self._filed_cards()
        placed: list[Placed] = []
        for name, colour in self._candidates(room, cards):
            if len(placed) >= MOST_LABELS:
                break
            node = self.nodes.get(name)
            key = name if node is not None else self.modules[name].key
            centre = self.scene().key_centre(key)  # type: ignore[attr-defined]  # where it ends
            own = self._card(key)
            if centre is None or own is None:
                continue
            if node is not None and node.folded:
                name = node.shown  # a function card's function name
            for text in _attempts(name, metrics, own.width() - 2 * pad):
                if len(text) < _SHORTEST and text != name:
                    break
                width = max(metrics.horizontalAdvance(text) + 2 * pad, own.width() + 2 * pad)
                box = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
                if (
                    room.contains(box)
                    and not any(box.intersects(other) for other, _, _, _ in placed)
                    and not _covers(box, key, cards)
                ):
                    placed.append((box, key, text, colour))
                    break
        return placed

    def _candidates(self, room: QRectF, cards: _Filed) -> Iterator[tuple[str, QColor | None]]:
        """The important names first, then the other cards in `room`, top to bottom and
        left to right within a row of cards."""
        seen: set[str] = set()
        for tried, (name, colour) in enumerate(self.important()):
            if tried >= MOST_TRIED:
                break
            seen.add(name)
            yield name, colour
        rest: dict[str, QRectF] = {}
        filed, boxes = cards
        for cell in _cells(room):
            for key in filed.get(cell, ()):
                rect = boxes[key][0]
                if key in self.nodes and key not in seen and room.intersects(rect):
                    rest[key] = rect
            if len(rest) > MOST_ORDINARY:  # too many already: none are labelled
                return
        yield from ((key, None) for key in sorted(rest, key=lambda k: _reading_order(rest[k])))

    def _card(self, key: str) -> QRectF | None:
        boxes = self.scene().geometry.boxes  # type: ignore[attr-defined]  # the graph scene's
        found = boxes.get(key)
        return found[0] if found is not None else None

    def _filed_cards(self) -> _Filed:
        """Every card's key by grid cell, filed once per drawing or geometry (the steps
        of `_filing` not run yet, if any, run now)."""
        if self._cards is None:
            if self._filing is None:
                boxes = self.scene().geometry.boxes  # type: ignore[attr-defined]  # the scene's
                self._filing = _filing(boxes, self._filed)
            for _ in self._filing:
                pass
        assert self._cards is not None
        return self._cards

    # -- input: a label stands for its card ------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """A press on a label selects its card; elsewhere it goes to what lies below.
        (A double-click on a label is the scene's: see `GraphScene.mouseDoubleClickEvent`.)"""
        key = self.label_at(event.pos().x(), event.pos().y())
        if key is None or self.pressed is None:
            event.ignore()  # not on a label: to the card or canvas below
            return
        self.pressed(key, bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))
        event.accept()


def _filing_steps(count: int) -> int:
    """How many steps `_filing` takes for `count` cards."""
    return 3 + 3 * -(-count // _FILED_PER_STEP)


def _filing(
    boxes: dict[str, tuple[QRectF, QColor]], done: Callable[[_Filed], None]
) -> Iterator[None]:
    """File every card's key by grid cell, in steps of a few milliseconds; `done` gets
    the filing after the last.

    At 20,000 cards the filing was the bulk of a labels paint. It runs in bulk: the
    cards' corners are read and their cells sorted by C-level calls (`map`, `sorted`
    with a key, `groupby`), and only the cards that reach into another cell (a quarter
    or so) are filed there one by one. A cell is a number (x * _ROW + y, a float here,
    equal to the int `_cells` gives). The corners and cells are read `_FILED_PER_STEP`
    cards a step: all 20,000 at once took 20-30 ms."""
    keys = list(boxes)
    rects = [box for box, _colour in boxes.values()]
    corners: list[tuple[float, float, float, float]] = []
    for start in range(0, len(rects), _FILED_PER_STEP):
        corners += map(QRectF.getCoords, rects[start : start + _FILED_PER_STEP])
        yield
    cells: list[float] = []
    for start in range(0, len(corners), _FILED_PER_STEP):
        chunk = corners[start : start + _FILED_PER_STEP]
        cells += [(x0 // _CELL) * _ROW + y0 // _CELL for x0, y0, _x1, _y1 in chunk]
        yield
    order = sorted(range(len(keys)), key=cells.__getitem__)
    yield
    filed: dict[float, list[str]] = {
        cell: list(map(keys.__getitem__, members))
        for cell, members in itertools.groupby(order, key=cells.__getitem__)
    }
    yield
    for start in range(0, len(corners), _FILED_PER_STEP):
        for i in range(start, min(start + _FILED_PER_STEP, len(corners))):
            x0, y0, x1, y1 = corners[i]
            if x1 // _CELL == x0 // _CELL and y1 // _CELL == y0 // _CELL:
                continue
            for x in range(int(x0 // _CELL), int(x1 // _CELL) + 1):
                for y in range(int(y0 // _CELL), int(y1 // _CELL) + 1):
                    if x * _ROW + y != cells[i]:
                        filed.setdefault(x * _ROW + y, []).append(keys[i])
        yield
    done((filed, boxes))


def _attempts(name: str, metrics: QFontMetricsF, width: float) -> Iterator[str]:
    """The texts a label tries: its whole name, then the name shortened to `width`
    (shortened only when the whole name found no room: 40 microseconds a name)."""
    yield name
    yield metrics.elidedText(name, Qt.TextElideMode.ElideRight, width)


def _seen(widget: QWidget | None) -> QRectF:
    """The part of the scene the view painting now shows (empty when not in a view)."""
    view = widget.parentWidget() if widget is not None else None
    if not isinstance(view, QGraphicsView):
        return QRectF()
    return view.mapToScene(widget.rect()).boundingRect()  # type: ignore[union-attr]


def _reading_order(rect: QRectF) -> tuple[int, float]:
    return (round(rect.top() / 8), rect.left())


def _cells(rect: QRectF) -> Iterator[int]:
    """The numbers of the grid cells `rect` reaches into."""
    left, top, right, bottom = rect.getCoords()
    for x in range(int(left // _CELL), int(right // _CELL) + 1):
        for y in range(int(top // _CELL), int(bottom // _CELL) + 1):
            yield x * _ROW + y


def _covers(box: QRectF, own: str, cards: _Filed) -> bool:
    """Whether a label at `box` would cover a card other than its own."""
    filed, boxes = cards
    return any(
        key != own and boxes[key][0].intersects(box)
        for cell in _cells(box)
        for key in filed.get(cell, ())
    )
