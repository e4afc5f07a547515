"""What reading a project's files gave, kept across sessions: a project opened again is
not parsed or compiled again, and what changed while the studio was closed is read anew."""

import importlib
import sys
import textwrap

import pytest

from studio.core.cache import parsed_files
from studio.core.cache.cache_paths import kept_files_dir
from studio.core.cache.compiled_code import kept_code
from studio.core.discovery import discover as discovery
from studio.core.discovery.discover import discover, module_facts
from studio.kernel.loading import fresh_import


def new_session() -> None:
    """Forget what this process read, as a new kernel or window would start."""
    discovery._READ.clear()
    parsed_files._TREES.clear()
    fresh_import._COMPILED.clear()


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "flow"
    root.mkdir()
    (root / "prices.py").write_text(
        textwrap.dedent("""
            def raw(rows: int) -> list:
                return list(range(rows))


            def doubled(raw: list) -> list:
                return [2 * x for x in raw]
        """)
    )
    (root / "totals.py").write_text("def total(doubled: list) -> int:\n    return sum(doubled)\n")
    (root / "run.py").write_text(
        textwrap.dedent("""
            from hamilton import driver
            import prices, totals

            dr = driver.Builder().with_modules(prices, totals).build()
        """)
    )
    new_session()
    yield root.resolve()
    new_session()
    for name in ("prices", "totals"):
        sys.modules.pop(name, None)


def test_a_project_opened_again_gives_the_same_dataflows_without_parsing(project):
    first = discover(project)
    assert module_facts(first, "prices")[1].tree is not None  # parsed the first time
    new_session()
    again = discover(project)
    assert again == first
    facts = module_facts(again, "prices")[1]
    assert facts.tree is None, "the kept reading was used"
    assert facts.public_functions == ["raw", "doubled"] and facts.parameters == {"rows", "raw"}
    assert [statement.name for statement in facts.syntax_tree().body] == ["raw", "doubled"]
    run = next(f for f in again.files if f.path == "run.py")
    assert run.kind.value == "driver", "a driver script is read each time (its calls)"


def test_a_file_changed_while_the_studio_was_closed_is_read_again(project):
    discover(project)
    new_session()
    (project / "totals.py").write_text(
        "def total(doubled: list) -> int:\n    return sum(doubled)\n\n\n"
        "def mean(doubled: list, total: int) -> float:\n    return total / len(doubled)\n"
    )
    again = discover(project)
    assert module_facts(again, "totals")[1].public_functions == ["total", "mean"]
    assert module_facts(again, "prices")[1].tree is None


def test_damaged_or_foreign_entries_are_read_past(project):
    first = discover(project)
    entries = [p for p in kept_files_dir(project).rglob("*") if p.is_file()]
    assert entries
    for number, entry in enumerate(entries):
        entry.write_bytes(b"" if number % 2 else b"\x00" * 16 + b"not a pickle")
    new_session()
    assert discover(project) == first
    assert module_facts(first, "prices")[1].tree is not None


def test_compiled_modules_are_kept_for_the_very_bytes_they_came_from(project):
    def import_prices():
        result = fresh_import.import_fresh(project, project, ["prices"])
        assert not result.errors
        return result.modules[0]

    assert import_prices().doubled([1, 2]) == [2, 4]
    code_entries = list((kept_files_dir(project) / "code").iterdir())
    assert len(code_entries) == 1
    new_session()
    digest = parsed_files.digest_of((project / "prices.py").read_bytes())
    assert kept_code(_finder(project), str(project / "prices.py"), digest)
    assert import_prices().doubled([1, 2]) == [2, 4]

    new_session()
    source = (project / "prices.py").read_text().replace("2 * x", "3 * x")
    (project / "prices.py").write_text(source)
    importlib.invalidate_caches()
    assert import_prices().doubled([1, 2]) == [3, 6], "the saved code runs, not the kept one"

    new_session()
    code_entries[0].write_bytes(b"damaged")
    assert import_prices().doubled([1, 2]) == [3, 6]


def _finder(root):
    return fresh_import.ProjectFinder(root).kept


def test_without_the_readers_source_at_hand_nothing_is_kept(project, monkeypatch, tmp_path):
    """A frozen app ships its code compiled: projects are still read, only not kept."""
    monkeypatch.setattr(discovery, "__file__", str(tmp_path / "bundle" / "discovery.pyc"))
    discovery._reading_version.cache_clear()
    try:
        first = discover(project)
        assert not (kept_files_dir(project) / "reading").exists()
        new_session()
        assert discover(project) == first
    finally:
        monkeypatch.undo()
        discovery._reading_version.cache_clear()


def test_entries_put_while_writes_are_held_are_written_only_when_told(project):
    """A load holds its entries back until its reply is out; a thread that holds none (the
    window's readers) keeps writing at once."""
    import threading

    from studio.core.cache.file_cache import writes_held

    with writes_held() as held:
        first = discover(project)
        kept = fresh_import.ProjectFinder(project).kept
        beside = threading.Thread(target=kept.put, args=(str(project / "x.py"), b"d", b"code"))
        beside.start()
        beside.join()
    assert held, "discovery's readings were held"
    assert not (kept_files_dir(project) / "reading").exists()
    assert len(list((kept_files_dir(project) / "code").iterdir())) == 1, "the other thread's"

    held.write()
    assert not held
    new_session()
    assert discover(project) == first
    assert module_facts(discover(project), "prices")[1].tree is None, "the held reading was kept"
