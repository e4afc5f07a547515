"""A damaged result cache (issue 31, case 3): a result file cut short by a killed
write is dropped and computed again, never blamed on the user's code, and no result
file is ever written in part under its final name."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner

FLOW = """
def big() -> bytes:
    return bytes(range(256)) * 4000


def size(big: bytes) -> int:
    return len(big)
"""


@pytest.fixture
def folder(tmp_path):
    before = Path.cwd()
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "flow.py").write_text(FLOW)
    yield tmp_path / "project"
    os.chdir(before)


def _runner_and_flow(folder: Path, cache: Path):  # type: ignore[no-untyped-def]
    runner = Runner(cache_path=cache)
    adapters = runner.adapters()
    loaded = load_project(folder, adapters=list(adapters)).loaded
    assert loaded.snapshot.ok, loaded.snapshot.errors
    loaded.hook = adapters[1]
    return runner, loaded


def _result_files(cache: Path) -> list[Path]:
    return [p for p in cache.iterdir() if p.is_file() and not p.name.startswith("metadata")]


def test_a_truncated_cached_result_is_dropped_and_computed_again_with_a_note(folder):
    cache = folder.parent / "cache"
    runner, loaded = _runner_and_flow(folder, cache)
    assert runner.run(loaded, ["size"]).status == "done"
    big = max(_result_files(cache), key=lambda p: p.stat().st_size)
    big.write_bytes(big.read_bytes()[:5000])  # what a kill -9 during the write left

    for attempt in range(2):  # a fresh kernel: nothing kept in memory
        runner, loaded = _runner_and_flow(folder, cache)
        outcome = runner.run(loaded, ["size"])
        assert outcome.status == "done", outcome.message
        assert runner.results["size"] == 1_024_000
        statuses = {n.name: n.status for n in outcome.nodes}
        noted = " ".join(outcome.notes)
        if attempt == 0:
            assert statuses["big"] == "computed"
            assert "big: its result in the disk cache could not be read" in noted
            assert "dropped and computed again" in noted and "truncated" in noted
        else:  # written whole the second time: reused
            assert statuses == {"big": "reused", "size": "reused"}, statuses
            assert not noted


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner

folder, cache = Path(sys.argv[1]), Path(sys.argv[2])
real_replace = os.replace
def replace(source, target):  # the process is killed once the big result is on disk
    if Path(source).stat().st_size > 100_000:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, target)
os.replace = replace
runner = Runner(cache_path=cache)
adapters = runner.adapters()
loaded = load_project(folder, adapters=list(adapters)).loaded
loaded.hook = adapters[1]
runner.run(loaded, ["size"])
"""


def test_a_write_killed_half_way_leaves_no_result_under_its_final_name(folder):
    cache = folder.parent / "cache"
    script = folder.parent / "killed.py"
    script.write_text(textwrap.dedent(KILLED_WRITE))
    done = subprocess.run(
        [sys.executable, str(script), str(folder), str(cache)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -9, done.stderr
    named = [p for p in _result_files(cache) if not p.name.endswith(".partial")]
    assert all(p.stat().st_size < 100_000 for p in named), named  # only the small ones
    runner, loaded = _runner_and_flow(folder, cache)
    outcome = runner.run(loaded, ["size"])
    assert outcome.status == "done" and runner.results["size"] == 1_024_000
    assert not any("could not be read" in note for note in outcome.notes)


def test_what_a_killed_write_left_is_removed_by_the_next_trim(folder):
    from studio.kernel.running.cache_trim import trim

    cache = folder.parent / "cache"
    cache.mkdir()
    left = cache / ".abc.999999999.1.partial"  # no such process
    left.write_bytes(b"half")
    ours = cache / f".def.{os.getpid()}.1.partial"  # a write going on
    ours.write_bytes(b"half")
    trim(cache, 10**9)
    assert not left.exists() and ours.exists()
