"""A node on the canvas: a rounded card with the node's name and type."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from studio.core.graph.emphasis import Emphasis
from studio.core.graph.snapshot import NodeInfo, NodeKind
from studio.core.runs.run_state import NodeRun, NodeState, given_phrase
from studio.core.time_text import format_seconds
from studio.ui.canvas.items.compact_name import CompactName, fit_name
from studio.ui.canvas.items.state_badge import paint_state_badge
from studio.ui.theme import Theme

NODE_HEIGHT = 44.0
_BADGE = 18.0
_TIMED = (NodeState.DONE, NodeState.REUSED, NodeState.STALE, NodeState.INTERRUPTED)
_DURATION = 46.0
_MIN_WIDTH = 96.0
_TYPE_WIDTH_CAP = 110.0
"""A long type (Dict[str, Union[...]]) is elided rather than widening the card."""
_PAD_X = 14.0
_ACCENT = 5.0
_RADIUS = 7.0
_FOLD = 11.0
_LOW_DETAIL = 0.22
FULL_TEXT_ZOOM = 0.8
"""Below this zoom the type line is unreadable: the card shows its name alone, larger."""
_COMPACT_PAD = 4.0
_STACK = 3.0
"""How far each card of a function card's stack peeks out."""


def name_font() -> QFont:
    font = QFont()
    font.setPointSizeF(9.5)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def type_font() -> QFont:
    font = QFont()
    font.setPointSizeF(8.0)
    return font


_METRICS: list[QFontMetricsF] = []


def _type_metrics() -> QFontMetricsF:
    if not _METRICS:
        _METRICS.append(QFontMetricsF(type_font()))
    return _METRICS[0]


NOT_EXPANDED = "expands when trusted"


def card_subtitle(info: NodeInfo) -> str:
    """The card's second line: the type, or for a function of the graph read from
    source whose decorators were not applied, that they will be."""
    return info.type if info.expanded else NOT_EXPANDED


def node_size(
    shown: str, type_name: str, name_metrics: QFontMetricsF, type_metrics: QFontMetricsF
) -> QSizeF:
    """A card's size for the name it shows and its type."""
    name = name_metrics.horizontalAdvance(shown)
    type_width = min(type_metrics.horizontalAdvance(type_name), max(name, _TYPE_WIDTH_CAP))
    text = max(name, type_width + _DURATION)
    return QSizeF(max(_MIN_WIDTH, text + 2 * _PAD_X + _ACCENT + _BADGE), NODE_HEIGHT)


def run_phrase(run: NodeRun) -> str:
    """How the node's last run went, in words: `computed in 39 ms`, `stale: ...`."""
    took = format_seconds(run.seconds) if run.seconds is not None else None
    if run.state is NodeState.DONE:
        return f"computed in {took}" if took else "computed"
    if run.state is NodeState.REUSED:
        return f"reused a result ({took})" if took else "reused a result"
    if run.state is NodeState.GIVEN:
        return f"{given_phrase(run)}, not computed"
    if run.state is NodeState.STALE and run.given_by:
        return f"stale: its code or the value {run.given_by} gives changed since it was given"
    if run.state is NodeState.STALE:
        if run.stale_reason:
            return f"stale: {run.stale_reason} since it was computed"
        return "stale: its code or an input changed since it was computed"
    if run.state is NodeState.FAILED:
        return f"failed after {took}" if took else "failed"
    if run.state is NodeState.INTERRUPTED:
        return f"interrupted after {took}: no result" if took else "interrupted: no result"
    return run.state.value


class CardItem(QGraphicsRectItem):
    """What node cards and module boxes share: a theme, and dimmed cards sink below the rest.

    A card's bounds are its rect item's rect (no pen: the bounds are the rect), kept by
    Qt: Qt asks every item of a layer for its bounds at each paint, and at 20,000 cards
    a `boundingRect` written in Python cost a call into Python per card per frame.
    """

    theme: Theme
    emphasis: Emphasis

    def set_bounds(self, bounds: QRectF) -> None:
        """Where the card may paint, in item coordinates (Qt's `boundingRect`)."""
        if self.pen().style() is not Qt.PenStyle.NoPen:
            self.setPen(Qt.PenStyle.NoPen)
        self.setRect(bounds)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def set_emphasis(self, emphasis: Emphasis) -> None:
        if emphasis is not self.emphasis:
            self.emphasis = emphasis
            self.setZValue(5 if emphasis is Emphasis.DIMMED else 10)
            self.update()

    def card_rect(self) -> QRectF:
        raise NotImplementedError

    def port(self, outgoing: bool, left_to_right: bool) -> QPointF:
        """Where edges leave (outgoing) or enter the card, in scene coordinates."""
        rect = self.card_rect()
        if left_to_right:
            local = QPointF(rect.right() if outgoing else rect.left(), 0)
        else:
            local = QPointF(0, rect.bottom() if outgoing else rect.top())
        return self.mapToScene(local)


class NodeItem(CardItem):
    def __init__(
        self,
        info: NodeInfo,
        size: QSizeF,
        theme: Theme,
        parent: QGraphicsItem | None = None,
        shown: str | None = None,
        subtitle: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.info = info
        self.shown = shown or info.name
        """The name on the card (without a namespace its region already names; a
        function card's function name)."""
        self.subtitle = subtitle or card_subtitle(info)
        """The second line: the type (after a function card's node count)."""
        self.size = size
        self._card = QRectF(-size.width() / 2, -size.height() / 2, size.width(), size.height())
        self.set_bounds(self._card.adjusted(-4, -8, 2 * _STACK + 4, 2 * _STACK + 4))
        self.members: tuple[str, ...] = ()
        """The nodes a function card stands for (none: a node drawn on its own)."""
        self.checks = 0
        """How many `@check_output` validators the function card holds."""
        self.theme = theme
        self.emphasis = Emphasis.NORMAL
        self.changed = False
        self.search_hit = False
        self.run = NodeRun()
        self.spin = 0
        self._name_font = name_font()
        self._type_font = type_font()
        self._compact: dict[bool, CompactName] = {}
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(10)
        self._update_tooltip()

    @property
    def name(self) -> str:
        return self.info.name

    def set_info(
        self, info: NodeInfo, size: QSizeF, shown: str | None = None, subtitle: str | None = None
    ) -> None:
        shown = shown or info.name
        subtitle = subtitle or card_subtitle(info)
        if (info, size, shown, subtitle) == (self.info, self.size, self.shown, self.subtitle):
            return
        self.shown, self.subtitle = shown, subtitle
        if size != self.size:
            self.size = size
            self._card = QRectF(-size.width() / 2, -size.height() / 2, *size.toTuple())
            self.set_bounds(self._card.adjusted(-4, -8, 2 * _STACK + 4, 2 * _STACK + 4))
        self.info = info
        self._compact.clear()
        self._update_tooltip()
        self.update()

    @property
    def folded(self) -> int:
        """How many nodes a function card stands for (0: a node drawn on its own)."""
        return len(self.members)

    def set_card(self, members: tuple[str, ...], checks: int) -> None:
        """Drawn as a function card of `members` (a stack of cards), `checks` of them
        validators (a check badge); (), 0 for a node drawn on its own."""
        if (members, checks) != (self.members, self.checks):
            self.members, self.checks = members, checks
            self._update_tooltip()
            self.update()

    def count_rect(self) -> QRectF | None:
        """Where a function card's node count is drawn (clicking it shows the nodes),
        in item coordinates; None for a node drawn on its own."""
        if not self.folded:
            return None
        rect = self.card_rect()
        left = rect.left() + _ACCENT + _PAD_X - 6
        width = _type_metrics().horizontalAdvance(self._count_text()) + 6
        return QRectF(left, rect.top() + 24, width, 14)

    def _count_text(self) -> str:
        return f"{self.folded} nodes"

    def set_changed(self, changed: bool) -> None:
        if changed != self.changed:
            self.changed = changed
            self._update_tooltip()
            self.update()

    def set_run(self, run: NodeRun) -> None:
        self.run = run
        self._update_tooltip()
        self.update()

    def advance_spinner(self) -> None:
        self.spin = (self.spin + 30) % 360
        self.update()

    def set_search_hit(self, hit: bool) -> None:
        if hit != self.search_hit:
            self.search_hit = hit
            self.update()

    def _update_tooltip(self) -> None:
        parts = [f"<b>{self.shown}</b>: {self.subtitle}"]
        if self.info.doc:
            parts.append(self.info.doc.replace("\n", "<br>"))
        if self.members:
            shown = ", ".join(self.members[:8]) + (", …" if len(self.members) > 8 else "")
            parts.append(f"<i>{self.shown} makes {self.folded} nodes: {shown}</i>")
            parts.append("<i>Click the node count, or press E, to show them.</i>")
        if not self.info.expanded:
            parts.append(
                "<i>read from source: its decorators make its nodes when the folder is "
                "trusted and Hamilton builds the graph</i>"
            )
        if self.changed:
            parts.append("<i>code changed since the graph was opened</i>")
        run = getattr(self, "run", None)
        if run is not None and run.state is not NodeState.NOT_COMPUTED:
            parts.append(f"<i>{run_phrase(run)}</i>")
            if run.error:
                parts.append(f"<span style='color:#d62d2d'>{run.error}</span>")
        self.setToolTip("<br>".join(parts))

    def card_rect(self) -> QRectF:
        return QRectF(self._card)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.theme
        style = theme.kind(self.info.kind)
        rect = self.card_rect()
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        dimmed = self.emphasis is Emphasis.DIMMED
        if dimmed:
            painter.setOpacity(0.28)
        if lod < _LOW_DETAIL:
            colour = style.accent if not dimmed else theme.node_border
            if self.run.state is NodeState.FAILED:
                colour = theme.states[NodeState.FAILED]
            painter.fillRect(rect, colour)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = QColor(theme.node_border)
        width = 1.0
        if self.emphasis is Emphasis.SELECTED:
            border, width = theme.selection, 2.4
        elif self.emphasis is Emphasis.UPSTREAM:
            border, width = theme.upstream, 1.8
        elif self.emphasis is Emphasis.DOWNSTREAM:
            border, width = theme.downstream, 1.8
        elif self.search_hit:
            border, width = theme.search, 2.4
        elif self.run.state is NodeState.FAILED:
            border, width = theme.states[NodeState.FAILED], 2.0
        elif self.run.state is NodeState.RUNNING:
            border, width = theme.states[NodeState.RUNNING], 2.0
        pen = QPen(border, width)
        if style.dashed and self.emphasis is Emphasis.NORMAL and not self.search_hit:
            pen = QPen(style.accent, 1.2, Qt.PenStyle.DashLine)
        if self.folded:
            paint_stack(painter, rect, style.fill, theme.node_border)
        painter.setPen(pen)
        painter.setBrush(QBrush(style.fill))
        painter.drawRoundedRect(rect, _RADIUS, _RADIUS)
        if not style.dashed:
            accent = QRectF(rect.left(), rect.top(), _ACCENT + _RADIUS, rect.height())
            painter.save()
            painter.setClipRect(QRectF(rect.left(), rect.top(), _ACCENT, rect.height()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.accent)
            painter.drawRoundedRect(accent, _RADIUS, _RADIUS)
            painter.restore()
        if style.folded:
            paint_folded_corner(painter, rect, style.accent, _FOLD)
        if self.search_hit and self.emphasis is not Emphasis.NORMAL:
            painter.setPen(QPen(theme.search, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), _RADIUS + 2, _RADIUS + 2)
        if self.checks:
            paint_check_badge(painter, QPointF(rect.left() + 2, rect.top() + 1), theme)
        if lod < FULL_TEXT_ZOOM:
            self._paint_compact(painter, rect)
            return
        self._paint_state(painter, rect)
        text_left = rect.left() + _ACCENT + _PAD_X - 4
        text_rect = QRectF(text_left, rect.top() + 5, rect.right() - text_left - _BADGE - 4, 20)
        painter.setPen(theme.node_text)
        painter.setFont(self._name_font)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.shown
        )
        painter.setPen(theme.node_subtext)
        painter.setFont(self._type_font)
        type_rect = QRectF(text_left, rect.top() + 23, text_rect.width(), 16)
        pill = self.count_rect()
        if pill is not None:  # the node count, a button that shows the nodes
            painter.save()
            painter.setPen(QPen(theme.node_border, 1.0))
            painter.setBrush(theme.kind(NodeKind.FUNCTION).fill)
            painter.drawRoundedRect(pill, 4, 4)
            painter.restore()
        timed = self.run.seconds is not None and self.run.state in _TIMED
        type_text = _type_metrics().elidedText(
            self.subtitle,
            Qt.TextElideMode.ElideRight,
            type_rect.width() - (_DURATION if timed else 0),
        )
        painter.drawText(
            type_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, type_text
        )
        if timed:
            painter.drawText(
                type_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                format_seconds(self.run.seconds),
            )
        if self.changed:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.changed)
            painter.drawEllipse(QPointF(rect.right() - 8, rect.top() + 8), 3.5, 3.5)

    def _paint_compact(self, painter: QPainter, rect: QRectF) -> None:
        badge = self.run.state is not NodeState.NOT_COMPUTED
        if badge:
            self._paint_state(painter, rect)
        if badge not in self._compact:
            box = rect.adjusted(
                _ACCENT + _COMPACT_PAD,
                _COMPACT_PAD,
                -_COMPACT_PAD - (_BADGE + 2 if badge else 0),
                -_COMPACT_PAD,
            )
            self._compact[badge] = fit_name(self.shown, box, self._name_font)
        compact = self._compact[badge]
        painter.setPen(self.theme.node_text)
        painter.setFont(compact.font)
        text = rect.adjusted(_ACCENT + _COMPACT_PAD, 0, -(_BADGE + 2 if badge else 0), 0)
        painter.drawText(
            text,
            Qt.AlignmentFlag.AlignCenter,
            "\n".join(compact.lines),
        )

    def _paint_state(self, painter: QPainter, rect: QRectF) -> None:
        """A badge at the card's right edge: queued, running, done, reused, failed,
        interrupted, stale."""
        centre = QPointF(rect.right() - _BADGE / 2 - 3, rect.center().y())
        paint_state_badge(painter, centre, self.run.state, self.theme, self.spin)


def paint_stack(
    painter: QPainter,
    rect: QRectF,
    fill: QColor,
    border: QColor,
    offset: float = _STACK,
    radius: float = _RADIUS,
) -> None:
    """Two cards peeking out behind a function card: it stands for several nodes."""
    painter.save()
    painter.setPen(QPen(border, 1.0))
    painter.setBrush(QBrush(fill))
    for step in (2, 1):
        painter.drawRoundedRect(rect.translated(step * offset, step * offset), radius, radius)
    painter.restore()


def paint_check_badge(painter: QPainter, centre: QPointF, theme: Theme) -> None:
    """A small check mark: the function's result is validated (`@check_output`)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(theme.node_subtext, 1.2))
    painter.setBrush(theme.kind(NodeKind.FUNCTION).fill)
    painter.drawEllipse(centre, 6.0, 6.0)
    pen = QPen(theme.node_subtext, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    x, y = centre.x(), centre.y()
    painter.drawPolyline([QPointF(x - 3, y), QPointF(x - 0.8, y + 2.4), QPointF(x + 3.2, y - 2.6)])
    painter.restore()


def paint_folded_corner(painter: QPainter, rect: QRectF, colour: QColor, size: float) -> None:
    """The bottom-right corner folded over, as on a sheet of paper: a node that writes a
    file (a materializer), on its card and in the legend."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    right, bottom = rect.right(), rect.bottom()
    painter.drawPolygon(
        QPolygonF(
            [
                QPointF(right - size, bottom),
                QPointF(right, bottom - size),
                QPointF(right - size, bottom - size),
            ]
        )
    )
    painter.restore()
