"""`studio edit`, run as a user runs it: prints the diff, writes only without --dry-run."""

import os
import subprocess
import sys
from pathlib import Path

MODULE = """import pandas as pd


def raw(path: str) -> pd.DataFrame:
    return pd.read_csv(path)


def rows(raw: pd.DataFrame) -> int:
    return len(raw)
"""

SCRIPT = """from hamilton import driver
import steps

print(driver.Driver({}, steps).execute(["rows"], inputs={"path": "a.csv"}))
"""


def studio_edit(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "studio", "edit", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_edit_prints_its_diff_and_dry_run_writes_nothing(tmp_path):
    (tmp_path / "steps.py").write_text(MODULE)
    (tmp_path / "run.py").write_text(SCRIPT)
    dry = studio_edit(tmp_path, "--dry-run", "rename", "rows", "row_count")
    assert dry.returncode == 0, dry.stderr
    assert "-def rows(raw: pd.DataFrame) -> int:\n+def row_count(raw: pd.DataFrame) -> int:" in (
        dry.stdout
    )
    assert '+print(driver.Driver({}, steps).execute(["row_count"]' in dry.stdout
    assert "Rename rows to row_count: 2 files would change (dry run)." in dry.stderr
    assert (tmp_path / "steps.py").read_text() == MODULE

    added = studio_edit(tmp_path, "add", "preview", "--uses", "raw", "--returns", "str")
    assert added.returncode == 0, added.stderr
    assert "def preview(raw: pd.DataFrame) -> str:" in (tmp_path / "steps.py").read_text()


def test_refused_edits_exit_2_with_the_reason(tmp_path):
    (tmp_path / "steps.py").write_text(MODULE)
    refused = studio_edit(tmp_path, "connect", "rows", "raw")
    assert refused.returncode == 2
    assert "cycle" in refused.stderr and refused.stdout == ""
    asked = studio_edit(tmp_path, "disconnect", "raw", "rows")
    assert asked.returncode == 2 and "--force" in asked.stderr
    assert (tmp_path / "steps.py").read_text() == MODULE
