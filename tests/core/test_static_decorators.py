"""The graph read from source applies Hamilton's decorators as Hamilton does.

Each case writes a small project, reads its graph from source (nothing run)
and has real Hamilton build the same dataflow: node names, dependencies,
origins and tags must be equal. A decorator that cannot be read without
running the code makes one node marked not expanded, and no guessed input.
"""

import itertools
from pathlib import Path
from textwrap import dedent

import pytest

from studio.core.discovery.discover import discover
from studio.core.discovery.static_graph import describe_static, static_snapshot
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo, NodeRole
from studio.kernel.loading.project_load import headless, load_project

_NAMES = itertools.count()


def project(root: Path, functions: str, config: dict | None = None, **others: str) -> str:
    """A folder with one module of functions (a name of its own, as the kernel
    imports it in this process) and a driver script giving `config`."""
    module = f"static_case_{next(_NAMES)}"
    (root / f"{module}.py").write_text(dedent(functions))
    for name, text in others.items():
        (root / f"{name}.py").write_text(dedent(text))
    (root / "run.py").write_text(
        f"from hamilton import driver\nimport {module}\n\n"
        f"dr = driver.Builder().with_modules({module}).with_config({config or {}!r}).build()\n"
    )
    return module


def static(root: Path) -> GraphSnapshot:
    found = discover(root)
    return static_snapshot(found, found.dataflow("run"))


def built(root: Path) -> GraphSnapshot:
    with headless():
        snapshot = load_project(root, "run", {}).snapshot
    assert snapshot.ok, snapshot.errors
    return snapshot


def shape(snapshot: GraphSnapshot) -> dict[str, tuple]:
    return {
        n.name: (n.role.value, sorted(n.dependencies), n.origin, _tags(n)) for n in snapshot.nodes
    }


def _tags(node: NodeInfo) -> dict:
    return {k: v for k, v in node.tags.items() if k != "module"}


def assert_as_hamilton(root: Path) -> GraphSnapshot:
    read = static(root)
    assert shape(read) == shape(built(root))
    assert all(n.expanded for n in read.nodes)
    return read


HEADER = """
    import pandas as pd
    from hamilton.function_modifiers import (
        check_output, config, extract_columns, extract_fields, group, inject, parameterize,
        parameterize_extract_columns, parameterize_sources, parameterize_values,
        ParameterizedExtract, pipe_input, schema, source, step, subdag, tag, tag_outputs, value,
    )
"""


def test_extract_columns_and_fields_make_a_node_per_column_fed_by_the_function(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    COLUMNS = ["a", "b"]

    def raw(path: str) -> pd.DataFrame:
        return pd.DataFrame()

    @extract_columns(*COLUMNS, ("c", "the c column"))
    def frame(raw: pd.DataFrame) -> pd.DataFrame:
        return raw

    @extract_fields({"low": int, "high": float})
    def bounds(a: pd.Series) -> dict:
        return {}

    def total(b: pd.Series, low: int, c: pd.Series) -> float:
        return 0.0
    """,
    )
    read = assert_as_hamilton(tmp_path)
    assert read.node("a").origin.endswith(".frame")
    assert read.node("a").type == "Series" and read.node("low").type == "int"


def test_each_parameterize_decorator_makes_its_nodes_and_no_input_of_the_parameter(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    def users() -> pd.Series:
        return pd.Series()

    def clicks() -> pd.Series:
        return pd.Series()

    @parameterize(
        daily_users={"grain": value("day"), "series": source("users")},
        weekly_clicks=({"grain": value("week"), "series": source("clicks")}, "Weekly."),
    )
    def counted(series: pd.Series, grain: str) -> pd.Series:
        \"\"\"{grain} counts of {series}.\"\"\"
        return series

    @parameterize_values(parameter="factor", assigned_output={("doubled", ""): 2})
    def scaled(users: pd.Series, factor: int) -> pd.Series:
        return users * factor

    @parameterize_sources(clicks_copy={"other": "clicks"})
    def copied(other: pd.Series) -> pd.Series:
        return other

    @inject(parts=group(source("users"), source("clicks")))
    def summed(parts: list[pd.Series]) -> pd.Series:
        return parts[0]

    @parameterize_extract_columns(
        ParameterizedExtract(("x", "y"), {"left": source("users")}),
        ParameterizedExtract(("z",), {"left": source("clicks")}),
    )
    def split(left: pd.Series) -> pd.DataFrame:
        return pd.DataFrame()
    """,
    )
    read = assert_as_hamilton(tmp_path)
    names = {n.name for n in read.nodes}
    assert {"series", "grain", "factor", "other", "parts", "left"}.isdisjoint(names)
    assert read.node("daily_users").doc == "day counts of users."
    assert read.node("weekly_clicks").doc == "Weekly."


def test_the_config_of_the_dataflow_chooses_the_variant_and_strips_its_suffix(tmp_path):
    functions = (
        HEADER
        + """
    @config.when(engine="spark")
    def encoded__spark(raw: int) -> int:
        return raw

    @config.when_not(engine="spark")
    def encoded__base(raw: int, scale: int) -> int:
        return raw

    @config.when_in(region=["US", "CA"])
    def taxed__north(encoded: int) -> int:
        return encoded

    @config.when_not_in(region=["US", "CA"])
    def taxed__rest(encoded: int, rate: float) -> int:
        return encoded
    """
    )
    project(tmp_path, functions, {"engine": "spark", "region": "US"})
    read = assert_as_hamilton(tmp_path)
    assert read.node("encoded").dependencies == ("raw",)
    assert read.node("encoded").origin.endswith(".encoded")  # Hamilton renames the function
    assert "scale" not in {n.name for n in read.nodes}

    other = tmp_path / "other"
    other.mkdir()
    project(other, functions, {"engine": "dask", "region": "FR"})
    read = assert_as_hamilton(other)
    assert sorted(read.node("encoded").dependencies) == ["raw", "scale"]
    assert sorted(read.node("taxed").dependencies) == ["encoded", "rate"]


def test_check_output_tag_and_schema_name_their_nodes_and_tags_as_hamilton(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    @check_output(range=(0, 10), allow_nans=False, importance="warn")
    def scores(raw: pd.Series) -> pd.Series:
        return raw

    @tag(owner="data", kind=["a", "b"])
    @extract_columns("p", "q")
    def table(scores: pd.Series) -> pd.DataFrame:
        return pd.DataFrame()

    @tag_outputs(p2={"team": "x"})
    @extract_columns("p2")
    def table2(scores: pd.Series) -> pd.DataFrame:
        return pd.DataFrame()

    @check_output(data_type=float, range=(0.0, 1.0), importance="warn")
    def ratio(scores: pd.Series) -> float:
        return 0.5

    @extract_fields(dict(low_mark=int, high_mark=float))
    def marks(ratio: float) -> dict:
        return {}

    @schema.output(("x", "int"), ("y", "str"))
    def described(scores: pd.Series) -> pd.DataFrame:
        return pd.DataFrame()
    """,
    )
    read = assert_as_hamilton(tmp_path)
    assert read.node("scores_range_validator").dependencies == ("scores_raw",)
    assert read.node("p").tags["owner"] == "data"
    assert read.node("ratio_data_type_validator").type == "ValidationResult"  # `float` named it


def test_a_subdag_of_a_project_module_is_namespaced_with_its_inputs_and_config(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    import counting_helpers

    @subdag(counting_helpers, inputs={"grain": value("day")}, config={"region": "US"})
    def daily(counted: pd.Series) -> pd.Series:
        return counted

    @subdag(
        counting_helpers,
        inputs={"grain": source("chosen_grain")},
        namespace="weekly_ns",
        final_node_name="weekly",
        external_inputs=["extra"],
    )
    def weekly_function(counted: pd.Series, extra: int) -> pd.Series:
        return counted
    """,
        counting_helpers="""
    import pandas as pd
    from hamilton.function_modifiers import config

    def counted(events: pd.Series, grain: str) -> pd.Series:
        return events

    @config.when(region="US")
    def events__us(raw: pd.Series) -> pd.Series:
        return raw

    @config.when_not(region="US")
    def events__other(raw: pd.Series, region: str) -> pd.Series:
        return raw
    """,
    )
    read = assert_as_hamilton(tmp_path)
    assert read.node("daily.counted").origin == "counting_helpers.counted"
    assert read.node("daily.counted").group.startswith("static_case_")


def test_pipe_input_chains_its_steps_into_the_function(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    def _add(x: int, y: int) -> int:
        return x + y

    def _double(x: int) -> int:
        return 2 * x

    @pipe_input(
        step(_add, y=source("bonus")),
        step(_double).named("twice"),
        step(_double).when(mode="never"),
    )
    def result(base: int, other: int) -> int:
        return base + other
    """,
    )
    read = assert_as_hamilton(tmp_path)
    assert read.node("result").dependencies == ("result.twice", "other")


def test_a_decorator_not_literal_or_not_known_is_one_node_and_makes_no_input(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    import functools

    def columns() -> list:
        return ["a"]

    def raw() -> pd.DataFrame:
        return pd.DataFrame()

    @extract_columns(*columns())
    def frame(raw: pd.DataFrame) -> pd.DataFrame:
        return raw

    @parameterize(**{name: {"p": value(1)} for name in ["one", "two"]})
    def counted(p: int, raw: pd.DataFrame) -> int:
        return p

    @functools.lru_cache
    def cached(raw: pd.DataFrame, mystery: int) -> int:
        return 1

    def plain(raw: pd.DataFrame) -> int:
        return 1
    """,
    )
    read = static(tmp_path)
    by_name = {n.name: n for n in read.nodes}
    for name in ("frame", "counted", "cached"):
        assert by_name[name].expanded is False
        assert by_name[name].dependencies == ("raw",)  # only edges to nodes drawn anyway
    assert {"p", "mystery"}.isdisjoint(by_name)  # no phantom input
    assert by_name["plain"].expanded
    assert read.warnings == ("read from source, nothing run: 3 functions expand when trusted",)
    assert describe_static(read) == "6 nodes read from source, 3 functions expand when trusted"
    hamilton = {n.name for n in built(tmp_path).nodes}
    assert set(by_name) - hamilton <= {"frame", "counted", "cached"}


def test_a_subdag_of_a_module_outside_the_project_or_computed_config_is_not_expanded(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    import json

    @subdag(json)
    def borrowed(loads: int) -> int:
        return loads

    @config.when(mode="a")
    def picked__a(x: int) -> int:
        return x

    @config.when(mode="b")
    def picked__b(y: int) -> int:
        return y
    """,
    )
    (tmp_path / "run.py").write_text(
        (tmp_path / "run.py").read_text().replace("with_config({})", "with_config({'mode': M})")
    )
    read = static(tmp_path)
    names = {n.name: n for n in read.nodes}
    assert names["borrowed"].expanded is False
    assert "loads" not in names
    assert "mode" in names  # the config key, shown empty in the Config panel
    unexpanded = sorted(n.name for n in read.nodes if not n.expanded)
    assert unexpanded == ["borrowed", "picked__a", "picked__b"]
    assert {"x", "y"}.isdisjoint(names)


@pytest.mark.parametrize("expanded", [True, False])
def test_expanded_crosses_the_wire_only_when_false(expanded):
    node = NodeInfo(
        "n",
        "int",
        NodeRole.FUNCTION,
        "m",
        None,
        None,
        "",
        {},
        (),
        (),
        None,
        "m.n",
        expanded=expanded,
    )
    assert node.to_dict()["expanded"] is expanded
    assert ("expanded" in node.to_wire()) is (not expanded)
    assert NodeInfo.from_dict(node.to_wire()).expanded is expanded


def test_a_variant_the_config_leaves_out_is_not_drawn_even_when_not_expandable(tmp_path):
    project(
        tmp_path,
        HEADER
        + """
    import functools

    @config.when(engine="pandas")
    @functools.lru_cache
    def loaded__pandas(path: str) -> pd.DataFrame:
        return pd.DataFrame()

    @config.when(engine="spark")
    @functools.lru_cache
    def loaded__spark(path: str, session: int) -> pd.DataFrame:
        return pd.DataFrame()

    @tag(owner="me")
    @functools.lru_cache
    def other(loaded: pd.DataFrame) -> int:
        return 1
    """,
        {"engine": "pandas"},
    )
    read = static(tmp_path)
    names = {n.name: n for n in read.nodes}
    assert names["loaded"].expanded is False  # named as Hamilton names the chosen variant
    assert names["loaded"].origin.endswith(".loaded")
    assert "loaded__spark" not in names and "session" not in names
    assert names["other"].dependencies == ("loaded",)
