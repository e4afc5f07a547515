"""The window shows what the driver scripts say: each driver, run-time config, every error."""

from textwrap import dedent

import pytest

from studio.core.discovery.project import ValueKind

pytestmark = pytest.mark.timeout(180)

FRAMES = """
    from hamilton.function_modifiers import config

    @config.when(load="small")
    def rows__small() -> list:
        return [1, 2]

    @config.when(load="big")
    def rows__big(size: int) -> list:
        return list(range(size))

    def count(rows: list) -> int:
        return len(rows)
"""

RUN = """
    import os
    from hamilton import driver
    import frames

    small = driver.Builder().with_modules(frames).with_config({"load": "small"}).build()
    cfg = {"load": "big", "size": int(os.environ["SIZE"])}
    big = driver.Builder().with_modules(frames).with_config(cfg).build()
"""


def write(folder, files):
    for name, text in files.items():
        (folder / name).write_text(dedent(text))
    return folder


def test_each_driver_is_a_dataflow_and_run_time_config_stays_visible(open_window, qtbot, tmp_path):
    write(tmp_path, {"frames.py": FRAMES, "run.py": RUN})
    window = open_window(tmp_path)
    combo = window.dataflow_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["run · small", "run · big"]
    assert window.dataflow_combo_action.isVisible()
    tooltip = combo.itemData(1, 3)  # Qt.ToolTipRole
    assert "built in run.py:8" in tooltip and "modules: frames" in tooltip
    assert "size" not in window.scene.nodes

    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        combo.activated.emit(1)
    script_values = window.workspace.script_values
    qtbot.waitUntil(
        lambda: (
            "size" in script_values.of(ValueKind.CONFIG, "run · big")
            and not script_values.evaluating
        ),
        timeout=30_000,
    )
    editor = window.config_editor
    table = editor._table
    rows = {table.item(r, 0).text(): table.item(r, 1) for r in range(table.rowCount())}
    assert rows["load"].text() == "'big'"
    assert rows["size"].text() == ""
    # the script's value, evaluated once trusted, fails here: its own traceback says why
    tip = rows["size"].toolTip()
    assert "run.py:7" in tip and "KeyError: 'SIZE'" in tip
    assert editor.values() == {"load": "big"}  # an empty run-time key is not passed
    assert "size" in window.scene.nodes  # an input, since the script's value is unknown here

    rows["size"].setText("3")
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        editor.apply()
    assert "size" in window.scene.nodes
    assert window.workspace.graph.snapshot.config == {"load": "big", "size": 3}


def test_the_banner_lists_every_error_with_what_to_install(open_window, qtbot, tmp_path):
    write(
        tmp_path,
        {
            "a.py": "import sklearn\n\n\ndef a() -> int:\n    return 1\n",
            "b.py": "def b(:\n    pass\n",
            "c.py": "import cv2\n\n\ndef c() -> int:\n    return 1\n",
        },
    )
    window = open_window(tmp_path, wait=False)
    qtbot.waitUntil(
        lambda: window.banner.isVisible() and "error" in window.banner.text(), timeout=60_000
    )
    text = window.banner.text()
    assert "2 more errors: see Details" in text
    details = window.banner.details()
    assert "a.py, line 1" in details and "b.py, line 1" in details and "c.py, line 1" in details
    assert "install scikit-learn into this environment" in details
    assert "install opencv-python into this environment" in details
    assert not window.banner._details.isVisible()
    window.banner._toggle.click()
    assert window.banner._details.isVisible()
