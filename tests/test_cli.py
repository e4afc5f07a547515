"""The `studio` command, run as a user runs it: a separate process."""

import json
import os
import subprocess
import sys
from pathlib import Path

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
