"""A result computed from a file is reused only while the file is as it was read (issue
31, case 2): in memory, from the disk cache after a restart, on threads."""

import os
import time
from pathlib import Path

import pytest

from studio.core.runs.executors import ExecutorChoice, ExecutorKind
from studio.core.runs.file_reads import file_salts
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner

FLOW = """
from pathlib import Path

import pandas as pd


def table() -> pd.DataFrame:
    return pd.read_csv(Path(__file__).parent / "data.csv")


def total(table: pd.DataFrame) -> int:
    return int(table["x"].sum())


def constant() -> int:
    return 7
"""


@pytest.fixture
def folder(tmp_path):
    before = Path.cwd()
    project = tmp_path / "project"
    project.mkdir()
    (project / "flow.py").write_text(FLOW)
    (project / "data.csv").write_text("x\n1\n2\n")
    yield project
    os.chdir(before)


def _kernel(folder: Path, cache: Path):  # type: ignore[no-untyped-def]
    runner = Runner(cache_path=cache)
    adapters = runner.adapters()
    loaded = load_project(folder, adapters=list(adapters)).loaded
    assert loaded.snapshot.ok, loaded.snapshot.errors
    loaded.hook = adapters[1]
    return runner, loaded


def _edit(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text)
    if path.stat().st_mtime_ns == before:  # a coarse clock: the edit must show
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def _statuses(outcome) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {n.name: str(n.status) for n in outcome.nodes}


def test_a_changed_data_file_is_read_again_in_memory_and_from_the_disk_cache(folder):
    cache = folder.parent / "cache"
    runner, loaded = _kernel(folder, cache)
    first = runner.run(loaded, ["total", "constant"])
    assert first.status == "done", first.message
    assert runner.results["total"] == 3
    assert [s.path for s in first.reads["table"]] == [str(folder / "data.csv")]
    assert first.reads["total"] == [] and first.reads["constant"] == []
    again = runner.run(loaded, ["total"])
    assert again.reused_from_memory == ["total"]  # nothing changed: reused

    _edit(folder / "data.csv", "x\n10\n20\n")
    edited = runner.run(loaded, ["total"])
    assert runner.results["total"] == 30, edited
    assert _statuses(edited) == {"table": "computed", "total": "computed"}
    assert runner.run(loaded, ["total"]).reused_from_memory == ["total"]

    runner, loaded = _kernel(folder, cache)  # a restart: the disk cache only
    reused = runner.run(loaded, ["total"])
    assert _statuses(reused) == {"table": "reused", "total": "reused"}
    assert runner.results["total"] == 30
    _edit(folder / "data.csv", "x\n100\n")
    runner, loaded = _kernel(folder, cache)
    restarted = runner.run(loaded, ["total"])
    assert runner.results["total"] == 100
    assert _statuses(restarted) == {"table": "computed", "total": "computed"}


def test_the_same_bytes_again_is_not_a_change_and_a_deleted_file_is(folder):
    cache = folder.parent / "cache"
    runner, loaded = _kernel(folder, cache)
    outcome = runner.run(loaded, ["total"])
    data = folder / "data.csv"
    later = time.time_ns() + 5_000_000_000
    os.utime(data, ns=(later, later))  # touched: same bytes
    assert file_salts(outcome.reads) == ({}, {})
    assert runner.run(loaded, ["total"]).reused_from_memory == ["total"]
    data.unlink()
    salts, reasons = file_salts(outcome.reads, folder)
    assert set(salts) == {"table"} and reasons == {"table": "data.csv changed"}


def test_files_read_on_the_thread_executor_are_recorded_too(folder):
    cache = folder.parent / "cache"
    runner, loaded = _kernel(folder, cache)
    threads = ExecutorChoice(ExecutorKind.THREADS)
    first = runner.run(loaded, ["total"], executor=threads)
    assert first.status == "done", first.message
    assert [s.path for s in first.reads.get("table", [])] == [str(folder / "data.csv")]
    _edit(folder / "data.csv", "x\n5\n")
    runner.run(loaded, ["total"], executor=threads)
    assert runner.results["total"] == 5


def test_files_read_by_worker_processes_are_recorded_with_their_results(folder):
    cache = folder.parent / "cache"
    runner, loaded = _kernel(folder, cache)
    processes = ExecutorChoice(ExecutorKind.PROCESSES)
    first = runner.run(loaded, ["total"], executor=processes)
    assert first.status == "done", first.message
    assert [s.path for s in first.reads.get("table", [])] == [str(folder / "data.csv")]
    assert runner.run(loaded, ["total"], executor=processes).reused_from_memory == ["total"]
    _edit(folder / "data.csv", "x\n8\n")
    runner.run(loaded, ["total"], executor=processes)
    assert runner.results["total"] == 8
    runner, loaded = _kernel(folder, cache)  # a restart: the workers check the disk cache
    _edit(folder / "data.csv", "x\n9\n")
    runner.run(loaded, ["total"], executor=processes)
    assert runner.results["total"] == 9


OWN_FILES = """
import tempfile
from pathlib import Path


def scratch() -> int:
    with tempfile.TemporaryDirectory() as folder:  # written, read back, removed
        path = Path(folder) / "part.txt"
        path.write_text("5")
        return int(path.read_text())


def report(scratch: int) -> int:
    out = Path(__file__).parent / "report.txt"
    out.write_text(str(scratch))  # its output, read back: not its input
    Path("/etc/hostname").exists() and Path("/etc/hostname").read_text()
    return int(out.read_text())
"""


def test_a_nodes_own_files_and_the_systems_are_not_its_inputs(folder):
    (folder / "own.py").write_text(OWN_FILES)
    (folder / "flow.py").unlink()
    runner, loaded = _kernel(folder, folder.parent / "cache")
    outcome = runner.run(loaded, ["report"])
    assert outcome.status == "done", outcome.message
    assert outcome.reads == {"scratch": [], "report": []}
    assert runner.run(loaded, ["report"]).reused_from_memory == ["report"]
