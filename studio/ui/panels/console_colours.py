"""The console's colours in the dark theme: every one readable on its background.

qtconsole's own dark look writes prompts and tracebacks in dark red, green
and blue on black (its ANSI colours for a dark background are the dim ones),
far under the 4.5:1 contrast text needs (WCAG). These replace them: a style
sheet on the theme's background, bright ANSI colours, and a Pygments style
whose every token colour reads on that background. What the kernel writes in
colours of its own (IPython's 256-colour and 24-bit traceback highlighting)
is lightened, or darkened, until it reads too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat

from studio.ui.theme import Theme

MIN_CONTRAST = 4.5
"""WCAG's least contrast for text."""

DARK_SYNTAX_STYLE = "lightbulb"
"""A Pygments style whose token colours all reach 4.5:1 on the dark theme's base."""

DARK_ANSI: dict[int, str] = {
    0: "#9aa5b4",  # black: grey, or it would vanish
    1: "#ff6b6b",  # red
    2: "#4ec97b",  # green
    3: "#e5c07b",  # yellow
    4: "#6cb6ff",  # blue
    5: "#d291ff",  # magenta
    6: "#56c8d8",  # cyan
    7: "#d0d6de",  # white
    8: "#a8b2c0",  # bright black
    9: "#ff8787",  # bright red
    10: "#7ee2a0",  # bright green
    11: "#ffe08a",  # bright yellow
    12: "#9ccbff",  # bright blue
    13: "#e3b3ff",  # bright magenta
    14: "#8be3ee",  # bright cyan
    15: "#ffffff",  # bright white
}
"""ANSI colour codes (what tracebacks and coloured output use) on the dark background."""


def dark_style_sheet(theme: Theme) -> str:
    """qtconsole's style sheet (text, prompts, errors) in the dark theme's colours."""
    background, text = theme.base.name(), theme.text.name()
    return f"""
    QPlainTextEdit, QTextEdit {{
        background-color: {background};
        background-clip: padding;
        color: {text};
        selection-background-color: #3a4a60;
    }}
    .inverted {{ background-color: {text}; color: {background}; }}
    .error {{ color: {DARK_ANSI[1]}; }}
    .in-prompt-number {{ font-weight: bold; }}
    .out-prompt-number {{ font-weight: bold; }}
    .in-prompt, .in-prompt-number {{ color: {DARK_ANSI[2]}; }}
    .out-prompt, .out-prompt-number {{ color: {DARK_ANSI[1]}; }}
    """


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = colour.redF(), colour.greenF(), colour.blueF()
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: QColor, background: QColor) -> QColor:
    """`colour`, lightened on a dark background (darkened on a light one) until it
    reaches `MIN_CONTRAST`; its hue is kept."""
    if contrast(colour, background) >= MIN_CONTRAST:
        return colour
    hue, saturation, lightness, alpha = colour.getHslF()
    step = 0.04 if background.lightnessF() < 0.5 else -0.04
    end = 1.0 if step > 0 else 0.0
    shade = QColor(colour)
    while contrast(shade, background) < MIN_CONTRAST and lightness != end:
        lightness = min(1.0, max(0.0, lightness + step))
        shade = QColor(QColor.fromHslF(max(hue, 0.0), saturation, lightness, alpha).rgba())
    return shade


def keep_readable(processor: Any, background: QColor) -> None:
    """Have qtconsole's ANSI processor give every text colour it makes at least
    `MIN_CONTRAST` on `background` (the colours come from the kernel's output)."""
    processor.studio_background = QColor(background)
    if getattr(processor, "studio_guarded", False):
        return
    made = processor.get_format

    def get_format() -> QTextCharFormat:
        text_format: QTextCharFormat = made()
        foreground = text_format.foreground()
        if foreground.style() != Qt.BrushStyle.NoBrush:
            behind = text_format.background()
            fill = behind.color() if behind.style() != Qt.BrushStyle.NoBrush else None
            text_format.setForeground(
                readable(foreground.color(), fill or processor.studio_background)
            )
        return text_format

    processor.get_format = get_format
    processor.studio_guarded = True
