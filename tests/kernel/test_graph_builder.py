"""The kernel-side graph build: fresh imports, Hamilton's graph, located errors."""

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from studio.core.discovery.discover import discover
from studio.core.graph.snapshot import ErrorKind, NodeRole
from studio.core.resources import example_path
from studio.kernel.loading.project_load import load_flow

HAMILTON_REFERENCE = """
import importlib, json, sys
from hamilton import driver
modules = [importlib.import_module(m) for m in sys.argv[1].split(",")]
builder = driver.Builder().with_modules(*modules).with_config(json.loads(sys.argv[2]))
nodes = builder.build().list_available_variables()
print(json.dumps({
    n.name: [
        sorted(n.required_dependencies | n.optional_dependencies),
        None if n.is_external_input else n.version,
    ]
    for n in nodes
}))
"""


def hamilton_reference(folder: Path, modules: tuple[str, ...], config: dict) -> dict:
    """Names, dependencies and code versions as plain Hamilton reports them, in a
    separate process."""
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(folder)}
    out = subprocess.run(
        [sys.executable, "-c", HAMILTON_REFERENCE, ",".join(modules), json.dumps(config)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def load(folder: Path, config: dict | None = None, name: str | None = None):
    project = discover(folder)
    return load_flow(project, project.dataflow(name), config)


@pytest.mark.parametrize(
    ("example", "config"),
    [
        ("spaceflights", {}),
        ("decorators", {"scaling": "standard"}),
        ("decorators", {"scaling": "minmax"}),
    ],
)
def test_snapshot_matches_hamiltons_own_view(example, config):
    folder = example_path(example)
    loaded = load(folder, config)
    assert loaded.snapshot.ok, loaded.snapshot.errors
    ours = {
        n.name: [sorted(n.dependencies), None if n.is_external_input else n.version]
        for n in loaded.snapshot.nodes
    }
    flow = discover(folder).dataflow()
    assert ours == hamilton_reference(folder, flow.modules, {**flow.config, **config})


def test_nodes_carry_their_source_location_and_kind():
    snapshot = load(example_path("spaceflights")).snapshot
    table = snapshot.node("model_input_table")
    source = (example_path("spaceflights") / "preprocessing.py").read_text().splitlines()
    assert table.file == "preprocessing.py"
    assert source[table.line - 1].startswith("def model_input_table(")
    assert table.doc.startswith("One row per reviewed shuttle")
    assert table.origin == "preprocessing.model_input_table"
    assert table.role is NodeRole.FUNCTION
    assert table.version and len(table.version) == 64
    data_dir = snapshot.node("data_dir")
    assert data_dir.is_external_input and data_dir.role is NodeRole.INPUT
    assert data_dir.origin is None


def test_decorator_generated_and_config_dependent_nodes_are_told_apart():
    snapshot = load(example_path("decorators"), {"scaling": "minmax"}).snapshot
    date = snapshot.node("date")
    assert date.is_generated and date.origin == "orders.orders"
    assert "extract_columns" in date.decorators
    scaled = snapshot.node("revenue_scaled")
    assert scaled.is_config_dependent and not scaled.is_generated
    assert "Revenue squeezed" in scaled.doc
    assert snapshot.node("scaling").role is NodeRole.CONFIG
    helper = snapshot.node("revenue_summary.total")
    assert helper.file == "summary_helpers.py"
    assert helper.group == "summaries"
    assert "subdag" in helper.decorators
    assert snapshot.node("region_name").role is NodeRole.EXPAND
    assert snapshot.node("revenue_by_region").role is NodeRole.COLLECT
    assert "check_output" in snapshot.node("daily_revenue_range_validator").decorators
    assert snapshot.node("daily_revenue").tags["owner"] == "finance"


def make_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(dedent(text), encoding="utf-8")
    return root


def test_syntax_error_names_file_and_line(tmp_path):
    make_project(tmp_path, {"good.py": "def a() -> int:\n    return 1\n", "bad.py": "x = 1\n"})
    (tmp_path / "bad.py").write_text("def b() -> int:\n    return (1\n\ndef c() -> int: ...\n")
    snapshot = load(tmp_path).snapshot
    (error,) = snapshot.errors
    assert error.kind is ErrorKind.SYNTAX
    assert error.file == "bad.py"
    assert error.line == 2
    assert snapshot.nodes == ()


def test_import_error_points_at_the_raising_line(tmp_path):
    make_project(
        tmp_path,
        {
            "flaky.py": """
                import json

                SETTINGS = json.loads("{not json")

                def a() -> int:
                    return 1
            """
        },
    )
    (error,) = load(tmp_path).snapshot.errors
    assert error.kind is ErrorKind.IMPORT
    assert error.file == "flaky.py"
    assert error.line == 4
    assert "JSONDecodeError" in error.message
    assert "Traceback" in error.detail


def test_sys_exit_at_import_is_an_error_not_an_exit(tmp_path):
    make_project(tmp_path, {"quits.py": "import sys\nsys.exit(3)\ndef a() -> int:\n    return 1\n"})
    (error,) = load(tmp_path).snapshot.errors
    assert "sys.exit(3)" in error.message
    assert error.line == 2


def test_missing_module_named_by_driver(tmp_path):
    make_project(
        tmp_path,
        {
            "features.py": "def a() -> int:\n    return 1\n",
            "run.py": """
                from hamilton import driver
                import features, gone
                driver.Builder().with_modules(features, gone).build()
            """,
        },
    )
    (error,) = load(tmp_path).snapshot.errors
    assert error.message == "module 'gone' (named by run.py) was not found"
    assert error.file == "run.py"


def test_type_mismatch_is_located_at_the_function(tmp_path):
    make_project(
        tmp_path,
        {
            "features.py": """
                def amount() -> int:
                    return 1


                def label(amount: str) -> str:
                    return amount
            """
        },
    )
    (error,) = load(tmp_path).snapshot.errors
    assert error.kind is ErrorKind.GRAPH
    assert "label is expecting amount" in error.message
    assert (error.file, error.line) == ("features.py", 6)


def test_duplicate_function_names_point_at_the_second_definition(tmp_path):
    make_project(
        tmp_path,
        {
            "first.py": "def amount() -> int:\n    return 1\n",
            "second.py": "\n\ndef amount() -> int:\n    return 2\n",
            "run.py": "from hamilton import driver\nimport first, second\n"
            "driver.Driver({}, first, second)\n",
        },
    )
    (error,) = load(tmp_path).snapshot.errors
    assert "more than once" in error.message
    assert (error.file, error.line) == ("second.py", 3)


def test_reload_drops_deleted_functions_and_sees_same_size_edits(tmp_path):
    module = tmp_path / "features.py"
    module.write_text("def a() -> int:\n    return 1\n\ndef b(a: int) -> int:\n    return a\n")
    first = load(tmp_path).snapshot
    assert {n.name for n in first.nodes} == {"a", "b"}
    stat = module.stat()
    module.write_text("def a() -> int:\n    return 2\n")
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: a stale .pyc would win
    second = load(tmp_path).snapshot
    assert {n.name for n in second.nodes} == {"a"}
    assert second.node("a").version != first.node("a").version
    module.write_text('def a() -> int:\n    """Now documented."""\n    return 2\n')
    assert load(tmp_path).snapshot.node("a").version == second.node("a").version


def test_a_module_of_another_project_never_stands_in(tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "features.py").write_text("def from_one() -> int:\n    return 1\n")
    (two / "features.py").write_text("def from_two() -> int:\n    return 2\n")
    assert [n.name for n in load(one).snapshot.nodes] == ["from_one"]
    assert [n.name for n in load(two).snapshot.nodes] == ["from_two"]


TRICKY_MODULE = '''
import os

from hamilton.function_modifiers import tag


def a() -> int:
    """Only a docstring: Hamilton's version leaves an empty body."""


@tag(owner="x")  # a comment on the decorator
def b(a: int) -> int:
    # a comment in the body
    def helper(v: int) -> int:
        """A nested docstring, left out too."""
        return v + 1

    return helper(a) * 2


if os.environ.get("NEVER_SET_HERE") is None:

    def c(b: int) -> int:
        """Defined under an if."""
        return b - 1

    @tag(owner="y")
    def d(c: int) -> int:
        """Decorated under an if: Hamilton cannot parse its text, and hashes it as is."""
        return c
'''


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_code_versions_match_hamiltons_on_docstrings_comments_and_indented_definitions(
    tmp_path, newline
):
    (tmp_path / "tricky.py").write_bytes(TRICKY_MODULE.replace("\n", newline).encode())
    loaded = load(tmp_path)
    assert loaded.snapshot.ok, loaded.snapshot.errors
    ours = {
        n.name: [sorted(n.dependencies), None if n.is_external_input else n.version]
        for n in loaded.snapshot.nodes
    }
    assert ours == hamilton_reference(tmp_path, ("tricky",), {})
