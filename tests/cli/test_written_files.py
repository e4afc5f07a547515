"""Files the commands write for the user: whole or not at all, through links, in folders
that exist (issue 31)."""

import os
import subprocess
import sys
from pathlib import Path

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
