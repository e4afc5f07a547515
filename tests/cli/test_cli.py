"""The `studio` command, run as a user runs it: a separate process."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import studio
from studio.core.resources import example_path

STUDIO = [sys.executable, "-m", "studio"]


def studio_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [*STUDIO, *args], capture_output=True, cwd=cwd, env=env, timeout=120, check=False
    )


def test_version_from_both_entry_points():
    assert studio_cli("--version").stdout.decode().strip() == f"studio {studio.__version__}"
    script = Path(sys.executable).with_name("studio")
    done = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"studio {studio.__version__}"


def test_graph_json_of_spaceflights():
    done = studio_cli("graph", str(example_path("spaceflights")))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["errors"] == []
    assert data["dataflows"] == ["run"]
    nodes = {n["name"]: n for n in data["nodes"]}
    table = nodes["model_input_table"]
    for key in ("name", "type", "module", "file", "line", "doc", "tags", "is_external_input"):
        assert key in table
    assert table["module"] == "preprocessing"
    assert table["file"] == "preprocessing.py"
    assert sorted(table["dependencies"]) == [
        "companies_preprocessed",
        "reviews",
        "shuttles_preprocessed",
    ]
    assert table["origin"] == "preprocessing.model_input_table"
    assert len(table["version"]) == 64
    assert nodes["data_dir"]["is_external_input"] is True


def test_graph_with_config_and_dataflow_options():
    folder = str(example_path("decorators"))
    done = studio_cli("graph", folder, "--dataflow", "run", "--config", "scaling=minmax")
    data = json.loads(done.stdout)
    assert data["config"] == {"scaling": "minmax"}
    scaled = next(n for n in data["nodes"] if n["name"] == "revenue_scaled")
    assert "squeezed" in scaled["doc"]
    missing = studio_cli("graph", folder, "--dataflow", "nightly")
    assert missing.returncode == 2
    assert b"no dataflow named 'nightly'" in missing.stderr


def test_syntax_error_exits_2_and_names_file_and_line(example_copy):
    folder = example_copy("spaceflights")
    module = folder / "reporting.py"
    bad_line = len(module.read_text().splitlines()) + 3
    with module.open("a") as text:
        text.write("\n\ndef broken(:\n    return 1\n")
    done = studio_cli("graph", str(folder))
    assert done.returncode == 2
    assert f"reporting.py:{bad_line}: syntax error".encode() in done.stderr
    assert done.stderr.count(b"syntax error") == 1
    assert json.loads(done.stdout)["errors"][0]["line"] == bad_line


def test_drawing_formats(tmp_path):
    folder = str(example_path("spaceflights"))
    dot = studio_cli("graph", folder, "--format", "dot").stdout.decode()
    assert dot.startswith("digraph") and "cluster_preprocessing" in dot
    assert "model_input_table -> price_by_shuttle_type" in dot
    svg = tmp_path / "graph.svg"
    png = tmp_path / "graph.png"
    assert studio_cli("graph", folder, "--format", "svg", "-o", str(svg)).returncode == 0
    assert studio_cli("graph", folder, "--format", "png", "-o", str(png)).returncode == 0
    assert b"<svg" in svg.read_bytes()[:400] and b"model_input_table" in svg.read_bytes()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_prints_from_project_code_do_not_corrupt_json(tmp_path):
    (tmp_path / "chatty.py").write_text(
        "print('hello from import')\n\ndef a() -> int:\n    return 1\n"
    )
    done = studio_cli("graph", str(tmp_path))
    assert json.loads(done.stdout)["nodes"][0]["name"] == "a"
    assert b"hello from import" in done.stderr


def test_missing_folder_exits_2(tmp_path):
    done = studio_cli("graph", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert b"does not exist" in done.stderr


def test_run_prints_results_as_tables():
    done = studio_cli(
        "run", str(example_path("spaceflights")), "evaluation_metrics", "price_by_shuttle_type"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert "== evaluation_metrics ==" in out and "'r2_score': 0.79" in out
    assert "shuttle_type" in out and "Type V5" in out


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".pkl"])
def test_run_writes_one_result_by_suffix(tmp_path, suffix):
    import pandas as pd

    target = tmp_path / f"table{suffix}"
    done = studio_cli(
        "run", str(example_path("spaceflights")), "model_input_table", "-o", str(target)
    )
    assert done.returncode == 0, done.stderr
    frame = {
        ".csv": pd.read_csv,
        ".parquet": pd.read_parquet,
        ".json": pd.read_json,
        ".pkl": pd.read_pickle,
    }[suffix](target)
    assert len(frame) == 364 and "price" in frame.columns


def test_run_with_config_and_inputs(tmp_path):
    folder = str(example_path("decorators"))
    done = studio_cli(
        "run", folder, "revenue_scaled", "--config", "scaling=minmax", "--input", "data_dir=data"
    )
    assert done.returncode == 0, done.stderr
    assert "0.0" in done.stdout.decode()


def test_run_failures_are_readable(troubled_spaceflights):
    failed = studio_cli("run", str(troubled_spaceflights), "boom")
    assert failed.returncode == 1
    err = failed.stderr.decode()
    assert "node 'boom' failed: ZeroDivisionError: division by zero" in err
    assert "trouble.py, line 13, in boom" in err
    missing = studio_cli("run", str(troubled_spaceflights), "boom", "--input", "data_dir=")
    assert missing.returncode == 2
    assert "missing inputs: data_dir (str)" in missing.stderr.decode()
    unknown = studio_cli("run", str(troubled_spaceflights), "nope")
    assert unknown.returncode == 2 and b"no node named nope" in unknown.stderr


def test_a_result_pickle_cannot_write_fails_in_one_line_and_leaves_no_file(tmp_path):
    (tmp_path / "clients.py").write_text(
        "import socket\n\n\ndef connection() -> socket.socket:\n    return socket.socket()\n"
    )
    target = tmp_path / "out" / "connection.pkl"
    target.parent.mkdir()
    done = studio_cli("run", str(tmp_path), "connection", "-o", str(target))
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "socket" in lines[0]
    assert list(target.parent.iterdir()) == []


def test_a_load_past_its_timeout_stops_and_names_the_module_and_line(tmp_path):
    (tmp_path / "slow.py").write_text(
        "import time\n\n\ndef a() -> int:\n    return 1\n\n\nwhile True:\n    time.sleep(0.05)\n"
    )
    (tmp_path / "fast.py").write_text("def b(a: int) -> int:\n    return a\n")
    for command in (["graph", str(tmp_path)], ["run", str(tmp_path), "b"]):
        done = studio_cli(*command, "--load-timeout", "1")
        assert done.returncode == 2
        assert "slow.py:9: import error: slow did not finish importing within 1 s" in (
            done.stderr.decode()
        )


def test_project_code_that_ends_the_process_is_named(tmp_path):
    quits, kills = tmp_path / "quits", tmp_path / "kills"
    quits.mkdir()
    kills.mkdir()
    (quits / "quits.py").write_text(
        "import os\n\n\ndef a() -> int:\n    return 1\n\n\nos._exit(3)\n"
    )
    (kills / "kills.py").write_text(
        "import os\nimport signal\n\n\ndef a() -> int:\n    return 1\n\n\n"
        "def killer(a: int) -> int:\n    os.kill(os.getpid(), signal.SIGKILL)\n    return a\n"
    )
    done = studio_cli("graph", str(quits))
    assert done.returncode == 2
    assert "module 'quits' ended the process while imported: it exited with code 3" in (
        done.stderr.decode()
    )
    done = studio_cli("run", str(kills), "killer")
    assert done.returncode == 1
    assert "node 'killer' ended the process: it was killed by SIGKILL" in done.stderr.decode()
    assert studio_cli("run", str(kills), "a").returncode == 0


def test_run_materialize_writes_the_files_and_without_it_nothing_is_written(tmp_path):
    (tmp_path / "mat_cli.py").write_text(
        "import pandas as pd\n\n"
        "def table() -> pd.DataFrame:\n"
        '    return pd.DataFrame({"a": [1, 2]})\n\n'
        "def rows(table: pd.DataFrame) -> int:\n"
        "    return len(table)\n",
        encoding="utf-8",
    )
    (tmp_path / "run.py").write_text(
        "from hamilton import driver\n"
        "from hamilton.io.materialization import to\n"
        "import mat_cli\n\n"
        "dr = driver.Builder().with_modules(mat_cli).build()\n"
        'dr.materialize(to.csv(id="save_table", dependencies=["table"], path="table.csv"),\n'
        '               additional_vars=["rows"])\n',
        encoding="utf-8",
    )
    plain = studio_cli("run", str(tmp_path), "rows")
    assert plain.returncode == 0, plain.stderr
    assert not (tmp_path / "table.csv").exists()

    done = studio_cli("run", str(tmp_path), "--materialize")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "table.csv").read_text().splitlines() == ["a", "1", "2"]
    assert "== save_table ==" in done.stdout.decode()

    (tmp_path / "table.csv").unlink()
    as_the_script = studio_cli("run", str(tmp_path))  # as far as what it would save
    assert as_the_script.returncode == 0, as_the_script.stderr
    assert b"== rows ==" in as_the_script.stdout and b"== table ==" in as_the_script.stdout
    assert not (tmp_path / "table.csv").exists()


def test_ctrl_c_names_the_interrupted_node_and_how_long_it_ran(tmp_path):
    marker = tmp_path / "running"
    (tmp_path / "slow.py").write_text(
        "import pathlib\nimport time\n\n\n"
        "def sleepy() -> int:\n"
        f"    pathlib.Path({str(marker)!r}).touch()\n"
        "    for _ in range(600):\n        time.sleep(0.1)\n    return 1\n"
    )
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    process = subprocess.Popen(
        [*STUDIO, "run", str(tmp_path), "sleepy"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        end = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(1.5)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in a terminal: the whole group
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 1
    text = err.decode()
    assert "studio: interrupted: node 'sleepy' had run " in text, text
    took = text.split("had run ")[1].split()[0]
    assert float(took) >= 1.4 and "Traceback" not in text


def test_a_node_calling_sys_exit_fails_with_exit_1_and_says_so(tmp_path):
    (tmp_path / "flow.py").write_text(
        "import sys\n\n\ndef a() -> int:\n    return 1\n\n\n"
        "def quits(a: int) -> int:\n    sys.exit(0)\n",
        encoding="utf-8",
    )
    done = studio_cli("run", str(tmp_path), "quits")
    assert done.returncode == 1
    assert b"node 'quits' failed: SystemExit: the node called sys.exit(0)" in done.stderr


def test_a_result_whose_repr_raises_is_named_not_a_traceback(tmp_path):
    (tmp_path / "flow.py").write_text(
        "class Shy:\n    def __repr__(self):\n        raise RuntimeError('no')\n\n\n"
        "def shy() -> Shy:\n    return Shy()\n",
        encoding="utf-8",
    )
    done = studio_cli("run", str(tmp_path), "shy")
    assert done.returncode == 0, done.stderr
    assert b"<a flow.Shy that cannot be shown: its repr raised RuntimeError: no>" in done.stdout
    assert b"Traceback" not in done.stderr
    # Written to JSON (whose fallback is the value's str, hence its repr): one line, exit 1.
    output = tmp_path / "out" / "shy.json"
    output.parent.mkdir()
    written = studio_cli("run", str(tmp_path), "shy", "-o", str(output))
    assert written.returncode == 1
    assert written.stderr.decode().strip() == (
        f"studio: cannot write {output}: writing the value raised RuntimeError: no"
    )
    assert list(output.parent.iterdir()) == []


def test_run_prints_a_node_a_notebook_gives_as_given(tmp_path):
    from tests.notebook_helpers import FUNCTIONS, write_notebook

    cell = FUNCTIONS.replace("--display", "--overrides fixed")
    write_notebook(tmp_path / "nb.ipynb", "fixed = {'spend': 7}", cell)
    done = studio_cli("run", str(tmp_path), "spend", "doubled")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert "== spend (given by nb.ipynb, --overrides) ==\n7\n" in out
    assert "== doubled ==\n14\n" in out
    assert "given by nb.ipynb (--overrides), not computed: spend" in done.stderr.decode()
    plan = studio_cli("run", str(tmp_path), "doubled", "--plan")
    assert plan.returncode == 0, plan.stderr
    assert "computes 1 node, 1 given" in plan.stdout.decode()
    assert "  given    spend" in plan.stdout.decode()
