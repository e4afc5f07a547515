"""The console in the dark theme (issue 29, item 4g): prompts, tracebacks and code are
readable, every colour the console is given at 4.5:1 contrast or more (WCAG) on its
background. qtconsole's own dark look wrote tracebacks in dark blue, red and green on
black."""

import re

import pytest
from PySide6.QtGui import QColor

from studio.ui.kernel.session import KernelSession
from studio.ui.panels.console_panel import ConsolePanel
from studio.ui.theme import DARK, LIGHT


def luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def sheet_colours(sheet: str) -> tuple[QColor, list[tuple[str, QColor, QColor | None]]]:
    """The text background, and each selector's text colour (with its own background,
    if it has one), from a Qt style sheet."""
    background = None
    colours: list[tuple[str, QColor, QColor | None]] = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet):
        found = re.search(r"(?<![-\w])color:\s*([#\w]+)", body)
        fill = re.search(r"background-color:\s*([#\w]+)", body)
        for selector in (s.strip() for s in selectors.split(",")):
            if selector == "QPlainTextEdit" and fill:
                background = QColor(fill.group(1))
            if found:
                colours.append((selector, QColor(found.group(1)), fill and QColor(fill.group(1))))
    assert background is not None, "no background in the style sheet"
    return background, colours


@pytest.fixture
def panel(qtbot):
    panel = ConsolePanel(KernelSession(), LIGHT)
    qtbot.addWidget(panel)
    panel.set_theme(DARK)
    return panel


def test_every_colour_of_the_dark_console_reads_at_4_5_to_1(panel):
    console = panel.widget
    background, colours = sheet_colours(console.style_sheet)
    assert background.lightness() < 80, "the dark console is not dark"
    shown = {}
    for selector, colour, fill in colours:
        if fill is not None and fill != background:  # on a background of its own
            assert contrast(colour, fill) >= 4.5, f"{selector}: {colour.name()} on {fill.name()}"
        else:
            shown[f"style sheet {selector}"] = colour
    for selector in (".in-prompt", ".out-prompt", ".error", "QPlainTextEdit"):
        assert f"style sheet {selector}" in shown, f"{selector} has no colour of its own"
    ansi = console._ansi_processor
    # What tracebacks and coloured output are written in: the 16 ANSI colours, the
    # xterm 256 (IPython highlights a traceback's code in them) and 24-bit ones.
    for code in [*range(256), (0, 135, 0), (20, 20, 120)]:
        ansi.reset_sgr()
        ansi.foreground_color = code
        shown[f"ANSI colour {code}"] = ansi.get_format().foreground().color()
    ansi.reset_sgr()
    for token, style in console._highlighter._style:  # the code typed at the prompt
        if style["color"]:
            fill = QColor(f"#{style['bgcolor']}") if style["bgcolor"] else background
            if contrast(QColor(f"#{style['color']}"), fill) < 4.5:
                shown[f"syntax {token}"] = QColor(f"#{style['color']}")
    poor = {
        name: f"{colour.name()} at {contrast(colour, background):.2f}:1"
        for name, colour in shown.items()
        if contrast(colour, background) < 4.5
    }
    assert not poor, f"colours under 4.5:1 on {background.name()}: {poor}"


def test_the_light_theme_gives_back_qtconsoles_light_colours(panel):
    panel.set_theme(LIGHT)
    background, _colours = sheet_colours(panel.widget.style_sheet)
    assert background.lightness() > 200
    assert panel.widget._ansi_processor.get_color(7).name() == "#000000"  # white as black
