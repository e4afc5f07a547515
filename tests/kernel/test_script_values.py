"""The values a driver script computes, evaluated in the kernel with only the code they
need: in the script's folder, failures with their traceback, runs taking them."""

import ast
import os
from pathlib import Path

import pytest

from studio.core import protocol
from studio.core.discovery.discover import discover
from studio.core.discovery.project import ValueKind
from studio.core.protocol import Method, RunStatus
from studio.kernel.agent import Agent
from studio.kernel.running.script_inputs import ScriptValues
from tests.helpers import caller_project, script_values_project


@pytest.fixture
def project(tmp_path):
    before = Path.cwd()
    yield script_values_project(tmp_path / "hello")
    os.chdir(before)


def ask(agent: Agent, method: str, **params):
    reply = agent.dispatch(protocol.request(7, method, params))
    assert reply["ok"], reply
    return reply["result"]


def test_each_value_is_evaluated_in_the_scripts_folder_with_only_what_it_needs(project):
    (project / "sub").mkdir()
    found = discover(project)
    flow = found.dataflow()
    values = {v.key: v for v in ScriptValues().evaluate(found, flow)}
    assert values["data_dir"].value == str(project / "data")
    assert values["data_dir"].origin == "run.py:25"
    assert list(values["spend"].value) == [10, 10, 20, 40, 40, 50]
    assert values["weights"].value == {"a": 1.0, "b": 2.0}
    assert values["broken"].error == "ZeroDivisionError: integer division or modulo by zero"
    frames = values["broken"].frames
    assert frames[-1].file == "run.py" and frames[-1].line == 19 and frames[-1].in_project
    assert "ZeroDivisionError" in values["broken"].traceback
    assert not (project / "top_level_ran.txt").exists()
    assert not (project / "after_execute_ran.txt").exists()
    assert Path.cwd() != project / "sub"


def test_a_value_unchanged_is_not_evaluated_again_and_a_changed_one_is(project):
    found = discover(project)
    flow = found.dataflow()
    store = ScriptValues()
    first = {v.key: v for v in store.evaluate(found, flow, [ValueKind.INPUT])}
    again = {v.key: v for v in store.evaluate(found, flow, [ValueKind.INPUT])}
    assert again["spend"] is first["spend"]
    script = project / "run.py"
    script.write_text(script.read_text().replace("[10, 10, 20", "[11, 10, 20"))
    found = discover(project)
    changed = {v.key: v for v in store.evaluate(found, found.dataflow(), [ValueKind.INPUT])}
    assert changed["spend"].value.iloc[0] == 11
    assert changed["signups"] is first["signups"]


def test_the_agent_loads_with_the_computed_config_and_runs_with_the_computed_inputs(project):
    agent = Agent({})
    loaded = ask(agent, Method.LOAD, root=str(project))
    names = {n["name"] for n in loaded["snapshot"]["nodes"]}
    assert "label" in names  # @config.when saw mode and data_dir
    described = ask(agent, Method.SCRIPT_VALUES, dataflow="run")
    by_key = {v["key"]: v for v in described["values"]}
    assert by_key["data_dir"]["kind"] == "config" and by_key["data_dir"]["type"] == "str"
    assert by_key["spend"]["type"] == "pandas.Series" and by_key["spend"]["shape"] == [6]
    assert by_key["spend"]["origin"] == "run.py:31"
    assert by_key["broken"]["error"].startswith("ZeroDivisionError")
    assert by_key["broken"]["frames"][-1]["line"] == 19
    ran = ask(agent, Method.RUN, nodes=["spend_per_signup", "total_spend", "label"])
    assert ran["status"] == RunStatus.DONE, ran
    results = agent.user_namespace["results"]
    assert results["total_spend"] == 170.0
    assert results["label"] == "fast:data"
    typed = ask(agent, Method.RUN, nodes=["total_spend"], inputs={"spend": "pd.Series([1, 2])"})
    assert typed["status"] == RunStatus.DONE and results["total_spend"] == 3.0
    blocked = ask(agent, Method.RUN, nodes=["broken_total"])
    assert blocked["status"] == RunStatus.BAD_INPUTS
    assert "input 'broken' (run.py:34" in blocked["message"]
    assert "ZeroDivisionError" in blocked["message"]
    assert blocked["frames"][-1]["line"] == 19
    assert not (project / "top_level_ran.txt").exists()
    assert not (project / "after_execute_ran.txt").exists()


def test_a_value_that_uses_an_argument_of_its_function_says_so(tmp_path):
    from studio.core.drivers.script_slices import SliceError, slice_value

    tree = ast.parse("def main(path):\n    x = open(path)\n    return x\n")
    span = (3, 11, 3, 12)
    with pytest.raises(SliceError, match="argument of main"):
        slice_value(tree, span)


def test_an_argument_the_caller_gives_is_evaluated_with_the_callers_slice(tmp_path):
    before = Path.cwd()
    folder = caller_project(tmp_path / "taxes")
    agent = Agent({})
    try:
        ask(agent, Method.LOAD, root=str(folder))
        described = ask(agent, Method.SCRIPT_VALUES, dataflow="wrapper")
        by_key = {v["key"]: v for v in described["values"]}
        assert by_key["income"]["origin"] == "script.py:15", by_key["income"]
        assert by_key["income"]["type"] == "pandas.Series" and not by_key["income"]["error"]
        assert by_key["rate"]["repr"] == "0.25"
        ran = ask(agent, Method.RUN, nodes=["total_tax"])
        assert ran["status"] == RunStatus.DONE, ran
        assert agent.user_namespace["results"]["total_tax"] == 100.0
    finally:
        os.chdir(before)
    assert not (folder / "caller_top_level_ran.txt").exists()
    assert not (folder / "after_call_ran.txt").exists()


def test_the_callers_slice_runs_in_the_callers_folder(tmp_path):
    folder = caller_project(tmp_path / "taxes")
    (folder / "scripts").mkdir()
    for name in ("script.py", "incomes.csv"):
        (folder / name).rename(folder / "scripts" / name)
    found = discover(folder)
    values = {v.key: v for v in ScriptValues().evaluate(found, found.dataflow())}
    assert list(values["income"].value) == [100.0, 300.0], values["income"].error
    assert values["income"].origin == "scripts/script.py:15"
    assert not (folder / "scripts" / "caller_top_level_ran.txt").exists()
