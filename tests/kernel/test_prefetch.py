"""The window's helper process (`studio --prefetch FOLDER`): it keeps what a first load
of the folder looks for, without running any of the folder's code, and the kernel's
next load then parses and compiles nothing."""

import os
import subprocess
from pathlib import Path

from studio.core import protocol
from studio.core.cache import parsed_files
from studio.core.cache.cache_paths import kept_files_dir
from studio.core.cache.prefetch import PREFETCH_ARGUMENT
from studio.core.discovery import discover as discovery
from studio.core.platform.own_command import studio_command
from studio.core.protocol import Method
from studio.kernel.agent import Agent
from studio.kernel.loading import fresh_import
from tests.helpers import as_received

FEATURES = """
import seeds


def raw() -> int:
    return seeds.seed()


def doubled(raw: int) -> int:
    return raw * 2
"""
SEEDS = """
from pathlib import Path

Path(__file__).with_name("imported.txt").write_text("seeds ran")


def seed():
    return 21
"""


class _Comm:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def send(self, message: dict, buffers: list | None = None) -> None:
        self.sent.append(as_received(message, buffers))


def test_after_the_helper_the_kernels_first_load_parses_and_compiles_nothing(tmp_path, monkeypatch):
    root = tmp_path / "flow"
    root.mkdir()
    (root / "features.py").write_text(FEATURES)
    (root / "seeds.py").write_text(SEEDS)
    root = root.resolve()

    helper = subprocess.run(
        [*studio_command(), PREFETCH_ARGUMENT, str(root)],
        capture_output=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert helper.returncode == 0 and helper.stdout == helper.stderr == b""
    assert not (root / "imported.txt").exists(), "the helper ran none of the folder's code"
    kept = {p.parent.name for p in kept_files_dir(root).rglob("*") if p.is_file()}
    assert kept == {"reading", "code"}

    discovery._READ.clear()
    parsed_files._TREES.clear()
    fresh_import._COMPILED.clear()
    parsed: list[str] = []
    compiled: list[str] = []
    real_parse, real_compile = discovery.parse, fresh_import.compile_and_keep
    monkeypatch.setattr(
        discovery, "parse", lambda text, rel: parsed.append(rel) or real_parse(text, rel)
    )
    monkeypatch.setattr(
        fresh_import,
        "compile_and_keep",
        lambda kept, path, *rest: (
            compiled.append(Path(path).name) or real_compile(kept, path, *rest)
        ),
    )
    before = Path.cwd()
    try:
        agent, comm = Agent({}), _Comm()
        agent.comm = comm
        load = {"content": {"data": protocol.request(1, Method.LOAD, {"root": str(root)})}}
        agent._on_msg(comm, load)
    finally:
        os.chdir(before)
    assert parsed == [], "discovery took the helper's readings"
    assert compiled == [], "the import took the helper's compiled modules"
    nodes = {n["name"] for n in comm.sent[0]["result"]["snapshot"]["nodes"]}
    assert nodes == {"raw", "doubled"}
    assert (root / "imported.txt").read_text() == "seeds ran", "the kernel did import"
