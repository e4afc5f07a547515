"""A full or read-only cache folder (issue 31, case 11): the window still loads and runs
the project, says its results are not kept, and leaves no temporary file behind."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(180)

FLOW = """
def base() -> int:
    return 20


def doubled(base: int) -> int:
    return base * 2 + 2
"""


def _mount(target: Path, options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("needs to mount a small tmpfs (root)")


@pytest.fixture
def unwritable_cache(tmp_path, monkeypatch, request):
    """The studio's cache folder on a full disk, or on a read-only one."""
    folder = tmp_path / "cache-disk"
    _mount(folder, "size=64k")
    with contextlib.suppress(OSError):  # the disk is full then
        (folder / "filler").write_bytes(b"x" * 1024 * 1024)
    if request.param == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(folder / "studio"))
    monkeypatch.setenv("STUDIO_CONFIG_DIR", str(folder / "config"))  # the settings too
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.parametrize("unwritable_cache", ["full", "read-only"], indirect=True)
def test_a_full_or_read_only_cache_still_loads_and_runs_and_says_so(
    open_window, qtbot, tmp_path, unwritable_cache
):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "flow.py").write_text(FLOW)
    window = open_window(folder)
    assert set(window.scene.nodes) == {"base", "doubled"}
    record = window.run_controller.run(["doubled"])
    qtbot.waitUntil(lambda: record.finished, timeout=60_000)
    assert record.status == "done", record.message
    text = window.banner.text()
    assert "Results of project are not kept: the cache folder" in text, text
    assert "The project loads and runs" in text
    assert any("results are not kept across restarts" in n for n in record.notes), record.notes
    window.project_session.save()
    window.close()
    qtbot.wait(200)
    leftovers = [
        p.relative_to(unwritable_cache)
        for p in unwritable_cache.rglob("*")
        if p.is_file() and p.name != "filler"
    ]
    # Only the (empty) file for what the run printed, which is kept by design.
    assert all(p.parent.name == "run-output" for p in leftovers), leftovers


@pytest.mark.parametrize("unwritable_cache", ["full", "read-only"], indirect=True)
def test_the_command_line_runs_on_a_full_or_read_only_cache_and_leaves_no_temp_file(
    tmp_path, unwritable_cache
):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "flow.py").write_text(FLOW)
    done = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(folder), "doubled"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"},
    )
    assert done.returncode == 0, done.stderr
    assert "42" in done.stdout
    leftovers = [p for p in unwritable_cache.rglob("*") if p.is_file() and p.name != "filler"]
    assert not leftovers, leftovers
