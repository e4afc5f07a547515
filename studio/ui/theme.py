"""The studio's two themes, light and dark: canvas colours and the Qt palette."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from studio.core.graph.snapshot import NodeKind
from studio.core.runs.run_state import NodeState


@dataclass(frozen=True)
class KindStyle:
    accent: QColor
    fill: QColor
    dashed: bool = False
    folded: bool = False
    """A folded corner, as on a sheet of paper: the node writes a file."""


@dataclass(frozen=True)
class Theme:
    name: str
    dark: bool
    canvas: QColor
    grid: QColor
    region_fill: QColor
    region_border: QColor
    region_text: QColor
    node_text: QColor
    node_subtext: QColor
    node_border: QColor
    edge: QColor
    upstream: QColor
    downstream: QColor
    selection: QColor
    search: QColor
    changed: QColor
    error: QColor
    banner_error: QColor
    banner_info: QColor
    kinds: dict[NodeKind, KindStyle]
    states: dict[NodeState, QColor]
    window: QColor
    base: QColor
    text: QColor
    pygments_style: str

    def kind(self, kind: NodeKind) -> KindStyle:
        return self.kinds[kind]


def _c(text: str) -> QColor:
    return QColor(text)


LIGHT = Theme(
    name="light",
    dark=False,
    canvas=_c("#f5f7fa"),
    grid=_c("#dde3ea"),
    region_fill=_c("#ffffff"),
    region_border=_c("#d5dce5"),
    region_text=_c("#5a6778"),
    node_text=_c("#1c2430"),
    node_subtext=_c("#6b7788"),
    node_border=_c("#c9d2dd"),
    edge=_c("#8a97a8"),
    upstream=_c("#2f6fdf"),
    downstream=_c("#d9730d"),
    selection=_c("#1d4ed8"),
    search=_c("#e0b000"),
    changed=_c("#e8590c"),
    error=_c("#d62d2d"),
    banner_error=_c("#fdecea"),
    banner_info=_c("#e8f1fd"),
    kinds={
        NodeKind.FUNCTION: KindStyle(_c("#3b7ddd"), _c("#ffffff")),
        NodeKind.INPUT: KindStyle(_c("#7b8794"), _c("#f5f7fa"), dashed=True),
        NodeKind.CONFIG: KindStyle(_c("#c98a0b"), _c("#fff8e6"), dashed=True),
        NodeKind.CONFIG_DEPENDENT: KindStyle(_c("#8256d0"), _c("#faf7ff")),
        NodeKind.GENERATED: KindStyle(_c("#1f9d80"), _c("#f4fbf9")),
        NodeKind.MATERIALIZER: KindStyle(_c("#b8326f"), _c("#fdf3f8"), folded=True),
    },
    states={
        NodeState.QUEUED: _c("#9aa5b4"),
        NodeState.RUNNING: _c("#2f6fdf"),
        NodeState.DONE: _c("#2fa84f"),
        NodeState.REUSED: _c("#2fa84f"),
        NodeState.GIVEN: _c("#1a94b0"),
        NodeState.FAILED: _c("#d62d2d"),
        NodeState.INTERRUPTED: _c("#e8590c"),
        NodeState.STALE: _c("#d9960b"),
    },
    window=_c("#eef1f5"),
    base=_c("#ffffff"),
    text=_c("#1c2430"),
    pygments_style="friendly",
)

DARK = Theme(
    name="dark",
    dark=True,
    canvas=_c("#1b1f25"),
    grid=_c("#2a3038"),
    region_fill=_c("#22272e"),
    region_border=_c("#343b45"),
    region_text=_c("#9aa5b4"),
    node_text=_c("#e6eaf0"),
    node_subtext=_c("#9aa5b4"),
    node_border=_c("#3c4450"),
    edge=_c("#66717f"),
    upstream=_c("#5b9cff"),
    downstream=_c("#ff9a3d"),
    selection=_c("#8ab4ff"),
    search=_c("#f2c94c"),
    changed=_c("#ff7a33"),
    error=_c("#ff5c5c"),
    banner_error=_c("#4a2326"),
    banner_info=_c("#1f3450"),
    kinds={
        NodeKind.FUNCTION: KindStyle(_c("#5b9cff"), _c("#2a3039")),
        NodeKind.INPUT: KindStyle(_c("#8a96a6"), _c("#1b1f25"), dashed=True),
        NodeKind.CONFIG: KindStyle(_c("#e0a526"), _c("#2f2a1e"), dashed=True),
        NodeKind.CONFIG_DEPENDENT: KindStyle(_c("#a682f0"), _c("#2b2637")),
        NodeKind.GENERATED: KindStyle(_c("#35c29f"), _c("#1f2e2b")),
        NodeKind.MATERIALIZER: KindStyle(_c("#e0669f"), _c("#33232c"), folded=True),
    },
    states={
        NodeState.QUEUED: _c("#7c8796"),
        NodeState.RUNNING: _c("#5b9cff"),
        NodeState.DONE: _c("#4cc36b"),
        NodeState.REUSED: _c("#4cc36b"),
        NodeState.GIVEN: _c("#40c4de"),
        NodeState.FAILED: _c("#ff5c5c"),
        NodeState.INTERRUPTED: _c("#ff8a4c"),
        NodeState.STALE: _c("#f0b429"),
    },
    window=_c("#23272e"),
    base=_c("#1b1f25"),
    text=_c("#e6eaf0"),
    pygments_style="monokai",
)

THEMES = {LIGHT.name: LIGHT, DARK.name: DARK}

KIND_LABELS = {
    NodeKind.FUNCTION: "function",
    NodeKind.INPUT: "external input",
    NodeKind.CONFIG: "config value",
    NodeKind.CONFIG_DEPENDENT: "chosen by config",
    NodeKind.GENERATED: "made by a decorator",
    NodeKind.MATERIALIZER: "materializer (writes a file)",
}


def apply_to_application(app: QApplication, theme: Theme) -> None:
    """Fusion style with a palette that matches the canvas."""
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, theme.window)
    palette.setColor(QPalette.ColorRole.WindowText, theme.text)
    palette.setColor(QPalette.ColorRole.Base, theme.base)
    palette.setColor(QPalette.ColorRole.AlternateBase, theme.window)
    palette.setColor(QPalette.ColorRole.Text, theme.text)
    palette.setColor(QPalette.ColorRole.Button, theme.window)
    palette.setColor(QPalette.ColorRole.ButtonText, theme.text)
    palette.setColor(QPalette.ColorRole.ToolTipBase, theme.base)
    palette.setColor(QPalette.ColorRole.ToolTipText, theme.text)
    highlight = theme.selection.darker(170) if theme.dark else theme.selection
    palette.setColor(QPalette.ColorRole.Highlight, highlight)  # white text stays readable
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, theme.node_subtext)
    palette.setColor(QPalette.ColorRole.Link, theme.upstream)
    muted = QColor(theme.node_subtext)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    app.setPalette(palette)
