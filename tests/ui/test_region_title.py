"""A module's name stays readable zoomed out (issue 29: regions drawn unnamed): its title
keeps about 11 px on screen, rising out of its band rather than shrinking with it."""

from PySide6.QtCore import QRect

from studio.core.graph.snapshot import GraphSnapshot
from tests.helpers import drawn_in_view, make_node


def _text_rows(image, theme) -> int:
    """How many pixel rows of `image` hold the title's colour."""
    text = theme.region_text
    rows = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - text.red()) < 40
                and abs(pixel.green() - text.green()) < 40
                and abs(pixel.blue() - text.blue()) < 40
            ):
                rows += 1
                break
    return rows


def test_a_module_title_is_written_large_enough_to_read_far_out(qtbot):
    from studio.ui.theme import LIGHT

    snapshot = GraphSnapshot(
        "flow",
        nodes=(
            make_node("raw", group="features_module"),
            *(make_node(f"feature_{i}", ["raw"], group="features_module") for i in range(8)),
        ),
    )
    _workspace, scene, view = drawn_in_view(qtbot, snapshot, (600, 400), "grouped")
    region = scene.regions["features_module"]
    view.set_zoom(0.35)
    view.centerOn(region.rect().topLeft())
    corner = view.mapFromScene(region.rect().topLeft())
    image = view.viewport().grab(QRect(corner.x() + 2, corner.y() - 16, 120, 32)).toImage()
    assert _text_rows(image, LIGHT) >= 7, "the module's title is too small to read"
    view.close()
    scene.deleteLater()
