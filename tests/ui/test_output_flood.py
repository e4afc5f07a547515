"""A node that prints megabytes: the window keeps the newest part, says how much it
left out and where all of it is, and stays responsive (issue 17)."""

import pytest

pytestmark = pytest.mark.timeout(180)

LOUD = """
def loud() -> int:
    for i in range(60_000):
        print(f"line {i:06d} " + "x" * 38)
    return 1
"""


def test_a_flood_of_output_is_cut_for_the_window_and_kept_whole_in_a_file(
    open_window, qtbot, tmp_path
):
    from studio.core.runs.run_records import OUTPUT_KEPT

    folder = tmp_path / "loud"
    folder.mkdir()
    (folder / "loud.py").write_text(LOUD)
    window = open_window(folder)
    low = window.docks["run-log"].height()
    window.docks.show("console")
    window.docks.show("run-log")
    qtbot.waitUntil(lambda: window.docks["run-log"].height() > low + 100, timeout=5_000)
    record = window.run_controller.run(["loud"])
    qtbot.waitUntil(lambda: record.finished, timeout=60_000)  # minutes before the fix
    assert record.status == "done"
    held = "".join(record.output)
    assert len(held) <= OUTPUT_KEPT and held.rstrip().endswith("line 059999 " + "x" * 38)
    assert record.output_left_out > 2_500_000
    whole = record.output_file.read_text()
    assert whole.count("\n") == 60_000 and whole.startswith("line 000000 ")
    detail = window.run_log.detail_text()
    assert "left out here; all of it is in" in detail and record.output_file.name in detail
    shown = detail.split("left out here")[1].splitlines()
    assert all(line.startswith("line ") for line in shown[1:] if line.strip())
    qtbot.waitUntil(lambda: "the Run Log has the rest" in window.console.text(), timeout=20_000)
    assert len(window.console.text()) < 40_000
