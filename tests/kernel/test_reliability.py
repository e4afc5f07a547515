"""Bad input that used to break a load or a run (issue 17): each gets a clear message
and leaves the rest working."""

import multiprocessing
import os
import stat
import tempfile
from pathlib import Path

import pytest

from studio.core.discovery.discover import discover
from studio.kernel.loading.graph_cycles import find_cycle
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner

CYCLE = """
def a(b: int) -> int:
    return b + 1


def b(a: int) -> int:
    return a * 2


def c(b: int) -> int:
    return b
"""

UNPICKLABLE = """
import socket


def connection() -> socket.socket:
    return socket.socket()


def scale() -> object:
    return lambda x: x * 2


def port(connection: socket.socket) -> int:
    return 0 if connection.fileno() < 0 else 1
"""


@pytest.fixture
def folder(tmp_path):
    before = Path.cwd()
    yield tmp_path
    os.chdir(before)


def test_a_cycle_is_named_at_load_with_where_each_function_is(folder):
    (folder / "loop.py").write_text(CYCLE)
    errors = load_project(folder).snapshot.errors
    assert len(errors) == 1
    assert "a → b → a" in errors[0].message or "b → a → b" in errors[0].message
    assert "a at loop.py:2" in errors[0].message and "b at loop.py:6" in errors[0].message
    assert (errors[0].file, errors[0].line) in {("loop.py", 2), ("loop.py", 6)}


def test_cycles_are_found_in_any_order_and_plain_graphs_have_none():
    assert find_cycle({"x": ["y"], "y": ["z"], "z": ["x"], "w": ["x"]}) == ["x", "y", "z", "x"]
    assert find_cycle({"x": ["x"]}) == ["x", "x"]
    assert find_cycle({"x": ["y", "z"], "y": ["z"], "z": [], "i": []}) is None


def test_results_pickle_cannot_write_stay_in_memory_and_the_run_says_so(folder):
    (folder / "clients.py").write_text(UNPICKLABLE)
    loaded = load_project(folder).loaded
    runner = Runner(cache_path=folder / "cache")
    cache, hook = runner.adapters()
    assert loaded.snapshot.ok, loaded.snapshot.errors
    loaded = load_project(folder, adapters=[cache, hook]).loaded
    loaded.hook = hook
    outcome = runner.run(loaded, ["port", "scale"])
    assert outcome.status == "done", outcome.message
    assert runner.results["port"] == 1 and runner.results["scale"](21) == 42
    noted = " ".join(outcome.notes)
    assert "connection is kept in memory only" in noted and "scale is kept" in noted
    first = runner.results["connection"]
    again = runner.run(loaded, ["connection"])
    assert again.status == "done" and again.reused_from_memory == ["connection"]
    assert runner.results["connection"] is first


def _discover_as_nobody(root: str, found) -> None:  # type: ignore[no-untyped-def]
    os.setgid(65534)
    os.setuid(65534)
    project = discover(root)
    found.put(([str(p) for p in project.problems], list(project.dataflows[0].modules)))


@pytest.mark.filterwarnings("ignore:This process.*is multi-threaded:DeprecationWarning")
def test_unreadable_folders_and_files_are_skipped_with_a_warning_naming_them():
    """Root reads every folder: the scan runs as another user, as the issue's did."""
    if os.geteuid() != 0:
        pytest.skip("needs to start a process as another user")
    root = Path(tempfile.mkdtemp(prefix="studio-locked-"))
    try:
        root.chmod(0o755)
        (root / "features.py").write_text("def x() -> int:\n    return 1\n")
        (root / "secret.py").write_text("def y() -> int:\n    return 2\n")
        (root / "secret.py").chmod(0)
        locked = root / "locked"
        locked.mkdir()
        (locked / "hidden.py").write_text("def z() -> int:\n    return 3\n")
        locked.chmod(0)
        context = multiprocessing.get_context("fork")  # the child becomes another user
        found = context.Queue()
        child = context.Process(target=_discover_as_nobody, args=(str(root), found))
        child.start()
        problems, modules = found.get(timeout=60)
        child.join(timeout=60)
    finally:
        (root / "locked").chmod(stat.S_IRWXU)
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    assert modules == ["features"]
    assert "locked/: cannot be read: skipped" in problems
    assert any(p.startswith("secret.py: cannot be read") and "skipped" in p for p in problems)


def test_the_result_cache_is_trimmed_to_its_limit_oldest_first(tmp_path):
    from studio.kernel.running.cache_trim import trim

    for age, name in enumerate(["newest", "middle", "oldest"]):
        path = tmp_path / name
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 - age * 100, 1_000_000 - age * 100))
    (tmp_path / "metadata_store.db").write_bytes(b"m" * 5000)
    assert trim(tmp_path, 2500) == (2000, 1000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metadata_store.db", "middle", "newest"]
    assert trim(tmp_path, 10_000) == (2000, 0)


def test_a_write_that_fails_leaves_the_users_file_as_it_was_and_a_new_one_keeps_its_mode(
    tmp_path,
):
    from studio.core.atomic_write import replacing

    target = tmp_path / "report.csv"
    target.write_text("the user's data\n")
    target.chmod(0o640)
    with pytest.raises(RuntimeError), replacing(target) as partial:
        partial.write_text("half of")
        raise RuntimeError("the disk is full")
    assert target.read_text() == "the user's data\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]
    with replacing(target) as partial:
        partial.write_text("new data\n")
    assert target.read_text() == "new data\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
