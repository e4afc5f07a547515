"""A reload after a save imports again only what the save can have changed, and
gives exactly the graph a fresh load gives."""

import os
from pathlib import Path

import pytest

from studio.kernel.loading.project_load import load_project

A = '''
def scale() -> float:
    return 2.0


def base(scale: float) -> float:
    """The base value."""
    return 10 * scale
'''

B = """
from loading import helper_factor


def doubled(base: float) -> float:
    return base * helper_factor()
"""

A_HELPER = """

def helper_factor() -> int:
    return 2
"""

C = """
from pathlib import Path

from hamilton.function_modifiers import config

Path("imports.log").open("a").write("totals\\n")


@config.when(mode="fast")
def total__fast(doubled: float) -> float:
    return doubled


@config.when_not(mode="fast")
def total__slow(doubled: float, base: float) -> float:
    return doubled + base
"""


@pytest.fixture
def project(tmp_path):
    before = Path.cwd()
    (tmp_path / "loading.py").write_text(A + A_HELPER)
    (tmp_path / "doubling.py").write_text(B)
    (tmp_path / "totals.py").write_text(C)
    yield tmp_path
    os.chdir(before)


def graph(load) -> dict:
    assert load.snapshot.ok, load.snapshot.errors
    return {n.name: n.to_dict() for n in load.snapshot.nodes}


def imports_of_totals(folder: Path) -> int:
    return (folder / "imports.log").read_text().count("totals")


SAVES = [
    ({}, {}),
    ({"loading.py": A.replace("10 * scale", "11 * scale") + A_HELPER}, {}),
    ({"totals.py": C + "\n\ndef extra(total: float) -> float:\n    return total\n"}, {}),
    ({}, {"mode": "fast"}),
    ({}, {}),
    ({"loading.py": A + A_HELPER, "doubling.py": B.replace("* helper", "+ helper")}, {}),
]
"""Saves (files written) and the configuration of the load after each."""


def graphs_after_each_save(folder: Path, reuse: bool) -> list[dict]:
    (folder / "loading.py").write_text(A + A_HELPER)
    (folder / "doubling.py").write_text(B)
    (folder / "totals.py").write_text(C)
    found = []
    for files, config in SAVES:
        for name, text in files.items():
            (folder / name).write_text(text)
        found.append(graph(load_project(folder, None, config, reuse=reuse)))
    return found


def test_reloads_after_each_kind_of_save_give_the_graph_a_fresh_load_gives(project):
    fresh = graphs_after_each_save(project, reuse=False)
    assert graphs_after_each_save(project, reuse=True) == fresh
    assert fresh[1]["base"]["version"] != fresh[0]["base"]["version"]
    assert "extra" in fresh[2]
    assert fresh[3]["total"]["dependencies"] == ["doubled"]
    assert fresh[4]["total"]["dependencies"] == ["doubled", "base"]


def test_a_save_imports_again_its_module_and_those_that_import_it_not_the_others(project):
    load_project(project, reuse=True)
    assert imports_of_totals(project) == 1
    (project / "loading.py").write_text(A.replace("2.0", "3.0") + A_HELPER)
    load_project(project, reuse=True)
    assert imports_of_totals(project) == 1, "totals imports nothing that changed"
    (project / "doubling.py").write_text(B + "\n# a comment\n")
    load_project(project, reuse=True)
    assert imports_of_totals(project) == 1
    (project / "totals.py").write_text(C + "\n# a comment\n")
    load_project(project, reuse=True)
    assert imports_of_totals(project) == 2


def test_a_module_that_imports_a_saved_one_sees_its_new_code(project):
    """`doubling` imports `helper_factor` from `loading`: when `loading` is saved, the
    module that names it is imported again too, so it holds the saved function."""

    def factor_doubling_uses() -> int:
        load = load_project(project, reuse=True)
        doubling = next(m for m in load.loaded.modules if m.__name__ == "doubling")
        return doubling.helper_factor()

    assert factor_doubling_uses() == 2
    (project / "loading.py").write_text(A + A_HELPER.replace("return 2", "return 3"))
    assert factor_doubling_uses() == 3
    assert imports_of_totals(project) == 1, "totals names nothing that changed: kept"


def test_a_save_names_only_the_modules_it_imports_again(project):
    """The kernel tells the window which module it is importing (a hang is named by it):
    a module kept from the last load is not imported, so it is not named either."""
    from studio.kernel.loading import fresh_import

    told: list[str] = []
    fresh_import.IMPORTING.append(told.append)
    try:
        load_project(project, reuse=True)
        assert "totals" in told and "doubling" in told  # `loading` comes in with `doubling`
        told.clear()
        (project / "doubling.py").write_text(B + "\n# a comment\n")
        load_project(project, reuse=True)
        assert told == ["doubling"]
    finally:
        fresh_import.IMPORTING.remove(told.append)
