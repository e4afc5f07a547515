"""Plots and pictures as images the results panel can show: PNG bytes, or SVG text.

Each library draws its own picture with its own exporter, in the kernel:
matplotlib (and seaborn's grids, which hold a matplotlib figure) with
`savefig`, altair through vl-convert, plotly through kaleido (0.2.1 ships
its own headless Chromium in its wheel), PIL images
with `save`, and any object with IPython's `_repr_png_` or `_repr_svg_`.
No browser is downloaded or asked for. Where a library's exporter is not installed the
value says so (`ImageUnavailableError`) and is shown as text.
"""

from __future__ import annotations

import base64
import functools
import io
import threading
from pathlib import Path
from typing import Any

DPI = 110
_KALEIDO_BUSY = threading.Lock()
"""Held while kaleido draws: results are described one at a time, so a held lock is a hang."""


class ImageUnavailableError(Exception):
    """A chart whose library's image export is missing here; the message says what to install."""


def image_of(value: Any) -> dict[str, str] | None:
    """{"png": base64} or {"svg": text} for a picture, None when the value is not one.

    Raises ImageUnavailableError for a chart that cannot be drawn here.
    """
    module = type(value).__module__
    root = module.split(".")[0]
    if root in ("matplotlib", "seaborn"):
        figure = _matplotlib_figure(value)
        if figure is not None:
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
            return _png(buffer.getvalue())
    if root == "altair" and hasattr(value, "to_dict") and hasattr(value, "save"):
        return _png(_altair_png(value))
    if root == "plotly" and hasattr(value, "to_image"):
        return _png(_plotly_png(value))
    if root == "PIL" and hasattr(value, "save") and hasattr(value, "mode"):
        buffer = io.BytesIO()
        image = (
            value if value.mode in ("RGB", "RGBA", "L", "LA", "P", "1") else value.convert("RGBA")
        )
        image.save(buffer, format="PNG")
        return _png(buffer.getvalue())
    return _repr_image(value)


def _matplotlib_figure(value: Any) -> Any:
    """The figure to save: the value itself, or the one an Axes or a seaborn grid draws in."""
    if hasattr(value, "savefig") and hasattr(value, "get_axes"):
        return value
    figure = getattr(value, "figure", None) or getattr(value, "fig", None)
    return figure if hasattr(figure, "savefig") else None


def _altair_png(chart: Any) -> bytes:
    try:
        import vl_convert
    except ImportError:
        raise ImageUnavailableError(
            "altair draws PNGs with vl-convert-python, which is not installed in the "
            "project's environment (pip install vl-convert-python)"
        ) from None
    return bytes(vl_convert.vegalite_to_png(chart.to_dict(), scale=1.5))


def _plotly_png(figure: Any) -> bytes:
    """The figure's PNG by kaleido: 0.2.x's own headless Chromium, or 1.x through plotly.

    kaleido 0.2.1 ships its Chromium inside its wheel: it is driven directly
    with the plotly.js of the installed plotly (plotly 7 talks only to
    kaleido 1.x, which needs a Chrome it downloads; kaleido 0.2.1 left alone
    would fetch plotly.js from a CDN).
    """
    try:
        import kaleido
    except ImportError:
        raise ImageUnavailableError(
            "plotly draws PNGs with kaleido, which is not installed in the project's "
            "environment (pip install kaleido==0.2.1: it ships its own headless browser)"
        ) from None
    kaleido_version = str(getattr(kaleido, "__version__", "1"))
    if not _KALEIDO_BUSY.acquire(blocking=False):
        raise ImageUnavailableError(
            "kaleido has not answered for an earlier figure (kaleido 0.2.1 is known to hang "
            "on some Windows machines); restart the kernel to try again"
        )
    try:
        if kaleido_version.startswith("0."):
            png = _kaleido_scope().transform(figure, format="png", scale=1.5)
        else:
            png = figure.to_image(format="png", scale=1.5)
        _KALEIDO_BUSY.release()  # kept by a call that never returns: the next fails at once
        return bytes(png)
    except Exception as error:
        _KALEIDO_BUSY.release()
        failure = f"{type(error).__name__}: {error}"
        hint = "" if kaleido_version.startswith("0.") else " (kaleido 1.x needs Chrome)"
        raise ImageUnavailableError(f"plotly's PNG export failed{hint}: {failure}") from None


@functools.cache
def _kaleido_scope() -> Any:
    """One kaleido 0.2 process per kernel (it starts in about a second, then draws in ~40 ms)."""
    import plotly
    from kaleido.scopes.plotly import PlotlyScope

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return PlotlyScope(plotlyjs=str(plotly_js), mathjax=False)


def _repr_image(value: Any) -> dict[str, str] | None:
    if isinstance(value, type):
        return None
    png = _call(value, "_repr_png_")
    if isinstance(png, tuple):
        png = png[0]
    if isinstance(png, bytes) and png:
        return _png(png)
    if isinstance(png, str) and png:
        return {"png": png}  # IPython allows base64 text
    svg = _call(value, "_repr_svg_")
    if isinstance(svg, tuple):
        svg = svg[0]
    if isinstance(svg, bytes):
        svg = svg.decode("utf-8", "replace")
    if isinstance(svg, str) and "<svg" in svg:
        return {"svg": svg}
    return None


def _call(value: Any, method: str) -> Any:
    function = getattr(value, method, None)
    if not callable(function):
        return None
    try:
        return function()
    except Exception:  # a repr that fails is no picture
        return None


def _png(data: bytes) -> dict[str, str]:
    return {"png": base64.b64encode(data).decode("ascii")}
