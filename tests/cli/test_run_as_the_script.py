"""`studio run PATH` with no nodes: what the driver script asks for, with the inputs and
config the script computes."""

import pickle

from tests.cli.test_cli import studio_cli
from tests.helpers import caller_project, script_values_project


def test_run_without_nodes_computes_the_scripts_outputs_with_its_values(tmp_path):
    folder = script_values_project(tmp_path / "hello")
    done = studio_cli("run", str(folder))
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    for name in ("spend_per_signup", "total_spend", "label"):
        assert f"== {name} ==" in out
    assert "170.0" in out and "'fast:data'" in out
    assert not (folder / "top_level_ran.txt").exists()
    assert not (folder / "after_execute_ran.txt").exists()


def test_run_without_nodes_writes_a_dict_of_outputs_to_a_pickle(tmp_path):
    folder = script_values_project(tmp_path / "hello")
    target = tmp_path / "out.pkl"
    done = studio_cli("run", str(folder), "-o", str(target))
    assert done.returncode == 0, done.stderr
    outputs = pickle.loads(target.read_bytes())
    assert set(outputs) == {"spend_per_signup", "total_spend", "label"}
    assert outputs["total_spend"] == 170.0
    refused = studio_cli("run", str(folder), "-o", str(tmp_path / "out.csv"))
    assert refused.returncode == 2
    assert b"must end in .pkl" in refused.stderr


def test_a_failing_script_value_fails_only_the_run_that_needs_it(tmp_path):
    folder = script_values_project(tmp_path / "hello")
    done = studio_cli("run", str(folder), "broken_total")
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "input 'broken' (run.py:34" in err and "ZeroDivisionError" in err
    assert "run.py, line 19, in explode" in err
    typed = studio_cli("run", str(folder), "broken_total", "--input", "broken=41")
    assert typed.returncode == 0, typed.stderr
    assert "42" in typed.stdout.decode()


def test_an_input_the_script_asks_for_is_returned_with_its_value(tmp_path):
    """`dr.execute(["spend", ...])`: Hamilton returns the input's value; so does the run."""
    folder = script_values_project(tmp_path / "hello")
    target = tmp_path / "out.pkl"
    done = studio_cli("run", str(folder), "spend", "total_spend", "-o", str(target))
    assert done.returncode == 0, done.stderr
    outputs = pickle.loads(target.read_bytes())
    assert list(outputs["spend"]) == [10, 10, 20, 40, 40, 50]
    assert outputs["total_spend"] == 170.0


def test_run_takes_the_inputs_a_caller_in_another_file_gives_the_driver(tmp_path):
    """A wrapper's static method runs the driver with its arguments; a script builds
    them at top level and calls it: `studio run` computes what that script would."""
    folder = caller_project(tmp_path / "taxes")
    target = tmp_path / "out.pkl"
    done = studio_cli("run", str(folder), "-o", str(target))
    assert done.returncode == 0, done.stderr
    outputs = pickle.loads(target.read_bytes())
    assert list(outputs["taxed"]) == [75.0, 225.0]
    assert outputs["total_tax"] == 100.0
    assert not (folder / "caller_top_level_ran.txt").exists()
    assert not (folder / "after_call_ran.txt").exists()
