"""Graph edits rewrite the project's files: the graph Hamilton builds changes as intended,
only the lines the edit needs change, undo restores the bytes, unsafe edits are refused."""

import importlib.util
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from hamilton import driver

from studio.core.discovery.discover import discover
from studio.core.editing import ConfirmationNeededError, EditConflictError, EditRefusedError
from studio.core.editing.dataflow_editor import DataflowEditor

DATA = '''"""Loading."""

import pandas as pd


def raw(path: str) -> pd.DataFrame:
    """The raw table."""
    return pd.read_csv(path)


def cleaned(raw: pd.DataFrame) -> pd.DataFrame:  # drop empty rows
    # keep the rest
    return raw.dropna()
'''

FEATURES = """from typing import Any

from hamilton.function_modifiers import config, parameterize, source


def total(
    cleaned: Any,
    scale: float = 1.0,
) -> float:
    def inner(x):
        cleaned = x  # a local of the same name: not the parameter
        return cleaned

    return float(cleaned.sum().sum()) * scale


@config.when(mode="a")
def extra__a(total: float) -> float:
    return total + 1


@config.when(mode="b")
def extra__b(total: float) -> float:
    return total + 2


@parameterize(doubled={"v": source("total")})
def doubled(v: float) -> float:
    return v * 2
"""

RUN = """from hamilton import driver

import data
import features

dr = driver.Driver({"mode": "a"}, data, features)
print(dr.execute(["total", 'extra'], inputs={"path": "x.csv"}))
"""

_count = itertools.count()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data.py").write_text(DATA)
    (tmp_path / "features.py").write_text(FEATURES)
    (tmp_path / "run.py").write_text(RUN)
    return tmp_path


def editor(root: Path) -> DataflowEditor:
    found = discover(root)
    return DataflowEditor(found.root, found.dataflows, found.dataflow())


def hamilton_edges(root: Path, config=None) -> set[tuple[str, str]]:
    """The graph plain Hamilton builds from the folder's modules, as (upstream, node) pairs."""
    modules = []
    for name in ("data", "features"):
        unique = f"edited_{name}_{next(_count)}"
        spec = importlib.util.spec_from_file_location(unique, root / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
        modules.append(module)
    dr = driver.Builder().with_config(config or {"mode": "a"}).with_modules(*modules).build()
    return {
        (dep.name, var.name)
        for var in dr.list_available_variables()
        for dep in dr.graph.nodes[var.name].dependencies
    }


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.py"))}


def changed_lines(before: bytes, after: bytes) -> list[str]:
    import difflib

    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_rename_follows_every_reference_and_undo_restores_bytes(project):
    before = snapshot(project)
    edges = hamilton_edges(project)
    plan = editor(project).rename("total", "grand_total")
    plan.apply()
    after = snapshot(project)
    renamed = {
        (a if a != "total" else "grand_total", b if b != "total" else "grand_total")
        for a, b in edges
    }
    assert hamilton_edges(project) == renamed
    assert hamilton_edges(project, {"mode": "b"}) >= {("grand_total", "extra")}
    assert sorted(changed_lines(before["features.py"], after["features.py"])) == sorted(
        [
            "-def total(",
            "-def extra__a(total: float) -> float:",
            "-    return total + 1",
            "-def extra__b(total: float) -> float:",
            "-    return total + 2",
            '-@parameterize(doubled={"v": source("total")})',
            "+def grand_total(",
            "+def extra__a(grand_total: float) -> float:",
            "+    return grand_total + 1",
            "+def extra__b(grand_total: float) -> float:",
            "+    return grand_total + 2",
            '+@parameterize(doubled={"v": source("grand_total")})',
        ]
    )
    assert b"def extra__a(grand_total: float)" in after["features.py"]
    assert b"dr.execute([\"grand_total\", 'extra']" in after["run.py"]
    assert after["data.py"] == before["data.py"]
    plan.undo()
    assert snapshot(project) == before


def test_rename_of_a_parameter_leaves_a_same_named_local_alone(project):
    editor(project).rename("cleaned", "clean").apply()
    text = (project / "features.py").read_text()
    assert "    clean: Any," in text
    assert "return float(clean.sum().sum()) * scale" in text
    assert "        cleaned = x  # a local of the same name" in text
    assert (
        "def clean(raw: pd.DataFrame) -> pd.DataFrame:  # drop empty rows"
        in (project / "data.py").read_text()
    )


def test_rename_of_config_variants_renames_each(project):
    editor(project).rename("extra", "bonus").apply()
    text = (project / "features.py").read_text()
    assert "def bonus__a(" in text and "def bonus__b(" in text
    assert ("total", "bonus") in hamilton_edges(project)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("doubled", "twice", "made by @parameterize"),
        ("raw", "cleaned", "a node named `cleaned` exists"),
        ("raw", "class", "cannot name a node"),
        ("path", "source_path", "is an input"),
        ("total", "scale", "`scale` is an input"),
    ],
)
def test_unsafe_renames_are_refused_and_write_nothing(project, old, new, reason):
    before = snapshot(project)
    with pytest.raises(EditRefusedError, match=reason):
        editor(project).rename(old, new)
    assert snapshot(project) == before


def test_connect_adds_a_typed_parameter_with_its_import(project):
    before = snapshot(project)
    plan = editor(project).connect("raw", "total")
    plan.apply()
    text = (project / "features.py").read_text()
    assert "import pandas as pd\n" in text
    assert "    cleaned: Any,\n    raw: pd.DataFrame,\n    scale: float = 1.0,\n" in text
    assert ("raw", "total") in hamilton_edges(project)
    assert len(changed_lines(before["features.py"], plan.changes[0].after)) == 2
    plan.undo()
    assert snapshot(project) == before


def test_connect_refuses_a_cycle_and_a_decorated_target(project):
    with pytest.raises(EditRefusedError, match="cycle"):
        editor(project).connect("total", "raw")
    with pytest.raises(EditRefusedError, match="@parameterize"):
        editor(project).connect("raw", "doubled")


def test_disconnect_asks_when_the_body_uses_the_parameter(project):
    with pytest.raises(ConfirmationNeededError, match=r"\(features\.py:14\)"):
        editor(project).disconnect("cleaned", "total")
    editor(project).disconnect("cleaned", "total", force=True).apply()
    assert (
        "def total(\n    scale: float = 1.0,\n) -> float:" in (project / "features.py").read_text()
    )


def test_added_node_is_a_typed_stub_hamilton_builds(project):
    plan = editor(project).add("summary", ["total", "raw"], module="features", returns="dict")
    plan.apply()
    text = (project / "features.py").read_text()
    assert "def summary(total: float, raw: pd.DataFrame) -> dict:\n" in text
    assert '"""TODO: what `summary` computes from total, raw."""' in text
    assert text.index("def summary") < text.index("def extra__a")
    edges = hamilton_edges(project)
    assert {("total", "summary"), ("raw", "summary")} <= edges


def test_remove_says_what_depended_on_it(project):
    plan = editor(project).remove("cleaned")
    assert plan.notes == ("`total` then takes `cleaned` as an input",)
    plan.apply()
    assert "cleaned" not in (project / "data.py").read_text()
    assert "# keep the rest" not in (project / "data.py").read_text()
    assert ("raw", "cleaned") not in hamilton_edges(project)


def test_a_file_saved_elsewhere_is_never_overwritten(project):
    plan = editor(project).rename("total", "grand_total")
    (project / "run.py").write_text(RUN + "# saved by another editor\n")
    with pytest.raises(EditConflictError, match=r"run\.py changed on disk"):
        plan.apply()
    assert (project / "features.py").read_text() == FEATURES
    assert (project / "run.py").read_text().endswith("# saved by another editor\n")


def test_windows_line_endings_and_git_diff_stay_minimal(project):
    (project / "data.py").write_bytes(DATA.replace("\n", "\r\n").encode())
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    editor(project).rename("raw", "source_table").apply()
    data = (project / "data.py").read_bytes()
    assert data.count(b"\r\n") == DATA.count("\n") and b"def source_table(" in data
    stat = subprocess.run(
        ["git", "diff", "--numstat"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert stat == ["3", "3", "data.py"]


def test_a_saved_function_replaces_only_its_lines_and_a_disk_change_is_caught(project):
    from studio.core.editing.source_code import function_source
    from studio.core.editing.source_save import SourceChangedError, plan_source_save

    path = project / "data.py"
    path.write_bytes(DATA.replace("\n", "\r\n").encode())
    excerpt = function_source(path, 11)
    edited = excerpt.text.replace("raw.dropna()", "raw.dropna(how='all')")
    plan = plan_source_save(path, excerpt.first_line, excerpt.text, edited)
    plan.apply()
    assert (
        path.read_bytes()
        == DATA.replace("raw.dropna()", "raw.dropna(how='all')").replace("\n", "\r\n").encode()
    )
    plan.undo()
    path.write_text(DATA.replace("# keep the rest", "# saved elsewhere"))
    with pytest.raises(SourceChangedError) as changed:
        plan_source_save(path, excerpt.first_line, excerpt.text, edited)
    assert "# saved elsewhere" in changed.value.on_disk
    forced = plan_source_save(path, excerpt.first_line, excerpt.text, edited, force=True)
    assert forced.changes[0].before == DATA.replace("# keep the rest", "# saved elsewhere").encode()


def test_open_in_editor_uses_the_users_editor_with_the_line():
    from studio.core.editing.editor_command import editor_command

    path = Path("/p/m.py")
    assert editor_command(path, 7, {"VISUAL": "code --wait"}) == [
        "code", "--wait", "-g", "/p/m.py:7"
    ]  # fmt: skip
    assert editor_command(path, 7, {"EDITOR": "vim"}) == ["vim", "+7", "/p/m.py"]
    assert editor_command(path, 7, {}, which=lambda _: "/usr/bin/code") == [
        "code", "-g", "/p/m.py:7"
    ]  # fmt: skip
    assert editor_command(path, 7, {}, which=lambda _: None) is None


def test_remove_keeps_a_section_comment_and_add_goes_after_every_variant(project):
    text = DATA.replace(
        "\n\ndef cleaned(", "\n\n# --- cleaning steps\n\n\n# drops empty rows\ndef cleaned("
    )
    (project / "data.py").write_text(text)
    editor(project).remove("cleaned").apply()
    kept = (project / "data.py").read_text()
    assert "# --- cleaning steps\n" in kept and "# drops empty rows" not in kept
    editor(project).add("bonus_x2", ["extra"], returns="float").apply()
    features = (project / "features.py").read_text()
    assert features.index("def extra__b") < features.index("def bonus_x2(extra: float)")


def test_rename_refuses_a_name_a_subdag_module_takes_from_outside(tmp_path):
    (tmp_path / "inner.py").write_text("def filtered(events: int) -> int:\n    return events\n")
    (tmp_path / "flow.py").write_text(
        "import inner\nfrom hamilton.function_modifiers import subdag\n\n\n"
        "def events() -> int:\n    return 1\n\n\n"
        "@subdag(inner)\ndef summary(filtered: int) -> int:\n    return filtered\n"
    )
    (tmp_path / "run.py").write_text(
        "import flow\nfrom hamilton import driver\n\ndriver.Builder().with_modules(flow).build()\n"
    )
    with pytest.raises(EditRefusedError, match=r"@subdag module inner\.py takes it"):
        editor(tmp_path).rename("events", "events_v2")
    assert editor(tmp_path).remove("events").notes == (
        "the @subdag module inner.py still takes it",
    )


def test_two_edits_of_one_function_merge_and_overlaps_are_marked():
    from studio.core.editing.text_merge import merge_texts

    base = "def f(x: int) -> int:\n    a = x\n\n    b = 2\n\n    return a + b\n"
    mine = base.replace("a = x", "a = x * 10")
    theirs = base.replace("return a + b", "return a - b")
    clean = merge_texts(base, mine, theirs)
    assert clean.conflicts == 0
    assert clean.text == base.replace("a = x", "a = x * 10").replace("a + b", "a - b")
    clash = merge_texts(base, mine, base.replace("a = x", "a = x + 1"))
    assert clash.conflicts == 1
    assert "<<<<<<< yours\n    a = x * 10\n=======\n    a = x + 1\n>>>>>>> on disk" in clash.text


def test_a_save_follows_its_function_when_lines_moved_and_forcing_replaces_the_function(
    project,
):
    from studio.core.editing.source_code import function_source
    from studio.core.editing.source_save import SourceChangedError, plan_source_save

    path = project / "data.py"
    excerpt = function_source(path, 11)
    edited = excerpt.text.replace("raw.dropna()", "raw.dropna(how='all')")
    path.write_text(
        DATA.replace("import pandas as pd\n", "import numpy as np\nimport pandas as pd\n")
    )
    plan_source_save(path, excerpt.first_line, excerpt.text, edited).apply()
    text = path.read_text()
    assert text.count("def cleaned(") == 1 and "return raw.dropna(how='all')\n" in text
    assert text.startswith('"""Loading."""\n\nimport numpy as np\nimport pandas as pd\n')

    path.write_text("# moved\n\n" + DATA.replace("return raw.dropna()", "return raw"))
    with pytest.raises(SourceChangedError) as changed:
        plan_source_save(path, excerpt.first_line, excerpt.text, edited)
    assert changed.value.on_disk.startswith("def cleaned(raw: pd.DataFrame)")
    assert changed.value.on_disk.endswith("    return raw\n")
    plan_source_save(path, excerpt.first_line, excerpt.text, edited, force=True).apply()
    forced = path.read_text()
    assert forced.count("def cleaned(") == 1 and forced.count("return raw") == 1
    assert "return raw.dropna(how='all')" in forced and forced.startswith("# moved\n")


def test_review_cases_helpers_keywords_bound_names_module_uses_and_encodings(tmp_path):
    (tmp_path / "mod.py").write_bytes(
        "# -*- coding: latin-1 -*-\nimport pandas as pd\n\n\n"
        "def raw() -> int:\n    return 1  # café\n\n\n"
        "def total(raw: int, /, b: int = 2) -> int:\n    return _helper(raw=raw)\n\n\n"
        "def _helper(raw):\n    return raw\n\n\n"
        "CHECK = total(raw=1)\n\n\n"
        "def one(x: int = 1, /) -> int:\n    return x\n".encode("latin-1")
    )
    (tmp_path / "run.py").write_text(
        "from hamilton import driver\nimport mod\n\n"
        "driver.Driver({}, mod).execute(['total'], overrides={'raw': 3})\n"
    )
    plan = editor(tmp_path).rename("raw", "base")
    text = plan.changes[0].after.decode("latin-1")
    assert "def total(base: int, /, b: int = 2) -> int:\n    return _helper(raw=base)" in text
    assert "def _helper(raw):\n    return raw" in text and "CHECK = total(base=1)" in text
    assert "# café" in text
    assert "overrides={'base': 3}" in plan.changes[1].after.decode()
    for taken, reason in (("pd", "already defines or imports `pd`"), ("len", "builtin")):
        with pytest.raises(EditRefusedError, match=reason):
            editor(tmp_path).rename("raw", taken)
    with pytest.raises(EditRefusedError, match=r"used by name \(mod\.py:17\)"):
        editor(tmp_path).remove("total")
    with pytest.raises(EditRefusedError, match="cannot be written safely"):
        editor(tmp_path).connect("raw", "one")
    bom = tmp_path / "bom"
    bom.mkdir()
    (bom / "steps.py").write_bytes(b"\xef\xbb\xbfdef a() -> int:\n    return 1\n")
    editor(bom).add("b", ["a"]).apply()
    assert (bom / "steps.py").read_bytes().startswith(b"\xef\xbb\xbfdef a() -> int:")
    assert b"def b(a: int) -> int:" in (bom / "steps.py").read_bytes()


def test_imports_other_dataflows_decorator_cycles_and_relative_types(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    for folder in (package, package / "sub"):
        (folder / "__init__.py").write_text("")
    (package / "types_.py").write_text("class Frame(dict):\n    pass\n")
    (package / "sub" / "one.py").write_text(
        "import pandas as pd\nfrom hamilton.function_modifiers import extract_columns\n\n"
        "from ..types_ import Frame\n\n\n"
        "def src() -> Frame:\n    return Frame()\n\n\n"
        "def raw(seed: int) -> pd.DataFrame:\n    return pd.DataFrame({'x': [seed]})\n\n\n"
        "@extract_columns('x')\ndef df(raw: pd.DataFrame) -> pd.DataFrame:\n    return raw\n\n\n"
        "def z(x: pd.Series) -> int:\n    return int(x.sum())\n"
    )
    (package / "two.py").write_text(
        "from pkg.sub.one import src as _src\n\n\ndef tgt(w: int) -> int:\n    return w\n"
    )
    (package / "three.py").write_text("def uses(tgt: int) -> int:\n    return tgt\n")
    (tmp_path / "run1.py").write_text(
        "from hamilton import driver\nfrom pkg.sub import one\nfrom pkg import two\n\n"
        "driver.Driver({}, one, two)\n"
    )
    (tmp_path / "run2.py").write_text(
        "from hamilton import driver\nfrom pkg import two, three\n\ndriver.Driver({}, two, three)\n"
    )
    found = discover(tmp_path)
    first = DataflowEditor(found.root, found.dataflows, found.dataflow("run1"))
    with pytest.raises(EditRefusedError, match=r"two\.py:1 imports its function by name"):
        first.rename("src", "source")
    with pytest.raises(EditRefusedError, match="cycle"):
        first.connect("z", "raw")
    plan = first.rename("tgt", "target")
    assert {change.path.name for change in plan.changes} == {"two.py", "three.py"}
    typed = first.connect("src", "tgt").changes[0].after.decode()
    assert typed.startswith("from pkg.sub.one import src as _src\nfrom pkg.types_ import Frame\n")
    assert "def tgt(w: int, src: Frame) -> int:" in typed


@pytest.mark.parametrize("trailing", [",", ""])
def test_connect_and_disconnect_keep_each_parameters_comment_on_its_line(trailing):
    import libcst as cst

    from studio.core.editing.signatures import add_parameter, remove_parameter

    source = (
        f"def f(\n    a: int,  # the a\n    b: int{trailing}  # the b\n) -> int:\n    return a\n"
    )
    module = cst.parse_module(source)
    added = module.with_changes(body=[add_parameter(module.body[0], "x", "float")]).code
    assert added == (
        f"def f(\n    a: int,  # the a\n    b: int,  # the b\n    x: float{trailing}\n"
        ") -> int:\n    return a\n"
    )
    back = cst.parse_module(added)
    assert back.with_changes(body=[remove_parameter(back.body[0], "x")]).code == source
