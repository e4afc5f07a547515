"""Plots and pictures become images drawn by their own library's exporter (no browser)."""

import base64
import io

import pytest

from studio.kernel.results.viewers import describe_result

PNG_MAGIC = b"\x89PNG"


def png_size(info: dict) -> tuple[int, int]:
    from PIL import Image

    data = base64.b64decode(info["png"])
    assert data.startswith(PNG_MAGIC)
    return Image.open(io.BytesIO(data)).size


def test_matplotlib_axes_and_seaborn_grids_render_as_png():
    import matplotlib

    matplotlib.use("Agg")
    sns = pytest.importorskip("seaborn")
    import matplotlib.pyplot as plt
    import pandas as pd

    _figure, axes = plt.subplots()
    axes.plot([1, 2, 3])
    assert describe_result(axes)["kind"] == "image"
    grid = sns.FacetGrid(pd.DataFrame({"x": [1, 2, 3, 4], "g": ["a", "a", "b", "b"]}), col="g")
    info = describe_result(grid)
    assert info["kind"] == "image"
    width, height = png_size(info)
    assert width > height  # two panels side by side
    plt.close("all")


def test_an_altair_chart_is_drawn_by_vl_convert():
    alt = pytest.importorskip("altair")
    pytest.importorskip("vl_convert")
    import pandas as pd

    chart = (
        alt.Chart(pd.DataFrame({"a": [1, 2, 3], "b": [3, 1, 2]})).mark_bar().encode(x="a", y="b")
    )
    info = describe_result(chart)
    assert info["kind"] == "image"
    assert min(png_size(info)) > 50


def test_a_plotly_figure_is_drawn_by_kaleido_own_headless_browser():
    go = pytest.importorskip("plotly.graph_objects")
    pytest.importorskip("kaleido")
    from PIL import Image

    figure = go.Figure(go.Bar(y=[1, 3, 2], marker_color="#ff0000"))
    figure.update_layout(width=300, height=200)
    info = describe_result(figure)
    assert info["kind"] == "image", info.get("image_note")
    image = Image.open(io.BytesIO(base64.b64decode(info["png"]))).convert("RGB")
    assert image.size == (450, 300)  # the figure's own size at scale 1.5
    assert image.getcolors(1 << 20) is not None
    red = sum(count for count, rgb in image.getcolors(1 << 20) if rgb == (255, 0, 0))
    assert red > 1000  # the bars are drawn, not just an empty frame


def test_a_kaleido_that_hangs_is_not_waited_for_again(monkeypatch):
    """kaleido 0.2.1 hangs on some Windows machines: the display gives the first figure up
    (its time limit); the next one says why at once instead of waiting again."""
    go = pytest.importorskip("plotly.graph_objects")
    pytest.importorskip("kaleido")
    import threading

    from studio.kernel.results import images

    release = threading.Event()

    class HangingScope:
        def transform(self, *_args, **_kwargs):
            release.wait(10)
            return b"late"

    monkeypatch.setattr(images, "_kaleido_scope", HangingScope)
    figure = go.Figure(go.Bar(y=[1, 2]))
    stuck = threading.Thread(target=lambda: describe_result(figure), daemon=True)
    stuck.start()
    stuck.join(0.3)
    assert stuck.is_alive()
    info = describe_result(figure)
    assert info["kind"] == "text" and "has not answered" in info["image_note"]
    release.set()
    stuck.join(5)


def test_a_plotly_figure_without_kaleido_is_text_that_says_why(monkeypatch):
    go = pytest.importorskip("plotly.graph_objects")
    import sys

    monkeypatch.setitem(sys.modules, "kaleido", None)  # as here: kaleido is not installed
    info = describe_result(go.Figure(go.Bar(y=[1, 3, 2])))
    assert info["kind"] == "text"
    assert "kaleido" in info["image_note"]


def test_pil_images_and_repr_png_or_svg_objects_are_pictures():
    from PIL import Image

    info = describe_result(Image.new("RGB", (40, 30), "red"))
    assert info["kind"] == "image" and png_size(info) == (40, 30)
    cmyk = describe_result(Image.new("CMYK", (8, 8)))
    assert png_size(cmyk) == (8, 8)

    class Drawing:
        def _repr_svg_(self):
            return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'

    svg = describe_result(Drawing())
    assert svg["kind"] == "image" and svg["svg"].startswith("<svg")

    class Broken:
        def _repr_png_(self):
            raise RuntimeError("no")

    assert describe_result(Broken())["kind"] == "text"
