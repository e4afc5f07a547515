#!/usr/bin/env bash
# Creates or updates the project's virtual environment (.venv) from uv.lock.
#
# Finds a Python >= 3.12 (STUDIO_PYTHON, then python3.13/3.12/python3 on PATH,
# then pyenv's and the system's installs), gets a pinned uv (from PATH, or
# installed once into .tools/), and runs `uv sync --locked`. Idempotent: when
# nothing changed it returns in well under a second.
#
#   packaging/devenv.sh          sync .venv
#   packaging/devenv.sh --lock   re-resolve uv.lock after editing pyproject.toml
set -euo pipefail

UV_VERSION="0.13.9"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf 'devenv: %s\n' "$*" >&2; }

python_ok() {
    "$1" -c 'import sys; raise SystemExit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

find_python() {
    local candidates=()
    [[ -n "${STUDIO_PYTHON:-}" ]] && candidates+=("$STUDIO_PYTHON")
    candidates+=(python3.13 python3.12 python3)
    local root="${PYENV_ROOT:-$HOME/.pyenv}"
    candidates+=("$root"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9])
    local c path
    for c in "${candidates[@]}"; do
        path="$(command -v "$c" 2>/dev/null || true)"
        [[ -n "$path" ]] || continue
        if python_ok "$path"; then
            "$path" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

find_uv() {
    local uv
    uv="$(command -v uv 2>/dev/null || true)"
    if [[ -n "$uv" && "$("$uv" --version 2>/dev/null)" == "uv $UV_VERSION"* ]]; then
        echo "$uv"
        return 0
    fi
    uv="$repo/.tools/uv-$UV_VERSION/bin/uv"
    if [[ ! -x "$uv" ]]; then
        local bootstrap
        bootstrap="$(command -v python3 || command -v python || true)"
        [[ -n "$bootstrap" ]] || { say "no python3 found to install uv with"; return 1; }
        say "installing uv $UV_VERSION into .tools/ (once)"
        rm -rf "$repo/.tools/uv-$UV_VERSION"
        "$bootstrap" -m venv "$repo/.tools/uv-$UV_VERSION"
        "$repo/.tools/uv-$UV_VERSION/bin/python" -m pip install --quiet --disable-pip-version-check \
            "uv==$UV_VERSION"
    fi
    echo "$uv"
}

python="$(find_python)" || {
    say "no Python >= 3.12 found. Install one (e.g. 'pyenv install 3.12') or set STUDIO_PYTHON."
    exit 1
}
uv="$(find_uv)"
if [[ "${1:-}" == "--lock" ]]; then
    UV_PYTHON_DOWNLOADS=never "$uv" lock --python "$python"
    exit 0
fi
stamp=".venv/.studio-synced"
if [[ -f "$stamp" && "$stamp" -nt uv.lock && "$stamp" -nt pyproject.toml && -x .venv/bin/python ]] \
    && python_ok .venv/bin/python; then
    exit 0
fi
if [[ -x .venv/bin/python ]] && ! python_ok .venv/bin/python; then
    say "replacing .venv: its Python is older than 3.12"
    rm -rf .venv
fi
say "syncing .venv with uv.lock (Python: $python)"
# --compile-bytecode: uv writes no .pyc by default, and where PYTHONDONTWRITEBYTECODE is set
# (as on CI) every process then compiles pandas, Hamilton and qtconsole from source again:
# a kernel took 4 s to import instead of under 1.
UV_PYTHON_DOWNLOADS=never "$uv" sync --locked --python "$python" --quiet --compile-bytecode
touch "$stamp"
