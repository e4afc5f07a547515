"""Files the commands write for the user: whole or not at all, through links, in folders
that exist (issue 31)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.atomic_write import replacing
from studio.core.resources import example_path


def graph_to(output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio", "graph", str(example_path("spaceflights")), "-o",
         str(output)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip


def test_graph_into_a_missing_folder_says_so_with_exit_2(tmp_path):
    done = graph_to(tmp_path / "nowhere" / "graph.json")
    assert done.returncode == 2
    assert f"the folder {tmp_path / 'nowhere'} does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_graph_onto_a_link_writes_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "graph.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    done = graph_to(link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.readlink() == Path("graph.json")
    assert '"dataflows"' in target.read_text()


def test_a_write_that_fails_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("a,b\n1,2\n")
    try:
        with replacing(target) as partial:
            partial.write_text("a,b\n3")
            raise OSError("No space left on device")
    except OSError:
        pass
    assert target.read_text() == "a,b\n1,2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


MARKS_ITS_RUN = """
from pathlib import Path

import pytest


def total() -> int:
    Path({mark!r}).write_text("ran")
    return 12
"""


def run_to(project: Path, output: Path, *nodes: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio", "run", str(project), *nodes, "-o", str(output)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip


def _marking_project(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    project.mkdir()
    mark = tmp_path / "ran"
    (project / "flow.py").write_text(MARKS_ITS_RUN.format(mark=str(mark)))
    return project, mark


def test_run_into_a_missing_folder_says_so_with_exit_2_before_running(tmp_path):
    """Issue 31, case 18: `run -o` into a missing folder named the temporary file, exit 1,
    after computing everything."""
    project, mark = _marking_project(tmp_path)
    done = run_to(project, tmp_path / "nowhere" / "total.json", "total")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"studio: cannot write {tmp_path / 'nowhere' / 'total.json'}: "
        f"the folder {tmp_path / 'nowhere'} does not exist"
    )
    assert not mark.exists()  # nothing was computed for a result with nowhere to go


def test_run_onto_a_link_writes_its_target_and_keeps_the_link(tmp_path):
    project, _ = _marking_project(tmp_path)
    (tmp_path / "results").mkdir()
    target = tmp_path / "results" / "total.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "total.json"
    link.symlink_to(Path("results") / "total.json")
    done = run_to(project, link, "total")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.readlink() == Path("results") / "total.json"
    assert target.read_text().strip() == "12"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["total.json"]


def test_a_code_edit_onto_a_linked_module_writes_its_target_and_keeps_the_link(tmp_path):
    """Code edits go through the same helper as `-o`: whole or not at all, through links."""
    from studio.core.editing.edit_plan import EditPlan, FileChange

    (tmp_path / "shared").mkdir()
    module = tmp_path / "shared" / "flow.py"
    module.write_bytes(b"def a() -> int:\n    return 1\n")
    link = tmp_path / "flow.py"
    link.symlink_to(module)
    plan = EditPlan(
        "a returns 2", (FileChange(link, module.read_bytes(), b"def a() -> int:\n    return 2\n"),)
    )
    plan.apply()
    assert link.is_symlink() and b"return 2" in module.read_bytes()
    plan.undo()
    assert link.is_symlink() and b"return 1" in module.read_bytes()
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == ["flow.py"]


def _small_disk(target: Path) -> None:
    target.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(target)],
        capture_output=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip("needs to mount a small tmpfs (root)")


def test_run_onto_a_full_disk_keeps_the_old_file_whole_and_says_why(tmp_path):
    """Issue 31, case 4, on a real full disk: the old file stays, nothing is left beside it."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "flow.py").write_text(
        "import pandas as pd\n\n\ndef big() -> pd.DataFrame:\n"
        "    return pd.DataFrame({'x': range(200_000)})\n"
    )
    disk = tmp_path / "disk"
    _small_disk(disk)
    try:
        old = disk / "big.csv"
        old.write_text("x\n1\n")
        done = run_to(project, old, "big")
        assert done.returncode == 1
        assert done.stderr.strip() == f"studio: cannot write {old}: No space left on device"
        assert old.read_text() == "x\n1\n"
        assert [p.name for p in disk.iterdir()] == ["big.csv"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_an_output_that_is_a_loop_of_links_is_refused_in_one_line(tmp_path):
    project, mark = _marking_project(tmp_path)
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop.name)
    for done in (run_to(project, loop, "total"), graph_to(loop)):
        assert done.returncode == 2
        assert done.stderr.strip() == (
            f"studio: cannot write {loop}: its symbolic links lead back to themselves"
        )
    assert not mark.exists()
