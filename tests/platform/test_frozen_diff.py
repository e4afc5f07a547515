"""`studio diff` as the bundle runs it: its executable takes the studio's arguments
and no `-m`, and (as on Windows) there is no SIGHUP.

The stand-in for the frozen executable is a script that runs the studio's
`main` on its arguments, as PyInstaller's bootloader does: given
`-m studio run ...` it fails as the bundle did ("unrecognized arguments").
"""

import json
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import diff_command

pytestmark = pytest.mark.linux_only  # the stand-in executable is a shell script

REPO = Path(__file__).resolve().parents[2]
MODULE = """def prices() -> list:
    return [10.0, 20.0, 30.0]
"""


def _frozen_stand_in(folder: Path) -> Path:
    program = folder / "dataflow-studio"
    program.write_text(
        "#!/bin/sh\n"
        f'export PYTHONPATH="{REPO}"\n'
        f'exec "{sys.executable}" -c "import sys; from studio.cli import main; '
        'sys.exit(main())" "$@"\n',
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_diff_in_the_frozen_app_starts_the_app_itself_without_sighup(tmp_path, monkeypatch, capsys):
    project = tmp_path / "repo"
    project.mkdir()
    (project / "steps.py").write_text(MODULE, encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    (project / "steps.py").write_text(MODULE.replace("20.0", "25.0"), encoding="utf-8")

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(_frozen_stand_in(tmp_path)))
    monkeypatch.delattr(signal, "SIGHUP")
    monkeypatch.setenv("HAMILTON_TELEMETRY_ENABLED", "false")
    terminate = signal.getsignal(signal.SIGTERM)
    try:
        code = diff_command.main([str(project), "prices", "--format", "json"])
    finally:
        signal.signal(signal.SIGTERM, terminate)
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out)
    assert report["node"] == "prices" and report["against"] == "HEAD"
    assert "20.0" in json.dumps(report) and "25.0" in json.dumps(report)
