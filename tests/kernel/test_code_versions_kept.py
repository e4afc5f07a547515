"""Code versions are kept across sessions for the very bytes a file holds: a project
opened again hashes nothing again, and a saved file is hashed afresh."""

import os
from pathlib import Path

import pytest
from hamilton.graph_types import HamiltonNode

from studio.kernel.loading import code_versions, graph_builder
from studio.kernel.loading.code_versions import CodeVersions
from studio.kernel.loading.project_load import load_project

FLOW = '''
def base() -> int:
    """The base."""
    return 1


def doubled(base: int) -> int:
    # twice the base
    return base * 2
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "flow"
    folder.mkdir()
    (folder / "flow.py").write_text(FLOW)
    before = Path.cwd()
    yield folder
    os.chdir(before)


def versions_in_a_new_session(folder: Path, monkeypatch) -> tuple[dict, dict]:
    """The snapshot's versions and Hamilton's own, with nothing in memory from before."""
    monkeypatch.setattr(graph_builder, "CODE_VERSIONS", CodeVersions())
    load = load_project(folder)
    assert load.snapshot.ok, load.snapshot.errors
    hamilton = {
        name: HamiltonNode.from_node(n).version
        for name, n in load.loaded.driver.graph.nodes.items()
    }
    return {n.name: n.version for n in load.snapshot.nodes}, hamilton


def test_a_project_opened_again_takes_its_versions_from_the_last_session(project, monkeypatch):
    first, hamilton = versions_in_a_new_session(project, monkeypatch)
    assert first == hamilton
    hashed: list[str] = []
    real = code_versions._hamilton_version
    monkeypatch.setattr(
        code_versions, "_hamilton_version", lambda f: hashed.append(f.name) or real(f)
    )
    again, _ = versions_in_a_new_session(project, monkeypatch)
    assert again == first
    assert hashed == [], "a file of the same bytes is not hashed again"

    (project / "flow.py").write_text(FLOW.replace("base * 2", "base * 3"))
    saved, hamilton = versions_in_a_new_session(project, monkeypatch)
    assert saved == hamilton
    assert saved["doubled"] != first["doubled"] and saved["base"] == first["base"]
    assert sorted(hashed) == ["base", "doubled"], "a saved file is hashed afresh"
