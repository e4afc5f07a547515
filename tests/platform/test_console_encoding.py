"""The commands' output survives a console that cannot encode it (Windows' cp1252 or
cp437 consoles, `LANG=C`): what it cannot show becomes `?`, the command still ends 0."""

import os
import subprocess
import sys


def test_studio_diff_prints_its_arrow_to_an_ascii_console(tmp_path):
    (tmp_path / "steps.py").write_text("def prices() -> list:\n    return [1.0]\n", "utf-8")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True)
    who = ["-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "-C", str(tmp_path), *who, "commit", "-qm", "v1"], check=True)
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "HAMILTON_TELEMETRY_ENABLED": "false"}
    env.pop("PYTHONUTF8", None)
    done = subprocess.run(
        [sys.executable, "-m", "studio", "diff", str(tmp_path), "prices"],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"prices: HEAD ? working tree" in done.stdout
