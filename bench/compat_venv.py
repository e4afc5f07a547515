"""The one virtual environment both sides of the compatibility bench run in.

`.bench-cache/compat-venv`, made with uv from the Python of the project's
lock, holds the Hamilton version of `uv.lock`, pandas, numpy, packaging,
ipykernel and every package the cases need. It is kept while its
requirement list is unchanged; a package that does not install marks its
cases, not the whole run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

from bench.compat_cases import CASES

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"
VENV = CACHE / "compat-venv"
STAMP = VENV / "bench-requirements.json"
VENV_LAYOUT = 3  # bump when the way the venv is made changes


def hamilton_version() -> str:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return next(p["version"] for p in lock["package"] if p["name"] == "apache-hamilton")


def base_requirements() -> list[str]:
    # pandas < 3: with pandas 3, `import pyspark.pandas` fails, and with it every case that
    # uses hamilton.plugins.h_spark; the examples were written for pandas 2.
    hamilton = f"apache-hamilton=={hamilton_version()}"
    return [hamilton, "pandas<3", "numpy", "packaging", "ipykernel"]


def find_uv() -> str:
    pinned = sorted((ROOT / ".tools").glob("uv-*/bin/uv"))
    found = str(pinned[-1]) if pinned else shutil.which("uv")
    if not found:
        raise SystemExit("bench: uv not found (run `make test` once to install it into .tools)")
    return found


def find_python() -> str:
    candidates = [os.environ.get("COMPAT_PYTHON")]
    candidates += [str(p) for p in sorted(Path.home().glob(".pyenv/versions/3.12*/bin/python3"))]
    candidates.append(shutil.which("python3.12"))  # a pyenv shim may not run: checked below
    check = "import sys; assert sys.version_info[:2] == (3, 12)"
    for candidate in candidates:
        if (
            candidate
            and subprocess.run([candidate, "-c", check], capture_output=True).returncode == 0
        ):
            return candidate
    raise SystemExit("bench: no Python 3.12 found; set COMPAT_PYTHON")


def venv_python() -> Path:
    return VENV / "bin" / "python"


def uv_error(stderr: str) -> str:
    """The line of uv's output that says why, shortened."""
    lines = [line.strip(" ×╰─▶│") for line in stderr.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.lower().startswith(("error", "no solution", "failed", "because")):
            reason = line if index + 1 >= len(lines) else f"{line} {lines[index + 1]}"
            return reason[:200]
    return (lines[-1] if lines else "uv failed")[:200]


def uv_install(uv: str, requirements: list[str]) -> str | None:
    """Install into the bench venv; None when it worked, else uv's reason."""
    command = [uv, "pip", "install", "--compile-bytecode", "--python", str(venv_python())]
    command += requirements
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return None if done.returncode == 0 else uv_error(done.stderr)


def install_case_by_case(uv: str) -> dict[str, str]:
    """Grow the venv one case at a time, each install resolving everything accepted so far.

    A case whose packages cannot join the others (no wheel, a conflict) is
    marked and left out; as every install names all the accepted
    requirements, no later case can break an earlier one's.
    """
    accepted = base_requirements()
    if (reason := uv_install(uv, accepted)) is not None:
        raise SystemExit(f"bench: the base requirements do not install: {reason}")
    failed: dict[str, str] = {}
    refused: dict[frozenset[str], str] = {}
    for case in CASES:
        new = [package for package in case.packages if package not in accepted]
        if not new:
            continue
        key = frozenset(new)
        if key not in refused and (reason := uv_install(uv, accepted + new)) is not None:
            refused[key] = reason
        if key in refused:
            failed[case.name] = f"packages do not install: {refused[key]}"
        else:
            accepted += new
    return failed


def ensure_venv() -> tuple[dict[str, str], float]:
    """Make (or reuse) the bench venv; returns the cases whose packages failed, and the time."""
    python = find_python()
    extra = sorted({package for case in CASES for package in case.packages})
    requirements = base_requirements() + extra
    key = hashlib.sha256(json.dumps([VENV_LAYOUT, python, requirements]).encode()).hexdigest()
    if STAMP.exists():
        stamp = json.loads(STAMP.read_text())
        if stamp.get("key") == key and venv_python().exists():
            return stamp["failed"], 0.0
    started = time.perf_counter()
    uv = find_uv()
    shutil.rmtree(VENV, ignore_errors=True)
    print(f"bench: creating {VENV.relative_to(ROOT)} ({len(requirements)} requirements)")
    subprocess.run([uv, "venv", "--quiet", "--python", python, str(VENV)], check=True)
    failed: dict[str, str] = {}
    if (reason := uv_install(uv, requirements)) is not None:
        print(f"bench: the whole set does not install ({reason}); adding case by case")
        failed = install_case_by_case(uv)
    STAMP.write_text(json.dumps({"key": key, "requirements": requirements, "failed": failed}))
    return failed, time.perf_counter() - started


def installed_versions(names: list[str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for n in sys.argv[1:]:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    done = subprocess.run(
        [str(venv_python()), "-c", code, *names], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONDONTWRITEBYTECODE="1",  # the examples folder is left as it was
        HAMILTON_TELEMETRY_ENABLED="false",
        MPLBACKEND="Agg",
        QT_QPA_PLATFORM="offscreen",
        STUDIO_CONFIG_DIR=str(CACHE / "studio-config"),
    )
    env.pop("PYTHONPATH", None)
    return env
