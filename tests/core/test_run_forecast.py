"""The run plan: what a run computes and reuses, and how long it took before."""

import importlib.util
import sys

from hamilton import driver

from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.runs.run_forecast import DurationBook, cached_code_versions, forecast
from studio.core.runs.run_plan import RunMode
from tests.helpers import make_node


def chain() -> GraphSnapshot:
    return GraphSnapshot(
        "flow",
        (
            make_node("path", role=NodeRole.INPUT),
            make_node("raw", ["path"], version="r1"),
            make_node("clean", ["raw"], version="c1"),
            make_node("model", ["clean"], version="m1"),
            make_node("report", ["model", "clean"], version="p1"),
        ),
    )


def test_forecast_reuses_valid_results_and_adds_up_recorded_times(tmp_path):
    book = DurationBook(tmp_path / "durations.json")
    book.record("clean", "c1", 0.5)
    book.record("model", "m1", 2.0)
    book.record("report", "OLD", 9.0)
    book.save()
    again = DurationBook(tmp_path / "durations.json")
    plan = forecast(chain(), ["report"], RunMode.UPSTREAM, valid={"clean"}, book=again)
    assert plan.reused == ["clean"]
    assert plan.computed == ["model", "report"]
    assert plan.seconds == 2.0 and plan.untimed == ["report"]
    assert plan.headline() == "computes 2 nodes, reuses 1; about 2.0 s + 1 never timed"
    fresh = forecast(chain(), ["report"], RunMode.UPSTREAM, valid=(), book=again)
    assert fresh.computed == ["raw", "clean", "model", "report"]
    done = forecast(chain(), ["clean"], RunMode.UPSTREAM, valid={"clean"}, book=again)
    assert done.headline() == "computes 0 nodes, reuses 1: nothing to compute"


def test_a_given_node_is_neither_computed_nor_reused_nor_what_only_it_needs(tmp_path):
    book = DurationBook(tmp_path / "durations.json")
    book.record("model", "m1", 2.0)
    book.record("report", "p1", 1.0)
    # clean is given (a notebook's --overrides): raw and the input path are not needed;
    # its value held from the last run is not "reused" either
    plan = forecast(chain(), ["report"], RunMode.UPSTREAM, {"clean"}, book, given={"clean"})
    assert plan.computed == ["model", "report"] and plan.reused == []
    assert plan.given == ["clean"]
    assert plan.headline() == "computes 2 nodes, 1 given; about 3.0 s"
    assert plan.table()[0] == "  given    clean"


def test_a_corrupt_durations_file_is_an_empty_book(tmp_path):
    (tmp_path / "durations.json").write_text("{not json")
    assert DurationBook(tmp_path / "durations.json").seconds("raw", "r1") is None


def test_nodes_whose_code_has_a_result_in_hamiltons_disk_cache(tmp_path):
    module_path = tmp_path / "steps.py"
    module_path.write_text(
        "def a() -> int:\n    return 1\n\n\ndef b(a: int) -> int:\n    return a + 1\n"
    )
    spec = importlib.util.spec_from_file_location("forecast_steps", module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["forecast_steps"] = module
    spec.loader.exec_module(module)
    cache = tmp_path / "cache"
    dr = driver.Builder().with_modules(module).with_cache(path=str(cache)).build()
    dr.execute(["a"])
    versions = {v.name: v.version for v in dr.list_available_variables()}
    assert cached_code_versions(cache, versions) == {"a"}
    assert cached_code_versions(cache, {**versions, "a": "changed"}) == set()
    assert cached_code_versions(tmp_path / "nowhere", versions) == set()
